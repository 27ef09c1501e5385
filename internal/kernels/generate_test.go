package kernels

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestAssemblyIsGenerated runs the _asm generator into a temporary folder
// and checks that it writes exactly the committed .s files, byte for byte,
// so that no one edits the generated assembly by hand or forgets to rerun
// `go generate` after changing the generator.
func TestAssemblyIsGenerated(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to run the generator: %v", err)
	}
	dir := t.TempDir()
	cmd := exec.Command(goBin, "run", "./_asm", dir)
	// Build the generator for the machine the go command runs on, also when
	// this test was cross-built (GOARCH=arm64 under qemu) and inherits GOARCH.
	cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./_asm: %v\n%s", err, out)
	}
	generated, err := filepath.Glob(filepath.Join(dir, "*.s"))
	if err != nil {
		t.Fatal(err)
	}
	if len(generated) == 0 {
		t.Fatal("the generator wrote no .s file")
	}
	for _, g := range generated {
		name := filepath.Base(g)
		want, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s: generated but not committed: %v", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the output of `go run ./_asm` (run `go generate ./internal/kernels/`)", name)
		}
	}
	committed, err := filepath.Glob("*.s")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range committed {
		if _, err := os.Stat(filepath.Join(dir, c)); err != nil {
			t.Errorf("%s: committed but not written by the generator", c)
		}
	}
}
