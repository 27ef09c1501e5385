package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/bench"
)

// newBenchCmd is `cocotrain bench`, the parent of one subcommand per
// measurement; add new ones to its AddCommand list.
func newBenchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure cocotrain's compute against peers",
		Long: `bench measures cocotrain's compute kernels and prints medians of several
interleaved rounds (the machine may be shared: say so when quoting numbers).`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newBenchGemmCmd(),
		newBenchMachineCmd(),
		newBenchTrainCmd(),
	)
	return cmd
}

// benchGemmOptions are the flags of `cocotrain bench gemm`.
type benchGemmOptions struct {
	json    bool
	threads int
	rounds  int
	shapes  []string
}

func newBenchGemmCmd() *cobra.Command {
	var o benchGemmOptions
	cmd := &cobra.Command{
		Use:   "gemm",
		Short: "SGEMM GFLOP/s: cocotrain vs gonum vs the FMA peak, 1 thread and all threads",
		Long: `gemm times cocotrain's Sgemm and gonum's blas32 Sgemm on the same matrices
(M×N×K: C = A·B, row-major, no transposes) with 1 thread and with --threads
threads, next to the machine's FMA peak measured by a vector FMA loop.`,
		Example: `  cocotrain bench gemm
  cocotrain bench gemm --json --threads 2
  cocotrain bench gemm --shapes 1024x1024x1024,64x3136x576 --rounds 9`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.threads < 0 || o.rounds < 1 {
				return usageError{fmt.Errorf("--threads must be ≥ 0 and --rounds ≥ 1 (got %d, %d)", o.threads, o.rounds)}
			}
			cfg := bench.GemmConfig{Threads: o.threads, Rounds: o.rounds, JSON: o.json}
			for _, s := range o.shapes {
				shape, err := bench.ParseShape(s)
				if err != nil {
					return usageError{err}
				}
				cfg.Shapes = append(cfg.Shapes, shape)
			}
			return bench.RunGemm(cmd.Context(), cfg, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.json, "json", false, "print one JSON array of {m, n, k, threads, ours_gflops, gonum_gflops, peak_gflops, kernels}")
	f.IntVar(&o.threads, "threads", 0, "thread count of the all-threads rows (0: GOMAXPROCS)")
	f.IntVar(&o.rounds, "rounds", 5, "interleaved rounds per measurement (the median is reported)")
	f.StringSliceVar(&o.shapes, "shapes", nil, "comma-separated MxNxK shapes (default: 256³, 512³, 1024³ and four conv shapes)")
	return cmd
}
