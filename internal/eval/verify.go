package eval

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
)

// Verification is the outcome of the k-fold protocol on one list of pair
// distances: per fold, the accuracy threshold chosen on the other folds and
// the accuracy it gives on the held-out fold, and VAL/FAR at the threshold
// where the other folds' false accept rate is 1e-3.
type Verification struct {
	// FoldAccuracy[f] is the accuracy on fold f at FoldThreshold[f], the
	// squared-L2 threshold (accept when distance < threshold) that
	// maximised accuracy on the other folds.
	FoldAccuracy, FoldThreshold []float64
	// AccuracyMean and AccuracyStd summarise FoldAccuracy; the standard
	// deviation is the population one (divide by k), as numpy's np.std
	// that insightface logs.
	AccuracyMean, AccuracyStd float64
	// VAL (mean over folds, ± VALStd, population) is the fraction of same
	// pairs accepted at the threshold whose false accept rate on the other
	// folds is 1e-3; FAR is the mean false accept rate reached on the
	// held-out folds.
	VAL, VALStd, FAR float64
	// HeldOut[i] is pair i's distance under the model of the fold that
	// held it out: the distances themselves for a fixed embedding, the
	// out-of-sample ones for a baseline fitted per fold. The ROC uses it.
	HeldOut []float64
}

// KFold runs insightface's calculate_roc and calculate_val on dist (one
// squared-L2 distance per pair, unit-norm embeddings so 0 ≤ d ≤ 4) with
// labels same, split into folds contiguous folds.
func KFold(dist []float64, same []bool, folds int) (*Verification, error) {
	return kfold(func(int) []float64 { return dist }, same, folds)
}

// kfold is KFold where the distances may depend on the fold (a baseline
// fitted on the training folds): distOf(f) gives every pair's distance under
// the model fitted without fold f.
func kfold(distOf func(f int) []float64, same []bool, k int) (*Verification, error) {
	splits, err := splitFolds(len(same), k)
	if err != nil {
		return nil, err
	}
	v := &Verification{
		FoldAccuracy:  make([]float64, k),
		FoldThreshold: make([]float64, k),
	}
	v.HeldOut = make([]float64, len(same))
	val := make([]float64, k)
	far := make([]float64, k)
	for f, s := range splits {
		dist := distOf(f)
		if len(dist) != len(same) {
			return nil, fmt.Errorf("eval: %d distances for %d pairs", len(dist), len(same))
		}
		copy(v.HeldOut[s.lo:s.hi], dist[s.lo:s.hi])
		train := newSortedScores(dist, same, s.train)
		test := newSortedScores(dist, same, func(i int) bool { return i >= s.lo && i < s.hi })
		t := train.bestThreshold()
		v.FoldThreshold[f] = t
		v.FoldAccuracy[f] = test.accuracy(t)
		val[f], far[f] = test.valFAR(train.farThreshold(valFARTarget))
	}
	v.AccuracyMean, v.AccuracyStd = stat.PopMeanStdDev(v.FoldAccuracy, nil)
	v.VAL, v.VALStd = stat.PopMeanStdDev(val, nil)
	v.FAR = stat.Mean(far, nil)
	return v, nil
}

// Distances returns the squared L2 distance of each pair (left[i], right[i])
// of the rows of emb (N×dim, row-major), accumulated in float64.
func Distances(emb []float32, dim int, left, right []int) []float64 {
	d := make([]float64, len(left))
	for i := range left {
		a := emb[left[i]*dim : (left[i]+1)*dim]
		b := emb[right[i]*dim : (right[i]+1)*dim]
		var s float64
		for j := range a {
			x := float64(a[j]) - float64(b[j])
			s += x * x
		}
		d[i] = s
	}
	return d
}

// CosineOfL2 converts a squared L2 distance between unit vectors into their
// cosine similarity: cos = 1 − d/2.
func CosineOfL2(d float64) float64 { return 1 - d/2 }

// checkFinite returns an error naming the first pair whose distance is NaN
// or infinite (a diverged model).
func checkFinite(dist []float64) error {
	for i, d := range dist {
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return fmt.Errorf("eval: pair %d has distance %v: the embeddings are not finite", i, d)
		}
	}
	return nil
}
