package safetensors

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
