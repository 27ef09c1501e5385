package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/npy"
)

// onnxFull runs TestExportONNXRuntime at the networks' real input sizes
// (mobilefacenet and iresnet18 at 112×112, as insightface's model zoo wants
// them) instead of small ones:
//
//	go test ./cmd/cocotrain -run ONNXRuntime -v -args -onnx.full
var onnxFull = flag.Bool("onnx.full", false, "TestExportONNXRuntime at the real input sizes (slow)")

// onnxTools returns how to run the two checkers, or skips the test naming
// what to install.
func onnxTools(t *testing.T) (node, python, scripts string) {
	t.Helper()
	scripts, err := filepath.Abs("../../scripts")
	if err != nil {
		t.Fatal(err)
	}
	python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import onnx").Run(); err != nil {
		t.Skip("the ONNX checker needs Debian's python3-onnx (apt-get install python3-onnx)")
	}
	node, err = exec.LookPath("node")
	if err != nil {
		t.Skip("the ONNX Runtime check needs Node.js (apt-get install nodejs npm)")
	}
	prefix := os.Getenv("ONNX_NODE_PREFIX")
	if prefix == "" {
		prefix = filepath.Join(scripts, ".onnx")
	}
	if _, err := os.Stat(filepath.Join(prefix, "node_modules", "onnxruntime-node")); err != nil {
		t.Skip("the ONNX Runtime check needs onnxruntime-node: ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --prefix scripts/.onnx onnxruntime-node")
	}
	return node, python, scripts
}

// TestExportONNXRuntime exports the three architectures, each trained for
// one short epoch, and runs them in ONNX Runtime on 64 synthetic faces at
// batch 1 and 64: every embedding must have cosine ≥ 0.99999 with
// `cocotrain embed --no-flip`'s, and the reference ONNX checker
// (full_check) must accept each model (scripts/check_onnx.py and
// scripts/check_onnx.mjs).
func TestExportONNXRuntime(t *testing.T) {
	node, python, scripts := onnxTools(t)
	dir := t.TempDir()
	type arch struct {
		arch      string
		size, dim int
	}
	archs, side := []arch{{"tiny", 32, 64}, {"mobilefacenet", 32, 64}, {"iresnet18", 16, 64}}, 32
	if *onnxFull {
		archs, side = []arch{{"tiny", 64, 128}, {"mobilefacenet", 112, 128}, {"iresnet18", 112, 512}}, 112
	}
	faces := exportFaces(t, dir, side)
	for _, tc := range archs {
		t.Run(tc.arch, func(t *testing.T) {
			d := filepath.Join(dir, tc.arch)
			ckpt := trainArch(t, faces, d, tc.arch, tc.size, tc.dim)
			model, emb := filepath.Join(d, "model.onnx"), filepath.Join(d, "emb.npy")
			if code, _, stderr := runCmd(t, "export", "--checkpoint", ckpt, "--format", "onnx", "--out", model); code != exitOK {
				t.Fatalf("export: %d %s", code, stderr)
			}
			if code, _, stderr := runCmd(t, "embed", "--checkpoint", ckpt, "--images", filepath.Join(faces, "lfw"), "--out", emb, "--no-flip"); code != exitOK {
				t.Fatalf("embed: %d %s", code, stderr)
			}
			input := filepath.Join(d, "input.npy")
			writeInputs(t, input, filepath.Join(faces, "lfw"), emb+".names.txt", data.Preprocess{Size: tc.size, Channels: 3})
			for _, cmd := range [][]string{
				{python, filepath.Join(scripts, "check_onnx.py"), model},
				{node, filepath.Join(scripts, "check_onnx.mjs"), model, input, emb, "1", "64"},
			} {
				var out bytes.Buffer
				c := exec.Command(cmd[0], cmd[1:]...)
				c.Stdout, c.Stderr = &out, &out
				err := c.Run()
				t.Logf("%s", out.String())
				if err != nil {
					t.Errorf("%s: %v", filepath.Base(cmd[1]), err)
				}
			}
		})
	}
}

// writeInputs writes the images named in namesFile (relative to dir, in
// that order) as the N×C×S×S float32 tensor the network reads.
func writeInputs(t *testing.T, path, dir, namesFile string, pp data.Preprocess) {
	t.Helper()
	b, err := os.ReadFile(namesFile)
	if err != nil {
		t.Fatal(err)
	}
	names := strings.Fields(string(b))
	paths := make([]string, len(names))
	for i, n := range names {
		paths[i] = filepath.Join(dir, n)
	}
	src := data.NewFileList(paths, make([]int, len(paths)), []string{"all"})
	x := make([]float32, len(paths)*pp.Len())
	for i := range paths {
		img, err := src.Image(i)
		if err != nil {
			t.Fatal(err)
		}
		if err := pp.Apply(x[i*pp.Len():], img); err != nil {
			t.Fatal(err)
		}
	}
	if err := npy.WriteFile(path, &npy.Array{Shape: []int{len(paths), pp.Channels, pp.Size, pp.Size}, Data: x}); err != nil {
		t.Fatal(err)
	}
}
