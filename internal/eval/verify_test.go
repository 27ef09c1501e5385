package eval

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// acc and valT are grid thresholds computed as the code does (at run time:
// the constant expression 41*0.01 would be exactly 0.41, float64(41)*0.01 is
// not).
func accT(i int) float64 { return float64(i) * accGridStep }
func valT(i int) float64 { return float64(i) * valGridStep }

// TestSplitFoldsLikeKFold checks scikit-learn's KFold sizes (the first n mod
// k folds one larger) and insightface's single-fold LFold.
func TestSplitFoldsLikeKFold(t *testing.T) {
	f, err := splitFolds(1003, 7)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{144, 144, 143, 143, 143, 143, 143}
	lo := 0
	for i, s := range f {
		if s.lo != lo || s.hi-s.lo != want[i] {
			t.Fatalf("fold %d = [%d,%d), want [%d,%d)", i, s.lo, s.hi, lo, lo+want[i])
		}
		lo = s.hi
	}
	one, err := splitFolds(5, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !one[0].train(3) || one[0].lo != 0 || one[0].hi != 5 {
		t.Fatalf("single fold %+v: want train = test = all", one[0])
	}
	for _, c := range [][2]int{{3, 4}, {0, 1}, {10, 0}} {
		if _, err := splitFolds(c[0], c[1]); err == nil {
			t.Errorf("splitFolds(%d, %d): want an error", c[0], c[1])
		}
	}
}

// TestFoldThresholdByHand: two folds of four pairs, worked out on paper.
// Training on fold 1 (same 0.2, 0.4; different 0.6, 0.7), every threshold in
// (0.4, 0.6] is perfect: the first grid one is 0.41. On fold 0 (same 0.1,
// 0.5; different 0.3, 0.9) it accepts 0.1 and 0.3, rejects 0.5 and 0.9: 2/4.
// Training on fold 0, 3/4 is reached first at 0.11 (accepts only 0.1); on
// fold 1 that rejects all four: 2/4.
func TestFoldThresholdByHand(t *testing.T) {
	dist := []float64{0.1, 0.5, 0.3, 0.9, 0.2, 0.4, 0.6, 0.7}
	same := []bool{true, true, false, false, true, true, false, false}
	v, err := KFold(dist, same, 2)
	if err != nil {
		t.Fatal(err)
	}
	wantT := []float64{accT(41), accT(11)}
	for f := range wantT {
		if v.FoldThreshold[f] != wantT[f] || v.FoldAccuracy[f] != 0.5 {
			t.Errorf("fold %d: threshold %v accuracy %v, want %v and 0.5", f, v.FoldThreshold[f], v.FoldAccuracy[f], wantT[f])
		}
	}
	if v.AccuracyMean != 0.5 || v.AccuracyStd != 0 {
		t.Errorf("accuracy %v ± %v, want 0.5 ± 0", v.AccuracyMean, v.AccuracyStd)
	}
}

// TestThresholdStrictAndFirstMaximum: a same pair exactly on the grid value
// 0.30 is accepted only from 0.31 on (dist < threshold), and of the tied
// perfect thresholds 0.31..0.50 the first is chosen.
func TestThresholdStrictAndFirstMaximum(t *testing.T) {
	onGrid := accT(30)
	s := newSortedScores([]float64{onGrid, 0.5}, []bool{true, false}, func(int) bool { return true })
	if got, want := s.bestThreshold(), accT(31); got != want {
		t.Fatalf("best threshold %v, want %v", got, want)
	}
	if s.correct(onGrid) != 1 || s.correct(accT(31)) != 2 {
		t.Fatalf("correct at 0.30 = %d, at 0.31 = %d; want 1 and 2", s.correct(onGrid), s.correct(accT(31)))
	}
}

// TestFARThresholdInterpolation: different-pair distances 0.1005, 0.2,
// 3.0005, 3.5 give FAR 0 up to the grid point 0.100, 1/4 from 0.101 to
// 0.200, 1/2 from 0.201 to 3.000 and 3/4 from 3.001. FAR 1/8 interpolates
// halfway between 0.100 and 0.101; FAR exactly 1/2 is the last grid point
// with that FAR, 3.000; FAR 5/8 is halfway between 3.000 and 3.001; a FAR
// above every grid FAR gives threshold 0.
func TestFARThresholdInterpolation(t *testing.T) {
	s := newSortedScores([]float64{0.1005, 0.2, 3.0005, 3.5, 0.05}, []bool{false, false, false, false, true}, func(int) bool { return true })
	cases := []struct{ target, want float64 }{
		{0.125, 0.1005},
		{0.5, valT(3000)},
		{0.625, 3.0005},
	}
	for _, c := range cases {
		if got := s.farThreshold(c.target); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("FAR %v: threshold %.17g, want %.17g", c.target, got, c.want)
		}
	}
	high := newSortedScores([]float64{0.5, 5, 0.1}, []bool{false, false, true}, func(int) bool { return true })
	if got := high.farThreshold(0.75); got != 0 {
		t.Errorf("FAR beyond the grid: threshold %v, want 0", got)
	}
	val, far := s.valFAR(0.1005)
	if val != 1 || far != 0 {
		t.Errorf("valFAR(0.1005) = %v, %v; want 1, 0", val, far)
	}
}

