package main

import (
	"errors"
	"fmt"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/spf13/cobra"
)

// packOptions are the flags of `cocotrain pack`.
type packOptions struct {
	data, out      string
	size, channels int
	centerCrop     int
	crop           []int
	skipBad        bool
	workers        int
	quiet          bool
}

func newPackCmd() *cobra.Command {
	o := &packOptions{}
	cmd := &cobra.Command{
		Use:   "pack --data SRC --out FILE.pack",
		Short: "Preprocess a dataset once into a pack file that training reads without decoding",
		Long: `pack decodes every image of a dataset (an ImageFolder directory, an
insightface .rec or another .pack), crops and resizes it to the training size
and writes all of them as raw uint8 pixels with the identity table into one
file. Training memory-maps it and skips decoding.`,
		Example: `  cocotrain pack --data faces/train --out train.pack --size 112 --channels 3
  cocotrain pack --data faces_emore/train.rec --out emore.pack --skip-bad`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.data == "" || o.out == "" {
				return usageError{errors.New("pack needs --data and --out")}
			}
			pre := data.Preprocess{Size: o.size, Channels: o.channels, CenterCrop: o.centerCrop}
			switch len(o.crop) {
			case 0:
			case 4:
				copy(pre.Crop[:], o.crop)
			default:
				return usageError{fmt.Errorf("--crop wants 4 numbers x,y,w,h, got %d", len(o.crop))}
			}
			if err := pre.Validate(); err != nil {
				return usageError{err}
			}
			opt := data.PackOptions{Preprocess: pre, SkipBad: o.skipBad, Workers: o.workers}
			if !o.quiet {
				opt.Progress = progress(cmd, "packing")
			}
			_, err := data.PackDataset(cmd.Context(), o.data, o.out, opt, cmd.OutOrStdout())
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.data, "data", "", "dataset: ImageFolder directory, .rec or .pack")
	f.StringVar(&o.out, "out", "", "pack file to write")
	f.IntVar(&o.size, "size", 112, "stored image size (pixels, square)")
	f.IntVar(&o.channels, "channels", 3, "stored channels: 1 (grey) or 3 (RGB)")
	f.IntVar(&o.centerCrop, "center-crop", 0, "cut a centred square of this size before resizing")
	f.IntSliceVar(&o.crop, "crop", nil, "cut the rectangle x,y,w,h before resizing")
	f.BoolVar(&o.skipBad, "skip-bad", false, "leave out unreadable images (counted) instead of stopping")
	f.IntVar(&o.workers, "workers", 0, "decode goroutines (0: all cores)")
	f.BoolVar(&o.quiet, "quiet", false, "no progress bar (there is none when stderr is not a terminal)")
	return cmd
}
