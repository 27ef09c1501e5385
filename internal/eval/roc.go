package eval

import (
	"math"

	"gonum.org/v1/gonum/integrate"
	"gonum.org/v1/gonum/stat"
)

// ROC is the receiver operating characteristic of a list of pair distances,
// with a point at every distinct distance (gonum/stat.ROC): pairs with
// distance ≤ Threshold[i] are accepted as the same identity, which accepts
// the fraction TPR[i] of same pairs and FPR[i] of different pairs. The first
// point (threshold −Inf) accepts nothing; FPR and TPR never decrease.
type ROC struct {
	FPR, TPR, Threshold []float64
}

// NewROC computes the ROC of dist (squared L2, smaller = more alike) against
// the labels same. Both classes must be present.
func NewROC(dist []float64, same []bool) ROC {
	// gonum ranks scores where larger means positive: use −d.
	y := make([]float64, len(dist))
	for i, d := range dist {
		y[i] = -d
	}
	classes := append([]bool(nil), same...)
	stat.SortWeightedLabeled(y, classes, nil)
	tpr, fpr, thresh := stat.ROC(nil, y, classes, nil)
	for i := range thresh {
		thresh[i] = -thresh[i]
	}
	return ROC{FPR: fpr, TPR: tpr, Threshold: thresh}
}

// AUC is the area under the curve by the trapezoidal rule
// (gonum/integrate.Trapezoidal).
func (r ROC) AUC() float64 { return integrate.Trapezoidal(r.FPR, r.TPR) }

// EER is the equal error rate: where the false accept rate equals the false
// reject rate 1 − TPR, interpolated linearly between the two curve points
// that bracket the crossing.
func (r ROC) EER() float64 {
	for i := range r.FPR {
		fnr := 1 - r.TPR[i]
		if r.FPR[i] < fnr {
			continue
		}
		if i == 0 {
			return r.FPR[0]
		}
		f0, n0 := r.FPR[i-1], 1-r.TPR[i-1]
		df, dn := r.FPR[i]-f0, fnr-n0
		// f0 + t·df = n0 + t·dn at t = (n0 − f0)/(df − dn); df − dn > 0 here.
		return f0 + (n0-f0)/(df-dn)*df
	}
	return math.NaN() // an empty curve; otherwise the last point has FPR 1 ≥ FNR 0
}

// TARAtFAR is the true accept rate of the best operating point whose false
// accept rate does not exceed far: the largest TPR among curve points with
// FPR ≤ far (0 when only accepting nothing qualifies). gonum computes a
// rate as 1 − count/total, so FPR is compared with a 1e-12 allowance.
func (r ROC) TARAtFAR(far float64) float64 {
	tar := 0.0
	for i, f := range r.FPR {
		if f <= far+1e-12 {
			tar = math.Max(tar, r.TPR[i])
		}
	}
	return tar
}
