//go:build unix

package train

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Environment of a training child: the test binary re-run as a second
// process that trains smallConfig in childDirEnv (resuming when
// childResumeEnv is set), with the --set overrides of childSetsEnv
// (space-separated). It prints "step N" on stdout after every step; with
// childHoldEnv it then waits at step 1 until its stdin closes.
const (
	childDirEnv    = "COCOTRAIN_TEST_CHILD_DIR"
	childResumeEnv = "COCOTRAIN_TEST_CHILD_RESUME"
	childSetsEnv   = "COCOTRAIN_TEST_CHILD_SETS"
	childHoldEnv   = "COCOTRAIN_TEST_CHILD_HOLD"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(childDirEnv); dir != "" {
		os.Exit(trainChild(dir))
	}
	os.Exit(m.Run())
}

// trainChild is the body of a training child; its exit status is 0 when
// the run finished, 1 otherwise.
func trainChild(dir string) int {
	opt := Options{OutDir: dir, Resume: os.Getenv(childResumeEnv) != "", Sets: strings.Fields(os.Getenv(childSetsEnv))}
	if !opt.Resume {
		opt.ConfigPath = dir + ".yaml"
		if err := os.WriteFile(opt.ConfigPath, []byte(smallConfig), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	hold := os.Getenv(childHoldEnv) != ""
	opt.AfterStep = func(step int) {
		fmt.Printf("step %d\n", step)
		if hold && step == 1 {
			io.Copy(io.Discard, os.Stdin)
		}
	}
	if _, err := Run(context.Background(), opt); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// child is a running training child.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Scanner
}

// startChild starts a training child in dir with the given extra
// environment (childHoldEnv, childResumeEnv, childSetsEnv).
func startChild(t *testing.T, dir string, env ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), childDirEnv+"="+dir), env...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		if errors.Is(err, syscall.ENOEXEC) {
			// a cross-built test binary under qemu user-mode emulation: the
			// kernel cannot start it again; the native passes run this test.
			t.Skipf("cannot run the test binary again here (%v; under an emulator?)", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return &child{cmd: cmd, stdin: stdin, out: bufio.NewScanner(stdout)}
}

// waitStep reads the child's output up to its "step n" line.
func (c *child) waitStep(t *testing.T, n int) {
	t.Helper()
	want := fmt.Sprintf("step %d", n)
	for c.out.Scan() {
		if c.out.Text() == want {
			return
		}
	}
	t.Fatalf("child ended before %q: %v", want, c.out.Err())
}

// TestLockTwoProcesses holds a run directory in a training child and
// checks that a fresh run and a resume in the same directory are refused
// at once, naming the child's PID; then kills the child (SIGKILL, so the
// lock file stays behind) and checks that a new run takes the lock over.
func TestLockTwoProcesses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	c := startChild(t, dir, childHoldEnv+"=1")
	c.waitStep(t, 1)
	pid := c.cmd.Process.Pid
	for _, resume := range []bool{false, true} {
		_, err := run(t, context.Background(), dir, resume, nil, "train.epochs=1")
		var be *BusyError
		if !errors.As(err, &be) || be.PID != pid || !strings.Contains(err.Error(), fmt.Sprint(pid)) {
			t.Fatalf("resume=%v while process %d runs in %s: %v", resume, pid, dir, err)
		}
	}
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()
	if b, err := os.ReadFile(filepath.Join(dir, LockFile)); err != nil || strings.TrimSpace(string(b)) != fmt.Sprint(pid) {
		t.Fatalf("the killed run's lock file: %q %v", b, err)
	}
	if _, err := run(t, context.Background(), dir, false, nil, "train.epochs=1", "train.val_every=0"); err != nil {
		t.Fatalf("taking over a stale lock: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, LockFile)); strings.TrimSpace(string(b)) != fmt.Sprint(os.Getpid()) {
		t.Errorf("lock file after the takeover holds %q, want this process %d", b, os.Getpid())
	}
}
