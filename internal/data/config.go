package data

import (
	"fmt"
	"runtime"
)

// Config is the data section of a training config (yaml key "data").
type Config struct {
	// Path is the training set: an ImageFolder directory, a RecordIO .rec
	// or a .pack file ("" means the built-in synthetic faces).
	Path string `yaml:"path"`
	// Crop, when its width and height are positive, is the [x, y, w, h]
	// rectangle cut from each image before resizing.
	Crop [4]int `yaml:"crop"`
	// CenterCrop, when positive (and Crop unset), cuts a centred square.
	CenterCrop int `yaml:"center_crop"`
	// Augment is the training augmentation.
	Augment Augment `yaml:"augment"`
	// Workers is the number of decode goroutines (0: GOMAXPROCS).
	Workers int `yaml:"workers"`
	// Prefetch is how many batches may be ready ahead of the consumer.
	Prefetch int `yaml:"prefetch"`
	// ExcludePairs are LFW-format pairs files (pairs.txt, pairsDevTest.txt,
	// ...): every identity they name is dropped from the training set, so
	// that verifying on them measures unseen people. Identities are class
	// names (ImageFolder directories, a pack's names); a RecordIO set,
	// whose identities are numbers, is refused.
	ExcludePairs []string `yaml:"exclude_pairs"`
	// MinImagesPerClass drops identities with fewer images (0: keep all).
	MinImagesPerClass int `yaml:"min_images_per_class"`
	// Balanced samples each position by drawing a class uniformly, then one
	// of its images, instead of shuffling the images.
	Balanced bool `yaml:"balanced"`
	// SkipBad replaces an image that fails to decode by another (chosen by
	// the seed) and counts it, instead of stopping with an error.
	SkipBad bool `yaml:"skip_bad"`
	// Landmarks, when set, is a landmark file (see `cocotrain align`) for
	// the ImageFolder at Path: each image is aligned on the fly to
	// LandmarkTemplate ("arcface", the default, or "sphereface"); images
	// without landmarks are left out.
	Landmarks        string `yaml:"landmarks"`
	LandmarkTemplate string `yaml:"landmark_template"`
}

// DefaultConfig returns the data settings used when a config omits them:
// mirror, a shift of up to 4% (whole pixels), 10% brightness and contrast
// jitter; no zoom (it needs resampling, about as costly as decoding a JPEG).
func DefaultConfig() Config {
	return Config{
		Augment:  Augment{Flip: true, Shift: 0.04, Brightness: 0.1, Contrast: 0.1},
		Prefetch: 4,
	}
}

// Validate reports settings that cannot work.
func (c Config) Validate() error {
	if c.Workers < 0 || c.Prefetch < 0 || c.MinImagesPerClass < 0 {
		return fmt.Errorf("data: workers, prefetch and min_images_per_class must not be negative")
	}
	return c.Augment.Validate()
}

// Preprocess returns the preprocessing of this config for a network input
// of size×size pixels with the given channels (1 or 3).
func (c Config) Preprocess(size, channels int) Preprocess {
	return Preprocess{Size: size, Channels: channels, Crop: c.Crop, CenterCrop: c.CenterCrop}
}

// workers is the resolved number of decode goroutines.
func (c Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}
