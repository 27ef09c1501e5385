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
	format     string
}

func newExportCentersCmd() *cobra.Command {
	var o exportCentersOptions
	cmd := &cobra.Command{
		Use:   "export-centers --checkpoint FILE --out PATH",
		Short: "Write the unit class centroids of a checkpoint's loss head with the class names",
		Long: `export-centers reads the class centroids ("head.centroids") of a coco,
normface, cosface or arcface checkpoint, normalises them to unit length and
writes them with the class names, in the format of the --out extension (or
--format, which --out - or /dev/stdout needs; the summary then goes to stderr):

  .npy   float32 array of shape (K, d), plus PATH.names.txt (one name a line)
  .csv   header "name,c0,...", then one line per class: name and d values
  .json  [{"index": i, "name": "...", "centroid": [d values]}, ...]`,
		Example: `  cocotrain export-centers --checkpoint run/checkpoint.safetensors --out centers.npy
  cocotrain export-centers --checkpoint run/checkpoint.safetensors --out centers.json
  cocotrain export-centers --checkpoint run/checkpoint.safetensors --out - --format csv | head`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.checkpoint == "" || o.out == "" {
				return usageError{errors.New("export-centers needs --checkpoint and --out")}
			}
			out, toStdout, err := stdoutPath(o.out, o.format)
			if err != nil {
				return usageError{err}
			}
			if toStdout && o.format == "npy" {
				return usageError{errors.New("--format npy on stdout leaves no place for the class names: use csv or json")}
			}
			c, files, err := centers.Run(centers.Options{Checkpoint: o.checkpoint, Out: out, Format: o.format})
			if errors.Is(err, centers.ErrFormat) {
				return usageError{err}
			}
			if err != nil {
				return err
			}
			report := cmd.OutOrStdout()
			if toStdout {
				report = cmd.ErrOrStderr()
			}
			_, err = fmt.Fprintf(report, "wrote %d unit centroids of dimension %d to %s\n", c.K, c.D, strings.Join(files, " and "))
			return err
		},
	}
	cmd.Flags().StringVar(&o.checkpoint, "checkpoint", "", "safetensors checkpoint to read")
	cmd.Flags().StringVar(&o.out, "out", "", "output file: .npy, .csv or .json; - for stdout (with --format)")
	cmd.Flags().StringVar(&o.format, "format", "", "npy, csv or json (default: by the --out extension)")
	return cmd
}
