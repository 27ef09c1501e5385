//go:build unix

package checkpoint

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestFailedCheckpointWriteKeepsPrevious makes the next checkpoint write fail
// (a file-size limit smaller than the checkpoint: the error a full disk gives)
// and checks that the previous checkpoint is intact.
func TestFailedCheckpointWriteKeepsPrevious(t *testing.T) {
	path := filepath.Join(t.TempDir(), "last.safetensors")
	a, o := smallArena(t, 1)
	if err := Save(path, a, o, smallMeta(1)); err != nil {
		t.Fatal(err)
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skip("no RLIMIT_FSIZE:", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	lim := syscall.Rlimit{Cur: uint64(st.Size() / 2), Max: old.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skip("cannot lower RLIMIT_FSIZE:", err)
	}
	a.Data[0] = 42
	err = Save(path, a, o, smallMeta(2))
	if e := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); e != nil {
		t.Fatal(e)
	}
	if err == nil {
		t.Fatal("checkpoint write over the file-size limit succeeded")
	}
	ck, err := Read(path)
	if err != nil || ck.Step != 1 {
		t.Fatalf("previous checkpoint after a failed write: %+v %v", ck, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}
