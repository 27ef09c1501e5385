package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/centers"
)

// exportCentersOptions are the flags of `cocotrain export-centers`.
type exportCentersOptions struct {
	checkpoint string
	out        string
}

func newExportCentersCmd() *cobra.Command {
	var o exportCentersOptions
	cmd := &cobra.Command{
		Use:   "export-centers --checkpoint FILE --out PATH",
		Short: "Write the unit class centroids of a checkpoint's loss head with the class names",
		Long: `export-centers reads the class centroids ("head.centroids") of a coco,
normface, cosface or arcface checkpoint, normalises them to unit length and
writes them with the class names, in the format of the --out extension:

  .npy   float32 array of shape (K, d), plus PATH.names.txt (one name a line)
  .csv   header "name,c0,...", then one line per class: name and d values
  .json  [{"index": i, "name": "...", "centroid": [d values]}, ...]`,
		Example: `  cocotrain export-centers --checkpoint run/checkpoint.safetensors --out centers.npy
  cocotrain export-centers --checkpoint run/checkpoint.safetensors --out centers.json`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.checkpoint == "" || o.out == "" {
				return usageError{errors.New("export-centers needs --checkpoint and --out")}
			}
			c, files, err := centers.Run(centers.Options{Checkpoint: o.checkpoint, Out: o.out})
			if errors.Is(err, centers.ErrFormat) {
				return usageError{err}
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "wrote %d unit centroids of dimension %d to %s\n", c.K, c.D, strings.Join(files, " and "))
			return err
		},
	}
	cmd.Flags().StringVar(&o.checkpoint, "checkpoint", "", "safetensors checkpoint to read")
	cmd.Flags().StringVar(&o.out, "out", "", "output file: .npy, .csv or .json")
	return cmd
}
