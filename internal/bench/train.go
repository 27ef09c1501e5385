package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/model"
)

// TrainConfig says what MeasureTrain times.
type TrainConfig struct {
	Arch         string        // one of model.Archs
	Batch        int           // images per step
	Threads      int           // goroutines of the net and the kernels; ≤ 0 means runtime.GOMAXPROCS(0)
	Classes      int           // classes of the softmax head
	Channels     int           // input channels; 0 means ArchDefaults
	InputSize    int           // input side; 0 means ArchDefaults
	EmbeddingDim int           // embedding length; 0 means ArchDefaults
	Warmup       int           // untimed steps before each timed phase
	MinTime      time.Duration // each timed phase runs at least this long
	MinSteps     int           // and at least this many steps (≥ 1)
	JSON         bool          // RunTrain prints one JSON object instead of a line of text
}

// DefaultTrainConfig is tiny at batch 64 with a 1000-class head, 3 warm-up
// steps and timed phases of at least 5 s and 5 steps, on all threads.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{Arch: "tiny", Batch: 64, Classes: 1000, Warmup: 3, MinTime: 5 * time.Second, MinSteps: 5}
}

// validate reports the first out-of-range field.
func (cfg TrainConfig) validate() error {
	if _, ok := ArchDefaults[cfg.Arch]; !ok {
		return fmt.Errorf("bench train: unknown arch %q (want one of %v)", cfg.Arch, model.Archs)
	}
	if cfg.Batch < 1 || cfg.Classes < 1 || cfg.MinSteps < 1 || cfg.Warmup < 0 || cfg.Channels < 0 || cfg.InputSize < 0 || cfg.EmbeddingDim < 0 {
		return fmt.Errorf("bench train: batch %d, classes %d, min steps %d must be ≥ 1 and warmup %d, channels %d, input size %d, embedding dim %d ≥ 0",
			cfg.Batch, cfg.Classes, cfg.MinSteps, cfg.Warmup, cfg.Channels, cfg.InputSize, cfg.EmbeddingDim)
	}
	return nil
}

// threads resolves cfg.Threads.
func (cfg TrainConfig) threads() int {
	if cfg.Threads <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return cfg.Threads
}

// TrainResult is one measurement of `bench train`; its JSON keys are those
// scripts/bench_torch.py prints for PyTorch.
type TrainResult struct {
	Arch            string  `json:"arch"`
	Batch           int     `json:"batch"`
	Threads         int     `json:"threads"`
	TrainImagesPerS float64 `json:"train_images_per_s"` // forward + head + backward + SGD step
	InferImagesPerS float64 `json:"infer_images_per_s"` // eval-mode forward
	PeakRSSMB       float64 `json:"peak_rss_mb"`        // getrusage max RSS of the whole process, MiB
	Kernels         string  `json:"kernels"`            // kernels.Path(): avx512, avx2, neon or go
	TrainSteps      int     `json:"-"`                  // timed training steps
	InferSteps      int     `json:"-"`                  // timed inference batches
}

// MeasureTrain builds the Trainer of cfg and times it: training steps, then
// eval-mode forward passes, each after cfg.Warmup untimed steps, for at
// least cfg.MinTime and cfg.MinSteps. It runs on cfg.Threads goroutines
// (runtime.GOMAXPROCS and kernels.SetThreads are set for the call and
// restored after) and stops early with ctx's error.
func MeasureTrain(ctx context.Context, cfg TrainConfig) (TrainResult, error) {
	threads := cfg.threads()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(threads))
	defer kernels.SetThreads(kernels.Threads())
	kernels.SetThreads(threads)
	t, err := NewTrainer(cfg, threads)
	if err != nil {
		return TrainResult{}, err
	}
	res := TrainResult{Arch: cfg.Arch, Batch: cfg.Batch, Threads: threads, Kernels: kernels.Path()}
	var stepErr error
	res.TrainSteps, res.TrainImagesPerS, err = timeSteps(ctx, cfg, func() {
		if stepErr == nil {
			_, stepErr = t.Step()
		}
	})
	if err == nil {
		err = stepErr
	}
	if err != nil {
		return res, err
	}
	t.Net.SetTraining(false)
	res.InferSteps, res.InferImagesPerS, err = timeSteps(ctx, cfg, func() { t.Infer() })
	res.PeakRSSMB = peakRSSMB()
	return res, err
}

// timeSteps runs step cfg.Warmup times, then until cfg.MinTime and
// cfg.MinSteps have passed, and returns the timed steps and images/s.
func timeSteps(ctx context.Context, cfg TrainConfig, step func()) (int, float64, error) {
	for i := 0; i < cfg.Warmup; i++ {
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
		step()
	}
	start := time.Now()
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
		step()
		if el := time.Since(start); n >= cfg.MinSteps && el >= cfg.MinTime {
			return n, float64(n*cfg.Batch) / el.Seconds(), nil
		}
	}
}

// RunTrain measures cfg and writes the result to w: one line of text, or
// with cfg.JSON one JSON object (TrainResult's keys).
func RunTrain(ctx context.Context, cfg TrainConfig, w io.Writer) error {
	res, err := MeasureTrain(ctx, cfg)
	if err != nil {
		return err
	}
	if cfg.JSON {
		b, err := json.Marshal(res)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	_, err = fmt.Fprintf(w, "cocotrain %s, batch %d, %d threads (%s kernels): train %.1f images/s (%d steps), inference %.1f images/s (%d batches), peak RSS %.0f MB\n",
		res.Arch, res.Batch, res.Threads, res.Kernels, res.TrainImagesPerS, res.TrainSteps, res.InferImagesPerS, res.InferSteps, res.PeakRSSMB)
	return err
}
