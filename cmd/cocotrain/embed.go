package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/infer"
)

// embedOptions are the flags of `cocotrain embed`.
type embedOptions struct {
	infer.EmbedOptions
	crop   []int
	format string
}

func newEmbedCmd() *cobra.Command {
	o := &embedOptions{}
	cmd := &cobra.Command{
		Use:   "embed --checkpoint FILE --images DIR --out emb.npy",
		Short: "Write the embeddings of a directory of face images as a .npy file",
		Long: `embed runs the checkpoint's network over every JPEG, PNG, BMP and PGM file
under --images (recursively, in sorted path order), preprocessed as in
training (the crop, size and channels the checkpoint records; --crop or
--center-crop replaces the crop, --center-crop 0 removes it, and the summary
says which was used), and writes an N×d float32 NumPy array: row i is
L2-normalise(emb(image i) + emb(its mirror)), the embedding verification
scores (--no-flip: the image alone). The image paths, relative to --images,
go one per line to --names (default: the .npy path + ".names.txt"). --out -
(or /dev/stdout) with --format npy and --names writes the array to stdout and
the summary to stderr.`,
		Example: `  cocotrain embed --checkpoint runs/demo/checkpoints/best.safetensors --images faces/lfw --out lfw.npy
  python3 -c "import numpy; e = numpy.load('lfw.npy'); print(e.shape, e[0] @ e[1])"`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Checkpoint == "" || o.Images == "" || o.Out == "" {
				return usageError{errors.New("--checkpoint, --images and --out are required")}
			}
			crop, noCrop, err := cropFlags(cmd, o.crop, o.CenterCrop)
			if err != nil {
				return usageError{err}
			}
			if o.format != "" && o.format != "npy" {
				return usageError{fmt.Errorf("--format %q: embed writes npy", o.format)}
			}
			out, toStdout, err := stdoutPath(o.Out, o.format)
			if err != nil {
				return usageError{err}
			}
			if toStdout && o.Names == "" {
				return usageError{errors.New("--out on stdout needs --names FILE for the image names")}
			}
			opt := o.EmbedOptions
			opt.Out, opt.Crop, opt.NoCrop, opt.Stdout = out, crop, noCrop, cmd.OutOrStdout()
			if toStdout {
				opt.Stdout = cmd.ErrOrStderr()
			}
			opt.Progress = progress(cmd, "embedding")
			return infer.Embed(cmd.Context(), opt)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Checkpoint, "checkpoint", "", "checkpoint (.safetensors) of the model")
	f.StringVar(&o.Images, "images", "", "directory of images (searched recursively)")
	f.StringVar(&o.Out, "out", "", "output .npy file (N×d float32); - for stdout (with --format npy and --names)")
	f.StringVar(&o.format, "format", "", "npy (the only format; needed with --out -)")
	f.StringVar(&o.Names, "names", "", "output file of the image names (default OUT.names.txt)")
	f.IntSliceVar(&o.crop, "crop", nil, "crop x,y,w,h (source pixels) before resizing, instead of the checkpoint's crop")
	f.IntVar(&o.CenterCrop, "center-crop", 0, "crop a centred N×N square before resizing, instead of the checkpoint's crop (0: no crop)")
	f.BoolVar(&o.NoFlip, "no-flip", false, "embed the images alone, without adding their mirror image")
	f.IntVar(&o.BatchSize, "batch-size", 64, "images per forward pass")
	f.IntVar(&o.Threads, "threads", 0, "threads of the network (0 = all cores)")
	return cmd
}
