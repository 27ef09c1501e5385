//go:build unix

package main

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/cocotrain/cocotrain/internal/train"
)

// mainArgsEnv makes the test binary run as cocotrain itself (main's
// signal handling and exit codes), with these newline-separated arguments.
const mainArgsEnv = "COCOTRAIN_TEST_MAIN_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(mainArgsEnv); args != "" {
		ctx, stop := signalContext(context.Background())
		code := run(ctx, strings.Split(args, "\n"))
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestSignalsKeepProgress trains in a child process, sends it a real
// SIGHUP (the terminal closed) or SIGTERM after its third step, and checks
// that it wrote a checkpoint of at least that step, logged the
// interruption and exited with 129 or 130.
func TestSignalsKeepProgress(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGHUP, exitHangup}, {syscall.SIGTERM, exitInterrupted}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			args := append([]string{"train", "--out", dir, "--no-progress", "--set", "synth.identities=20", "--set", "synth.per_identity=8",
				"--set", "synth.eval_identities=20", "--set", "synth.eval_per_identity=2", "--set", "train.epochs=100"}, trainSets...)
			args = append(args, "--set", "train.log_every=1", "--set", "train.ckpt_every=0", "--set", "train.ckpt_minutes=0", "--set", "train.val_every=0")
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), mainArgsEnv+"="+strings.Join(args, "\n"))
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			sc, sent := bufio.NewScanner(stderr), false
			var lines []string
			for sc.Scan() {
				lines = append(lines, sc.Text())
				if !sent && strings.HasPrefix(sc.Text(), "step 3 ") {
					if err := cmd.Process.Signal(tc.sig); err != nil {
						t.Fatal(err)
					}
					sent = true
				}
			}
			err = cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Fatalf("exit %v after %v, want %d; stderr:\n%s", err, tc.sig, tc.code, strings.Join(lines, "\n"))
			}
			ck, err := train.ReadCheckpoint(filepath.Join(dir, train.LastFile))
			if err != nil || ck.Step < 3 {
				t.Fatalf("checkpoint after %v: %v (step %v)", tc.sig, err, ck)
			}
			b, err := os.ReadFile(filepath.Join(dir, train.LogFile))
			if err != nil || !strings.Contains(string(b), "interrupted after step") {
				t.Errorf("training.log does not record the interruption: %v\n%s", err, b)
			}
		})
	}
}
