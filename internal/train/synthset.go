package train

import (
	"context"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/synth"
)

// synthSet is the built-in synthetic face set of a run: the training images
// and the verification pairs of disjoint identities, each image rendered once
// into memory.
type synthSet struct {
	train data.Source
	val   *data.VerificationSet
}

// newSynthSet renders the synthetic set that cfg describes.
func newSynthSet(ctx context.Context, cfg synth.Config) (*synthSet, error) {
	g, err := synth.NewGenerator(cfg)
	if err != nil {
		return nil, err
	}
	train, err := data.NewPixelCache(ctx, g.Train(), cfg.Size, cfg.Channels)
	if err != nil {
		return nil, err
	}
	v := g.Verification()
	images, err := data.NewPixelCache(ctx, v.Images, cfg.Size, cfg.Channels)
	if err != nil {
		return nil, err
	}
	val := *v
	val.Images = images
	return &synthSet{train: train, val: &val}, nil
}
