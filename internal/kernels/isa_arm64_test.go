//go:build !noasm

package kernels

import "testing"

// TestNEONPathsSelected checks that an arm64 build runs the NEON kernels
// of every family that has them, and logs the paths in use (scripts/test.sh
// prints this log in its arm64 pass under qemu).
func TestNEONPathsSelected(t *testing.T) {
	if !hasNEON {
		t.Skip("the NEON paths are disabled in this process")
	}
	paths := []struct{ family, name string }{
		{"sgemm micro-kernel", KernelName()},
		{"plane loops", plane.name},
		{"3×3 depthwise", dw.name},
		{"vector loops", vec.name},
		{"Winograd transforms", wino.name},
		{"fused BN/activation/2×2 pooling", pool2x2.name},
	}
	for _, p := range paths {
		t.Logf("%s: %s", p.family, p.name)
		if p.name != "neon" {
			t.Errorf("%s: %q in use, want neon", p.family, p.name)
		}
	}
}
