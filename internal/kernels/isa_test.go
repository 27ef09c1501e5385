package kernels

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestChoosePath checks the choice from the CPU's paths and the environment:
// empty means all, a path forces itself and those below it, an unknown name
// or a path the CPU lacks is refused and leaves all enabled.
func TestChoosePath(t *testing.T) {
	all := []string{"avx512", "avx2", "go"}
	cases := []struct {
		has     []string
		forced  string
		enabled []string
		errHas  string // substring of the error; "" means no error
	}{
		{all, "", all, ""},
		{all, "  ", all, ""},
		{all, "avx512", all, ""},
		{all, "avx2", []string{"avx2", "go"}, ""},
		{all, " go\n", []string{"go"}, ""},
		{all, "neon", all, "has no neon kernels (it runs avx512, avx2, go)"},
		{[]string{"avx2", "go"}, "avx512", []string{"avx2", "go"}, "COCOTRAIN_KERNELS=avx512: this CPU or build has no avx512"},
		{[]string{"go"}, "avx2", []string{"go"}, "has no avx2 kernels"},
		{all, "AVX2", all, `COCOTRAIN_KERNELS="AVX2": unknown kernel path (want one of avx512, avx2, neon, go)`},
		{all, "sse", all, "unknown kernel path"},
		{[]string{"neon", "go"}, "neon", []string{"neon", "go"}, ""},
		{[]string{"neon", "go"}, "go", []string{"go"}, ""},
	}
	for _, c := range cases {
		got := choosePath(c.has, c.forced)
		if !slices.Equal(got.enabled, c.enabled) {
			t.Errorf("choosePath(%v, %q).enabled = %v, want %v", c.has, c.forced, got.enabled, c.enabled)
		}
		switch {
		case c.errHas == "" && got.err != nil:
			t.Errorf("choosePath(%v, %q): unexpected error %v", c.has, c.forced, got.err)
		case c.errHas != "" && (got.err == nil || !strings.Contains(got.err.Error(), c.errHas)):
			t.Errorf("choosePath(%v, %q): error %v, want one containing %q", c.has, c.forced, got.err, c.errHas)
		}
	}
}

// childEnv marks the test binary run by TestEnvForcesPath as the child that
// reports its dispatch.
const childEnv = "COCOTRAIN_KERNELS_TEST_CHILD"

// dispatchReport describes this process's dispatch in one line.
func dispatchReport() string {
	var names []string
	for _, k := range availableKernels() {
		names = append(names, k.name)
	}
	return fmt.Sprintf("path=%s enabled=%s kernels=%s err=%v",
		Path(), strings.Join(isa.enabled, ","), strings.Join(names, ","), CheckPath())
}

// TestEnvForcesPath runs this test binary again under every COCOTRAIN_KERNELS
// value the CPU has and some it refuses, and checks what each process
// chose: the forced path and those below it, micro-kernels only from those,
// or for a refused value the error and the unforced choice.
func TestEnvForcesPath(t *testing.T) {
	if os.Getenv(childEnv) == "1" {
		fmt.Println(dispatchReport())
		return
	}
	run := func(value string) string {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^TestEnvForcesPath$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"=1", EnvKernels+"="+value)
		out, err := cmd.CombinedOutput()
		var execErr *exec.Error
		if errors.As(err, &execErr) || errors.Is(err, syscall.ENOEXEC) || errors.Is(err, os.ErrPermission) {
			t.Skipf("cannot run the test binary again here (%v; under an emulator?): the environment forcing is not checked", err)
		}
		if err != nil {
			t.Fatalf("%s=%s: %v\n%s", EnvKernels, value, err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "path=") {
				return line
			}
		}
		t.Fatalf("%s=%s: no report in\n%s", EnvKernels, value, out)
		return ""
	}
	has := cpuPaths()
	for i, p := range has {
		want := choosePath(has, p)
		got := run(p)
		t.Logf("%s=%s: %s", EnvKernels, p, got)
		if !strings.HasPrefix(got, fmt.Sprintf("path=%s enabled=%s kernels=", p, strings.Join(has[i:], ","))) || !strings.HasSuffix(got, " err=<nil>") || want.err != nil {
			t.Errorf("%s=%s: got %q, want path %s, enabled %v, no error", EnvKernels, p, got, p, has[i:])
		}
		kernelsPart := strings.TrimSuffix(strings.SplitN(got, " kernels=", 2)[1], " err=<nil>")
		for _, k := range strings.Split(kernelsPart, ",") {
			if !slices.Contains(has[i:], k) {
				t.Errorf("%s=%s: micro-kernel %s of a path not enabled", EnvKernels, p, k)
			}
		}
	}
	for _, bad := range []string{"neon", "avx512", "fast"} {
		if slices.Contains(has, bad) {
			continue
		}
		got := run(bad)
		t.Logf("%s=%s: %s", EnvKernels, bad, got)
		if !strings.HasPrefix(got, fmt.Sprintf("path=%s enabled=%s ", has[0], strings.Join(has, ","))) ||
			!strings.Contains(got, "err="+EnvKernels+"=") {
			t.Errorf("%s=%s: got %q, want the refusal and the unforced choice %v", EnvKernels, bad, got, has)
		}
	}
}
