package eval

import (
	"math"
	"testing"
)

// TestROCByHand: same pairs at 0.1 and 0.3, different pairs at 0.3 and 0.9.
// Accepting d ≤ t gives the points (FPR, TPR) (0,0), (0,½) at 0.1, (½,1) at
// 0.3 (a tie of both classes: a diagonal step) and (1,1) at 0.9. AUC = ½·¾ +
// ½·1 = 0.875, the Mann–Whitney count with a tie as half: 3.5 of 4. The
// false reject rate falls from ½ to 0 while the false accept rate rises
// from 0 to ½ on the diagonal step: they meet at ¼, the EER.
func TestROCByHand(t *testing.T) {
	r := NewROC([]float64{0.3, 0.1, 0.9, 0.3}, []bool{false, true, false, true})
	wantF := []float64{0, 0, 0.5, 1}
	wantT := []float64{0, 0.5, 1, 1}
	wantThr := []float64{math.Inf(-1), 0.1, 0.3, 0.9}
	if len(r.FPR) != len(wantF) {
		t.Fatalf("ROC has %d points, want %d: %+v", len(r.FPR), len(wantF), r)
	}
	for i := range wantF {
		if r.FPR[i] != wantF[i] || r.TPR[i] != wantT[i] || r.Threshold[i] != wantThr[i] {
			t.Errorf("point %d: (%v, %v) at %v, want (%v, %v) at %v", i, r.FPR[i], r.TPR[i], r.Threshold[i], wantF[i], wantT[i], wantThr[i])
		}
	}
	if got := r.AUC(); got != 0.875 {
		t.Errorf("AUC %v, want 0.875", got)
	}
	if got := r.EER(); math.Abs(got-0.25) > 1e-15 {
		t.Errorf("EER %v, want 0.25", got)
	}
	for _, c := range []struct{ far, tar float64 }{{0, 0.5}, {0.49, 0.5}, {0.5, 1}, {1, 1}} {
		if got := r.TARAtFAR(c.far); got != c.tar {
			t.Errorf("TAR@FAR=%v: %v, want %v", c.far, got, c.tar)
		}
	}
}

// TestROCSteps: same 0.1, 0.2, 0.5 against different 0.3, 0.6, 0.7 (no
// ties). The points are (0,⅓), (0,⅔), (⅓,⅔), (⅓,1), (⅔,1), (1,1): TAR at
// FAR 0 is ⅔; at (⅓,⅔) the false accept and false reject rates are both ⅓,
// the EER; AUC counts the 8 of 9 (same, different) pairs ordered right.
func TestROCSteps(t *testing.T) {
	r := NewROC([]float64{0.1, 0.2, 0.5, 0.3, 0.6, 0.7}, []bool{true, true, true, false, false, false})
	if got := r.AUC(); math.Abs(got-8.0/9) > 1e-15 {
		t.Errorf("AUC %v, want 8/9", got)
	}
	if got := r.EER(); math.Abs(got-1.0/3) > 1e-15 {
		t.Errorf("EER %v, want 1/3", got)
	}
	if got := r.TARAtFAR(0); math.Abs(got-2.0/3) > 1e-15 {
		t.Errorf("TAR@FAR=0 %v, want 2/3", got)
	}
}

// TestROCSeparable: perfectly separated classes give AUC 1, EER 0 and TAR 1
// at any FAR.
func TestROCSeparable(t *testing.T) {
	r := NewROC([]float64{0.2, 0.4, 1.5, 1.9}, []bool{true, true, false, false})
	if r.AUC() != 1 || r.EER() != 0 || r.TARAtFAR(1e-4) != 1 {
		t.Errorf("AUC %v EER %v TAR %v, want 1, 0, 1", r.AUC(), r.EER(), r.TARAtFAR(1e-4))
	}
}
