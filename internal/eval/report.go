package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/cocotrain/cocotrain/internal/data"
)

// TARFARs are the false accept rates the report gives the true accept rate
// at, with their JSON keys.
var TARFARs = []struct {
	Key string
	FAR float64
}{{"1e-2", 1e-2}, {"1e-3", 1e-3}, {"1e-4", 1e-4}}

// Report is the verification report of one method on one pair set.
type Report struct {
	// Method names what produced the distances, e.g. "embedding" or
	// "pixels" (text only).
	Method string
	// Mirror reports whether the scored embeddings include the mirror
	// image; when false, NoFlip is the same protocol run as the main one.
	Mirror bool
	// Pairs and Folds are the number of pairs and of folds.
	Pairs, Folds int
	// Verification is the k-fold outcome on the scored embeddings.
	Verification
	// NoFlip is the k-fold outcome without the mirror image.
	NoFlip Verification
	// ThresholdL2 is the mean over folds of the chosen squared-L2
	// thresholds; ThresholdCos = 1 − ThresholdL2/2 is the matching cosine.
	ThresholdL2, ThresholdCos float64
	// ROC is the curve over every pair's held-out distance; AUC and EER
	// are read from it.
	ROC      ROC
	AUC, EER float64
	// TAR[i] is the true accept rate at false accept rate TARFARs[i].FAR.
	TAR []float64
	// XNorm is the mean norm of the raw embeddings (Embeddings.XNorm);
	// 0 when the report does not come from embeddings.
	XNorm float64
	// Preprocess, when set, is the preprocessing the scored images went
	// through and where it came from (the report's "preprocess" line and
	// JSON key; nil leaves them out).
	Preprocess *Preprocessing
}

// NewReport scores flip (the distances of the embeddings with the mirror)
// and noFlip (without it; nil when the method uses no mirror) on the labels
// same with folds folds.
func NewReport(method string, flip, noFlip []float64, same []bool, folds int) (*Report, error) {
	return newReport(method, func(int) []float64 { return flip }, nilOr(noFlip), same, folds)
}

// nilOr wraps a fixed distance list as a per-fold one, keeping nil.
func nilOr(d []float64) func(int) []float64 {
	if d == nil {
		return nil
	}
	return func(int) []float64 { return d }
}

// newReport is NewReport for distances that may depend on the fold.
func newReport(method string, flip, noFlip func(int) []float64, same []bool, folds int) (*Report, error) {
	nSame := 0
	for _, s := range same {
		if s {
			nSame++
		}
	}
	if nSame == 0 || nSame == len(same) {
		return nil, fmt.Errorf("eval: %d pairs of which %d same: need both same and different pairs", len(same), nSame)
	}
	v, err := kfold(flip, same, folds)
	if err != nil {
		return nil, err
	}
	if err := checkFinite(v.HeldOut); err != nil {
		return nil, err
	}
	r := &Report{Method: method, Mirror: noFlip != nil, Pairs: len(same), Folds: folds, Verification: *v, NoFlip: *v}
	if noFlip != nil {
		nv, err := kfold(noFlip, same, folds)
		if err != nil {
			return nil, err
		}
		r.NoFlip = *nv
	}
	r.ThresholdL2 = 0
	for _, t := range v.FoldThreshold {
		r.ThresholdL2 += t / float64(folds)
	}
	r.ThresholdCos = CosineOfL2(r.ThresholdL2)
	r.ROC = NewROC(v.HeldOut, same)
	r.AUC = r.ROC.AUC()
	r.EER = r.ROC.EER()
	for _, f := range TARFARs {
		r.TAR = append(r.TAR, r.ROC.TARAtFAR(f.FAR))
	}
	return r, nil
}

// Score reports the verification of set from its images' embeddings.
func Score(set *data.VerificationSet, emb *Embeddings) (*Report, error) {
	if emb.N != set.Images.Len() {
		return nil, fmt.Errorf("eval: %d embeddings for %d images", emb.N, set.Images.Len())
	}
	if err := checkPairs(set); err != nil {
		return nil, err
	}
	r, err := NewReport("embedding",
		Distances(emb.Flip, emb.Dim, set.Left, set.Right),
		Distances(emb.NoFlip, emb.Dim, set.Left, set.Right),
		set.Same, set.Folds)
	if err != nil {
		return nil, err
	}
	r.XNorm = emb.XNorm
	return r, nil
}

// Evaluate extracts the embeddings of set's images through e (preprocessed
// by pp, the training path) and reports the verification, accuracy with
// the mirror first, as insightface logs it.
func Evaluate(ctx context.Context, e Embedder, set *data.VerificationSet, pp data.Preprocess, opt Options) (*Report, error) {
	if err := checkPairs(set); err != nil {
		return nil, err
	}
	emb, err := Extract(ctx, e, set.Images, pp, opt)
	if err != nil {
		return nil, err
	}
	return Score(set, emb)
}

