package bench

import (
	"testing"

	"github.com/cocotrain/cocotrain/internal/kernels"
)

// TestPeakGFLOPS checks the probe reports a positive, finite rate.
func TestPeakGFLOPS(t *testing.T) {
	g := PeakGFLOPS(1)
	if !(g > 0) || g > 1e6 {
		t.Fatalf("PeakGFLOPS(1) = %v", g)
	}
	t.Logf("peak, 1 thread (%s): %.1f GFLOP/s", kernels.Path(), g)
}
