package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/cocotrain/cocotrain/internal/kernels"
)

func TestVersionPrintsKernelPath(t *testing.T) {
	code, out, _ := runCmd(t, "version")
	if want := ", " + kernels.Path() + " kernels)\n"; code != exitOK || !strings.HasSuffix(out, want) {
		t.Fatalf("version: code %d, out %q, want it to end with %q", code, out, want)
	}
}

// versionChildEnv marks the test binary run by TestRefusedKernelsExit1 as
// the child that runs `cocotrain version`.
const versionChildEnv = "COCOTRAIN_VERSION_TEST_CHILD"

// TestRefusedKernelsExit1 runs `cocotrain version` in a process whose
// COCOTRAIN_KERNELS the kernels package refuses (an unknown name and, in
// turn, "neon" or "avx512", one of which no CPU has) and checks exit code 1
// with the reason on stderr.
func TestRefusedKernelsExit1(t *testing.T) {
	if os.Getenv(versionChildEnv) == "1" {
		os.Exit(run(context.Background(), []string{"version"}))
	}
	for _, value := range []string{"fast", "neon", "avx512"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRefusedKernelsExit1$", "-test.count=1")
		cmd.Env = append(os.Environ(), versionChildEnv+"=1", kernels.EnvKernels+"="+value)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var exitErr *exec.ExitError
		switch {
		case errors.As(err, &exitErr):
			if exitErr.ExitCode() != exitError || !strings.Contains(stderr.String(), "cocotrain: "+kernels.EnvKernels+"=") || stdout.Len() > 0 {
				t.Errorf("%s=%s: exit %d, stdout %q, stderr %q", kernels.EnvKernels, value, exitErr.ExitCode(), stdout.String(), stderr.String())
			}
		case err != nil && errors.Is(err, syscall.ENOEXEC):
			t.Skipf("cannot run the test binary again here (%v)", err)
		case err != nil:
			t.Fatal(err)
		default:
			// The CPU has this path: the choice stood and version printed it.
			if !strings.Contains(stdout.String(), value+" kernels") {
				t.Errorf("%s=%s: exit 0 with %q", kernels.EnvKernels, value, stdout.String())
			}
		}
	}
}
