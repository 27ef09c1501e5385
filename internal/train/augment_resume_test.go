package train

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

// everyAugmentation sets every key of data.augment, at probabilities high
// enough that each acts on several images of every batch.
const everyAugmentation = "data.augment={flip: true, shift: 0.06, scale: 0.1, aspect: 1.33, brightness: 0.2, contrast: 0.2, " +
	"saturation: 0.4, hue: 0.1, grey: 0.2, blur: 0.5, blur_sigma: 1.2, erase: 0.5, erase_area: [0.02, 0.3]}"

// TestResumeIsExactWithEveryAugmentation runs TestResumeIsExact's
// interrupted and resumed runs on colour faces with every augmentation on:
// each image's draws come from (seed, epoch, position) alone, so a resumed
// run augments as the straight run did. It first checks that the keys reach
// the run's config.
func TestResumeIsExactWithEveryAugmentation(t *testing.T) {
	sets := []string{"model.channels=3", "synth.channels=3", everyAugmentation}
	path := filepath.Join(t.TempDir(), "small.yaml")
	if err := os.WriteFile(path, []byte(smallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path, sets)
	if err != nil {
		t.Fatal(err)
	}
	want := data.Augment{Flip: true, Shift: 0.06, Scale: 0.1, Aspect: 1.33, Brightness: 0.2, Contrast: 0.2,
		Saturation: 0.4, Hue: 0.1, Grey: 0.2, Blur: 0.5, BlurSigma: 1.2, Erase: 0.5, EraseArea: [2]float64{0.02, 0.3}}
	if cfg.Data.Augment != want || cfg.Model.Channels != 3 {
		t.Fatalf("the run's augmentation is %+v on %d channels, want %+v on 3", cfg.Data.Augment, cfg.Model.Channels, want)
	}
	checkResumeIsExact(t, sets...)
}
