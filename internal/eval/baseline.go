package eval

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cocotrain/cocotrain/internal/data"
)

// DefaultComponents is the number of principal components the Eigenfaces
// baseline keeps unless told otherwise.
const DefaultComponents = 100

// Baselines are the names Baseline accepts: "pixels" (Pixels) and "pca"
// (Eigenfaces with DefaultComponents).
var Baselines = []string{"pixels", "pca"}

// Baseline scores the classical baseline called name (one of Baselines) on
// set, for `cocotrain eval-lfw --baseline`.
func Baseline(ctx context.Context, name string, set *data.VerificationSet, pp data.Preprocess, opt Options) (*Report, error) {
	switch name {
	case "pixels":
		return Pixels(ctx, set, pp, opt)
	case "pca":
		return Eigenfaces(ctx, set, pp, DefaultComponents, opt)
	}
	return nil, fmt.Errorf("eval: unknown baseline %q (want one of %s)", name, strings.Join(Baselines, ", "))
}

// Pixels scores the raw-pixel baseline on set: each image's vector as
// data.Preprocess writes it (values (v/255 − 0.5)/0.5, so centred on mid
// grey but not on any data mean), L2-normalised, squared-L2 distances, the
// k-fold protocol. There is no mirror image: the report's no-mirror
// accuracy is its accuracy.
func Pixels(ctx context.Context, set *data.VerificationSet, pp data.Preprocess, opt Options) (*Report, error) {
	if err := checkPairs(set); err != nil {
		return nil, err
	}
	x, err := loadPixels(ctx, set.Images, pp, opt)
	if err != nil {
		return nil, err
	}
	l := pp.Len()
	for i := 0; i < set.Images.Len(); i++ {
		normalize(x[i*l : (i+1)*l])
	}
	return NewReport("pixels", Distances(x, l, set.Left, set.Right), nil, set.Same, set.Folds)
}

// Eigenfaces scores the Eigenfaces baseline (Turk & Pentland) on set, as
// insightface's evaluate(pca=k) does: for each fold, PCA (mean-centred, not
// whitened) is fitted on the images of the pairs of the other folds (each
// image once), every image is projected on the first components principal
// axes and L2-normalised, and that fold's threshold is chosen and tested on
// those distances. components is clamped to the rank the training images
// allow; the report's Method says how many were kept. No mirror image.
func Eigenfaces(ctx context.Context, set *data.VerificationSet, pp data.Preprocess, components int, opt Options) (*Report, error) {
	if err := checkPairs(set); err != nil {
		return nil, err
	}
	if components < 1 {
		return nil, fmt.Errorf("eval: Eigenfaces with %d components: need at least 1", components)
	}
	splits, err := splitFolds(len(set.Same), set.Folds)
	if err != nil {
		return nil, err
	}
	x, err := loadPixels(ctx, set.Images, pp, opt)
	if err != nil {
		return nil, err
	}
	n, l := set.Images.Len(), pp.Len()
	kept := components
	dists := make([][]float64, len(splits))
	for f, s := range splits {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var train []int
		for k := range set.Same {
			if s.train(k) {
				train = append(train, set.Left[k], set.Right[k])
			}
		}
		slices.Sort(train)
		train = slices.Compact(train)
		pca, err := fitPCA(x, l, train, components)
		if err != nil {
			return nil, fmt.Errorf("eval: Eigenfaces fold %d: %w", f+1, err)
		}
		kept = min(kept, pca.k)
		dists[f] = Distances(pca.project(x, n), pca.k, set.Left, set.Right)
	}
	method := fmt.Sprintf("eigenfaces (%d components)", kept)
	return newReport(method, func(f int) []float64 { return dists[f] }, nil, set.Same, set.Folds)
}

// loadPixels preprocesses every image of src with pp into one N×pp.Len()
// slice, in batches of opt.BatchSize with opt.Progress.
func loadPixels(ctx context.Context, src data.Source, pp data.Preprocess, opt Options) ([]float32, error) {
	if err := pp.Validate(); err != nil {
		return nil, err
	}
	batch := opt.batchSize()
	n, l := src.Len(), pp.Len()
	x := make([]float32, n*l)
	for start := 0; start < n; start += batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b := min(batch, n-start)
		if err := preprocessBatch(x[start*l:(start+b)*l], src, start, b, pp); err != nil {
			return nil, err
		}
		if opt.Progress != nil {
			opt.Progress(start+b, n)
		}
	}
	return x, nil
}
