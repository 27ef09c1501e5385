package train

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LockFile is the run directory's lock: a run holds an advisory lock on it
// for its whole life, so that a second `train` or `--resume` on the same
// directory is refused at once instead of interleaving its log lines and
// checkpoints with the first. The file holds the holder's process ID. The
// operating system drops the lock when the holder exits, however it exits,
// so a lock left by a killed run is simply taken over.
const LockFile = ".lock"

// BusyError is returned when another process holds the run directory.
type BusyError struct {
	Dir string
	// PID is the holder's process ID as its lock file records it (0 when
	// unreadable).
	PID int
}

func (e *BusyError) Error() string {
	holder := "another process"
	if e.PID > 0 {
		holder = "process " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("%s is in use by %s (its %s is locked): wait for that run to end or stop it first", e.Dir, holder, LockFile)
}

// runLock is a held lock on a run directory.
type runLock struct{ f *os.File }

// lockRunDir takes the lock of the existing directory dir without waiting:
// a *BusyError when another process holds it. The lock file then records
// this process's ID.
func lockRunDir(dir string) (*runLock, error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("locking the run directory: %w", err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			b, _ := os.ReadFile(path)
			pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			return nil, &BusyError{Dir: dir, PID: pid}
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &runLock{f: f}, nil
}

// Close releases the lock. The file stays: removing it would let a third
// process lock a new file while a second still waits on the old one.
func (l *runLock) Close() error { return l.f.Close() }
