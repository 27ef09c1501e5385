package eval

import (
	"fmt"
	"sort"
)

// Threshold grids of insightface's verification.evaluate: np.arange(0, 4,
// 0.01) for the accuracy threshold and np.arange(0, 4, 0.001) for VAL@FAR.
// Value i of each is float64(i)·step, exactly as numpy fills an arange.
const (
	accGridStep = 0.01
	accGridLen  = 400
	valGridStep = 0.001
	valGridLen  = 4000
	// valFARTarget is the false accept rate VAL is reported at.
	valFARTarget = 1e-3
)

// fold is one split of the k-fold protocol: pairs [lo, hi) are held out and
// the rest train. With a single fold, insightface's LFold trains and tests on
// every pair (all is set).
type fold struct {
	lo, hi int
	all    bool
}

// train reports whether pair i is in the training part of f.
func (f fold) train(i int) bool { return f.all || i < f.lo || i >= f.hi }

// splitFolds cuts n pairs into k contiguous folds as scikit-learn's
// KFold(n_splits=k, shuffle=False) does: the first n mod k folds hold one
// pair more than the others.
func splitFolds(n, k int) ([]fold, error) {
	if k < 1 {
		return nil, fmt.Errorf("eval: %d folds: need at least 1", k)
	}
	if n < k || n == 0 {
		return nil, fmt.Errorf("eval: %d pairs cannot fill %d folds", n, k)
	}
	if k == 1 {
		return []fold{{0, n, true}}, nil
	}
	folds := make([]fold, k)
	lo := 0
	for i := range folds {
		size := n / k
		if i < n%k {
			size++
		}
		folds[i] = fold{lo: lo, hi: lo + size}
		lo += size
	}
	return folds, nil
}

// sortedScores holds the distances of one side of a split, same-identity and
// different-identity pairs apart, each sorted ascending, so that the number
// accepted (distance < t) at any threshold t is one binary search.
type sortedScores struct {
	same, diff []float64
}

// newSortedScores collects the distances of the pairs i with keep(i).
func newSortedScores(dist []float64, same []bool, keep func(i int) bool) sortedScores {
	var s sortedScores
	for i, d := range dist {
		if !keep(i) {
			continue
		}
		if same[i] {
			s.same = append(s.same, d)
		} else {
			s.diff = append(s.diff, d)
		}
	}
	sort.Float64s(s.same)
	sort.Float64s(s.diff)
	return s
}

// below counts the values of the ascending slice xs strictly less than t
// (insightface predicts "same" when dist < threshold). NaN counts as never
// accepted, as numpy's comparison does.
func below(xs []float64, t float64) int {
	return sort.Search(len(xs), func(i int) bool { return !(xs[i] < t) })
}

// correct is the number of pairs classified correctly at threshold t:
// accepted same pairs plus rejected different pairs.
func (s sortedScores) correct(t float64) int {
	return below(s.same, t) + len(s.diff) - below(s.diff, t)
}

// bestThreshold returns the grid threshold with the most correct pairs; of
// equal ones the lowest wins, as np.argmax returns the first maximum.
func (s sortedScores) bestThreshold() float64 {
	best, bestN := 0.0, -1
	for i := 0; i < accGridLen; i++ {
		t := float64(i) * accGridStep
		if n := s.correct(t); n > bestN {
			best, bestN = t, n
		}
	}
	return best
}

// accuracy is the fraction of pairs classified correctly at threshold t
// (0 for an empty split).
func (s sortedScores) accuracy(t float64) float64 {
	n := len(s.same) + len(s.diff)
	if n == 0 {
		return 0
	}
	return float64(s.correct(t)) / float64(n)
}

// valFAR returns the validation rate (accepted same pairs over same pairs)
// and false accept rate (accepted different pairs over different pairs) at
// threshold t, as insightface's calculate_val_far; an empty class gives 0
// where numpy would give NaN.
func (s sortedScores) valFAR(t float64) (val, far float64) {
	if len(s.same) > 0 {
		val = float64(below(s.same, t)) / float64(len(s.same))
	}
	if len(s.diff) > 0 {
		far = float64(below(s.diff, t)) / float64(len(s.diff))
	}
	return val, far
}

// farThreshold finds the threshold at which the false accept rate reaches
// target as insightface's calculate_val does: the FAR of every threshold of
// the 0.001 grid, then scipy's interp1d(far, thresholds, kind='slinear') at
// target, or 0 when no threshold reaches target. interp1d sorts the FARs
// stably (they already ascend with the threshold) and interpolates linearly
// between the last grid point whose FAR is ≤ target and the next one.
func (s sortedScores) farThreshold(target float64) float64 {
	far := make([]float64, valGridLen)
	for i := range far {
		_, far[i] = s.valFAR(float64(i) * valGridStep)
	}
	if far[len(far)-1] < target {
		return 0
	}
	// p: the last index with far[p] <= target (far[0] = 0 ≤ target).
	p := sort.Search(len(far), func(i int) bool { return far[i] > target }) - 1
	tp := float64(p) * valGridStep
	if p == len(far)-1 || far[p] == target {
		return tp
	}
	// The degree-1 B-spline scipy evaluates, in its arithmetic order.
	tq := float64(p+1) * valGridStep
	w := 1 / (far[p+1] - far[p])
	return tp*(w*(far[p+1]-target)) + tq*(w*(target-far[p]))
}
