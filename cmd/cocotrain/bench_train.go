package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/bench"
	"github.com/cocotrain/cocotrain/internal/model"
)

// benchTrainOptions are the flags of `cocotrain bench train`.
type benchTrainOptions struct {
	arch         string
	batch        int
	threads      int
	classes      int
	channels     int
	inputSize    int
	embeddingDim int
	warmup       int
	minTime      time.Duration
	minSteps     int
	json         bool
}

func newBenchTrainCmd() *cobra.Command {
	var o benchTrainOptions
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Training and inference images/s of a network (the PyTorch peer is scripts/bench_torch.py)",
		Long: `train times full training steps of a network on one random batch: forward in
training mode, a --classes-way softmax head (linear + cross-entropy) on the
embedding, backward, and an SGD step (momentum 0.9, weight decay 5e-4); then
eval-mode forward passes. Each phase runs --warmup untimed steps, then at
least --min-time and --min-steps. peak_rss_mb is the process's maximum
resident set size. scripts/bench_torch.py times the PyTorch twins the same
way and scripts/bench.sh compares the two.

Input shape and embedding size default per arch: tiny 1×64×64 → 128,
small 3×64×64 → 128, mobilefacenet 3×112×112 → 128, iresnet18 3×112×112 → 512.`,
		Example: `  cocotrain bench train --arch tiny
  cocotrain bench train --arch mobilefacenet --batch 64 --threads 2 --json`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, ok := bench.ArchDefaults[o.arch]; !ok {
				return usageError{fmt.Errorf("--arch %q: want one of %s", o.arch, strings.Join(model.Archs, ", "))}
			}
			if o.batch < 1 || o.classes < 1 || o.minSteps < 1 || o.threads < 0 || o.channels < 0 || o.inputSize < 0 || o.embeddingDim < 0 || o.warmup < 0 {
				return usageError{fmt.Errorf("--batch, --classes and --min-steps must be ≥ 1; --threads, --channels, --input-size, --embedding-dim and --warmup ≥ 0")}
			}
			cfg := bench.TrainConfig{
				Arch: o.arch, Batch: o.batch, Threads: o.threads, Classes: o.classes,
				Channels: o.channels, InputSize: o.inputSize, EmbeddingDim: o.embeddingDim,
				Warmup: o.warmup, MinTime: o.minTime, MinSteps: o.minSteps, JSON: o.json,
			}
			return bench.RunTrain(cmd.Context(), cfg, cmd.OutOrStdout())
		},
	}
	d := bench.DefaultTrainConfig()
	f := cmd.Flags()
	f.StringVar(&o.arch, "arch", d.Arch, "network: "+strings.Join(model.Archs, ", "))
	f.IntVar(&o.batch, "batch", d.Batch, "images per step")
	f.IntVar(&o.threads, "threads", 0, "threads (0: GOMAXPROCS)")
	f.IntVar(&o.classes, "classes", d.Classes, "classes of the softmax head")
	f.IntVar(&o.channels, "channels", 0, "input channels (0: the arch default)")
	f.IntVar(&o.inputSize, "input-size", 0, "input side in pixels (0: the arch default)")
	f.IntVar(&o.embeddingDim, "embedding-dim", 0, "embedding length (0: the arch default)")
	f.IntVar(&o.warmup, "warmup", d.Warmup, "untimed steps before each timed phase")
	f.DurationVar(&o.minTime, "min-time", d.MinTime, "minimum duration of each timed phase")
	f.IntVar(&o.minSteps, "min-steps", d.MinSteps, "minimum steps of each timed phase")
	f.BoolVar(&o.json, "json", false, "print one JSON object {arch, batch, threads, train_images_per_s, infer_images_per_s, peak_rss_mb, kernels}")
	return cmd
}