// checkPairs reports a set whose pair lists disagree in length or point
// outside its images.
func checkPairs(set *data.VerificationSet) error {
	n := set.Images.Len()
	if len(set.Left) != len(set.Same) || len(set.Right) != len(set.Same) {
		return fmt.Errorf("eval: verification set has %d left, %d right and %d labels", len(set.Left), len(set.Right), len(set.Same))
	}
	for k := range set.Same {
		if set.Left[k] < 0 || set.Left[k] >= n || set.Right[k] < 0 || set.Right[k] >= n {
			return fmt.Errorf("eval: pair %d refers to images %d and %d of %d", k, set.Left[k], set.Right[k], n)
		}
	}
	return nil
}

// jsonReport is the JSON form of a Report, with exactly its documented keys.
type jsonReport struct {
	AccuracyMean       float64            `json:"accuracy_mean"`
	AccuracyStd        float64            `json:"accuracy_std"`
	AccuracyNoFlipMean float64            `json:"accuracy_noflip_mean"`
	ThresholdL2        float64            `json:"threshold_l2"`
	ThresholdCos       float64            `json:"threshold_cos"`
	VALAtFAR1e3        float64            `json:"val_at_far_1e3"`
	AUC                float64            `json:"auc"`
	EER                float64            `json:"eer"`
	TARAtFAR           map[string]float64 `json:"tar_at_far"`
	Pairs              int                `json:"pairs"`
	Folds              int                `json:"folds"`
	Preprocess         *Preprocessing     `json:"preprocess,omitempty"`
}

// MarshalJSON writes the report as one object with the keys accuracy_mean,
// accuracy_std, accuracy_noflip_mean, threshold_l2, threshold_cos,
// val_at_far_1e3, auc, eer, tar_at_far ("1e-2", "1e-3", "1e-4"), pairs and
// folds, and preprocess (Preprocessing.MarshalJSON) when Preprocess is set.
func (r *Report) MarshalJSON() ([]byte, error) {
	j := jsonReport{
		AccuracyMean:       r.AccuracyMean,
		AccuracyStd:        r.AccuracyStd,
		AccuracyNoFlipMean: r.NoFlip.AccuracyMean,
		ThresholdL2:        r.ThresholdL2,
		ThresholdCos:       r.ThresholdCos,
		VALAtFAR1e3:        r.VAL,
		AUC:                r.AUC,
		EER:                r.EER,
		TARAtFAR:           map[string]float64{},
		Pairs:              r.Pairs,
		Folds:              r.Folds,
		Preprocess:         r.Preprocess,
	}
	for i, f := range TARFARs {
		j.TARAtFAR[f.Key] = r.TAR[i]
	}
	return json.Marshal(j)
}

// WriteText writes the report as aligned "name  value  note" lines.
func (r *Report) WriteText(w io.Writer) error {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	line := func(name, value, note string) { fmt.Fprintf(tw, "%s\t%s\t%s\n", name, value, note) }
	mirror := "image + mirror"
	if !r.Mirror {
		mirror = "no mirror"
	}
	line("method", r.Method, mirror)
	line("pairs", fmt.Sprintf("%d", r.Pairs), fmt.Sprintf("in %d folds", r.Folds))
	line("accuracy", fmt.Sprintf("%.2f%% ± %.2f%%", 100*r.AccuracyMean, 100*r.AccuracyStd), "mean ± population std over folds")
	if r.Mirror {
		line("accuracy without mirror", fmt.Sprintf("%.2f%% ± %.2f%%", 100*r.NoFlip.AccuracyMean, 100*r.NoFlip.AccuracyStd), "")
	}
	line("threshold", fmt.Sprintf("%.4f", r.ThresholdL2), fmt.Sprintf("squared L2 (cosine %.4f), mean over folds", r.ThresholdCos))
	line("VAL@FAR=1e-3", fmt.Sprintf("%.2f%% ± %.2f%%", 100*r.VAL, 100*r.VALStd), fmt.Sprintf("FAR reached %.5f", r.FAR))
	line("AUC", fmt.Sprintf("%.4f", r.AUC), "")
	line("EER", fmt.Sprintf("%.2f%%", 100*r.EER), "")
	for i, f := range TARFARs {
		line("TAR@FAR="+f.Key, fmt.Sprintf("%.2f%%", 100*r.TAR[i]), "")
	}
	if r.XNorm > 0 {
		line("XNorm", fmt.Sprintf("%.4f", r.XNorm), "mean raw embedding norm")
	}
	if p := r.Preprocess; p != nil {
		line("preprocess", p.Describe(), "from the "+p.Source)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, l := range strings.SplitAfter(b.String(), "\n") {
		if l == "" {
			continue
		}
		if _, err := io.WriteString(w, strings.TrimRight(l, " \n")+"\n"); err != nil {
			return err
		}
	}
	return nil
}