// insightfaceFixture is a file written by scripts/verify_reference.py.
type insightfaceFixture struct {
	Folds         int       `json:"folds"`
	Dist          []float64 `json:"dist"`
	Same          []bool    `json:"same"`
	FoldAccuracy  []float64 `json:"fold_accuracy"`
	FoldThreshold []float64 `json:"fold_threshold"`
	AccuracyMean  float64   `json:"accuracy_mean"`
	AccuracyStd   float64   `json:"accuracy_std"`
	FoldVAL       []float64 `json:"fold_val"`
	FoldFAR       []float64 `json:"fold_far"`
	VALMean       float64   `json:"val_mean"`
	VALStd        float64   `json:"val_std"`
	FARMean       float64   `json:"far_mean"`
	// ROC summaries by scikit-learn (roc_curve, roc_auc_score) and
	// facenet's EER.
	ROCPoints int                `json:"roc_points"`
	AUC       float64            `json:"auc"`
	EER       float64            `json:"eer"`
	TAR       map[string]float64 `json:"tar_at_far"`
}

// loadFixture reads one insightfaceFixture file from testdata.
func loadFixture(tb testing.TB, name string) insightfaceFixture {
	tb.Helper()
	raw, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	var fx insightfaceFixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		tb.Fatal(err)
	}
	return fx
}

// TestKFoldAgreesWithInsightface reproduces insightface's calculate_roc and
// calculate_val on fixed score lists (10 folds of 600 LFW-like pairs, with a
// tenth of the distances exactly on grid thresholds; and 1003 pairs in 7
// uneven folds): the same thresholds, bit for bit, and the same accuracies.
func TestKFoldAgreesWithInsightface(t *testing.T) {
	for _, name := range []string{"testdata/insightface_lfw10.json", "testdata/insightface_uneven7.json"} {
		fx := loadFixture(t, name)
		v, err := KFold(fx.Dist, fx.Same, fx.Folds)
		if err != nil {
			t.Fatal(err)
		}
		for f := 0; f < fx.Folds; f++ {
			if v.FoldThreshold[f] != fx.FoldThreshold[f] {
				t.Errorf("%s fold %d: threshold %v, insightface %v", name, f, v.FoldThreshold[f], fx.FoldThreshold[f])
			}
			if v.FoldAccuracy[f] != fx.FoldAccuracy[f] {
				t.Errorf("%s fold %d: accuracy %v, insightface %v", name, f, v.FoldAccuracy[f], fx.FoldAccuracy[f])
			}
		}
		near := func(what string, got, want float64) {
			if math.Abs(got-want) > 1e-12 {
				t.Errorf("%s %s: %.17g, insightface %.17g", name, what, got, want)
			}
		}
		near("accuracy mean", v.AccuracyMean, fx.AccuracyMean)
		near("accuracy std", v.AccuracyStd, fx.AccuracyStd)
		near("VAL mean", v.VAL, fx.VALMean)
		near("VAL std", v.VALStd, fx.VALStd)
		near("FAR mean", v.FAR, fx.FARMean)
	}
}

// TestROCAgreesWithSklearn compares the ROC summaries on the fixtures with
// scikit-learn's roc_curve / roc_auc_score and facenet's brentq EER.
func TestROCAgreesWithSklearn(t *testing.T) {
	for _, name := range []string{"testdata/insightface_lfw10.json", "testdata/insightface_uneven7.json"} {
		fx := loadFixture(t, name)
		r, err := NewReport("fixture", fx.Dist, nil, fx.Same, fx.Folds)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.ROC.FPR) != fx.ROCPoints {
			t.Errorf("%s: %d ROC points, sklearn %d", name, len(r.ROC.FPR), fx.ROCPoints)
		}
		if math.Abs(r.AUC-fx.AUC) > 1e-12 {
			t.Errorf("%s: AUC %.17g, sklearn %.17g", name, r.AUC, fx.AUC)
		}
		if math.Abs(r.EER-fx.EER) > 1e-9 {
			t.Errorf("%s: EER %.17g, facenet %.17g", name, r.EER, fx.EER)
		}
		for i, f := range TARFARs {
			if math.Abs(r.TAR[i]-fx.TAR[f.Key]) > 1e-12 {
				t.Errorf("%s: TAR@FAR=%s %v, reference %v", name, f.Key, r.TAR[i], fx.TAR[f.Key])
			}
		}
	}
}
