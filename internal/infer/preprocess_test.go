package infer

import (
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/eval"
)

// TestUsedPreprocess: a model's recorded crop is used unless a crop option
// replaces or removes it, and the source says which; a baseline's
// preprocessing always comes from the flags.
func TestUsedPreprocess(t *testing.T) {
	model := data.Preprocess{Size: 64, Channels: 3, CenterCrop: 120}
	for _, tc := range []struct {
		name      string
		fromModel bool
		crop      [4]int
		center    int
		none      bool
		want      eval.Preprocessing
	}{
		{"checkpoint", true, [4]int{}, 0, false, eval.Preprocessing{Preprocess: model, Source: eval.FromCheckpoint}},
		{"--center-crop", true, [4]int{}, 100, false, eval.Preprocessing{Preprocess: data.Preprocess{Size: 64, Channels: 3, CenterCrop: 100}, Source: eval.FromFlags}},
		{"--crop", true, [4]int{1, 2, 3, 4}, 0, false, eval.Preprocessing{Preprocess: data.Preprocess{Size: 64, Channels: 3, Crop: [4]int{1, 2, 3, 4}}, Source: eval.FromFlags}},
		{"--center-crop 0", true, [4]int{}, 0, true, eval.Preprocessing{Preprocess: data.Preprocess{Size: 64, Channels: 3}, Source: eval.FromFlags}},
		{"baseline", false, [4]int{}, 0, false, eval.Preprocessing{Preprocess: model, Source: eval.FromFlags}},
	} {
		if got := usedPreprocess(model, tc.fromModel, tc.crop, tc.center, tc.none); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
