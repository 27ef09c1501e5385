package safetensors

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteAtomicFailureKeepsPrevious simulates a write that fails half way
// (a full disk): the previous file is untouched and no temporary is left.
func TestWriteAtomicFailureKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "last.safetensors")
	must(t, WriteFile(path, sample(t)))
	before, err := os.ReadFile(path)
	must(t, err)

	full := errors.New("no space left on device")
	err = writeAtomic(path, func(w io.Writer) error {
		if _, err := w.Write(make([]byte, 3<<20)); err != nil { // past the buffer: reaches the disk
			return err
		}
		return full
	})
	if !errors.Is(err, full) || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v, want the write error naming %s", err, path)
	}
	after, err := os.ReadFile(path)
	must(t, err)
	if string(after) != string(before) {
		t.Error("a failed write changed the previous file")
	}
	entries, err := os.ReadDir(dir)
	must(t, err)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only the checkpoint", names)
	}
}

func TestWriteFileMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "x.safetensors")
	if err := WriteFile(path, sample(t)); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v, want one naming %s", err, path)
	}
}

func TestReadFileErrorsNameFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trunc.safetensors")
	b := encode(t, sample(t))
	must(t, os.WriteFile(path, b[:len(b)-3], 0o644))
	_, err := ReadFile(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("error %v, want one naming %s and truncation", err, path)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("no error for a missing file")
	}
}
