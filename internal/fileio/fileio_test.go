package fileio

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// TestWriteFile writes a new file and replaces it, durably or not: the
// content, mode 0644, and nothing else left in the directory.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.bin")
	big := bytes.Repeat([]byte("0123456789abcdef"), 10000) // beyond one buffer
	for i, write := range []func(string, func(io.Writer) error) error{WriteFile, WriteFileDurable, WriteFile} {
		want := append(big, byte(i))
		if err := write(path, func(w io.Writer) error { _, err := w.Write(want); return err }); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("write %d: read back %d bytes (%v), want %d", i, len(got), err, len(want))
		}
		if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
			t.Errorf("mode %v, want 0644", st.Mode().Perm())
		}
		if names := entries(t, dir); len(names) != 1 {
			t.Errorf("directory holds %v", names)
		}
	}
}

// TestWriteFileFailureKeepsPrevious fails a write half way (after data
// reached the disk): the previous file is untouched, no temporary is left,
// and the error wraps the cause and names the path.
func TestWriteFileFailureKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "last.bin")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	full := errors.New("no space left on device")
	err := WriteFileDurable(path, func(w io.Writer) error {
		if _, err := w.Write(make([]byte, 200<<10)); err != nil {
			return err
		}
		return full
	})
	if !errors.Is(err, full) || !strings.HasPrefix(err.Error(), path+": ") {
		t.Fatalf("error %v, want the write error naming %s", err, path)
	}
	if b, _ := os.ReadFile(path); string(b) != "previous" {
		t.Errorf("a failed write changed the previous file to %q", b)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only %s", names, path)
	}
}

// TestWriteFileErrorsNamePath covers a missing directory and a directory in
// the way.
func TestWriteFileErrorsNamePath(t *testing.T) {
	nop := func(io.Writer) error { return nil }
	missing := filepath.Join(t.TempDir(), "no", "such", "x.bin")
	if err := WriteFile(missing, nop); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing directory: %v", err)
	}
	dir := t.TempDir()
	if err := WriteFile(dir, nop); err == nil || !strings.Contains(err.Error(), dir+": is a directory") {
		t.Errorf("a directory as the path: %v", err)
	}
}

// TestCreateCommitAbort writes at offsets through Create (as a pack does),
// commits, and checks that Abort is a no-op afterwards and removes an
// uncommitted temporary.
func TestCreateCommitAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.pack")
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("tail"), 4); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("head"), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s exists before Commit (%v)", path, err)
	}
	if err := f.Commit(true); err != nil {
		t.Fatal(err)
	}
	f.Abort()
	if b, err := os.ReadFile(path); err != nil || string(b) != "headtail" {
		t.Fatalf("committed %q, %v", b, err)
	}
	if err := f.Commit(true); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("second Commit: %v", err)
	}
	g, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	g.Write([]byte("never"))
	g.Abort()
	if b, _ := os.ReadFile(path); string(b) != "headtail" {
		t.Errorf("an aborted write changed %s to %q", path, b)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v", names)
	}
}
