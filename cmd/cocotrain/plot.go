package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/train"
)

// plotOptions are the flags of `cocotrain plot`.
type plotOptions struct {
	out string
}

func newPlotCmd() *cobra.Command {
	o := &plotOptions{}
	cmd := &cobra.Command{
		Use:   "plot RUNDIR [--out curves.png]",
		Short: "Draw a run's training curves as a PNG",
		Long: `plot reads RUNDIR/metrics.jsonl and draws, against the training step, the
training loss, the training accuracy, the learning rate and the verification
accuracy, one panel each, as a PNG (default RUNDIR/curves.png). A run still
training can be plotted.`,
		Example: `  cocotrain plot runs/mfn
  cocotrain plot runs/mfn --out /tmp/mfn.png`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := o.out
			if out == "" {
				out = filepath.Join(args[0], "curves.png")
			}
			if err := train.PlotRun(args[0], out); err != nil {
				return err
			}
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", out)
			return err
		},
	}
	cmd.Flags().StringVar(&o.out, "out", "", "PNG to write (default RUNDIR/curves.png)")
	return cmd
}
