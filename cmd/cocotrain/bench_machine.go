package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/bench"
)

// benchMachineOptions are the flags of `cocotrain bench machine`.
type benchMachineOptions struct {
	threads int
	json    bool
}

func newBenchMachineCmd() *cobra.Command {
	var o benchMachineOptions
	cmd := &cobra.Command{
		Use:   "machine",
		Short: "The machine's state now: FMA peak and memory copy bandwidth",
		Long: `machine measures the float32 FMA peak (a vector FMA loop) and the memory copy
bandwidth (each thread copying its own 64 MiB buffer; bytes read + written)
with --threads threads, medians of three probes of 100 ms. scripts/bench.sh
runs it in every round, beside the throughput it records: on a shared or
virtual machine both change over minutes.`,
		Example: `  cocotrain bench machine
  cocotrain bench machine --threads 2 --json`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.threads < 0 {
				return usageError{fmt.Errorf("--threads must be ≥ 0 (got %d)", o.threads)}
			}
			return bench.RunMachine(cmd.Context(), o.threads, o.json, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.threads, "threads", 0, "threads (0: GOMAXPROCS)")
	f.BoolVar(&o.json, "json", false, "print one JSON object {threads, fma_peak_gflops, copy_gb_per_s, kernels}")
	return cmd
}
