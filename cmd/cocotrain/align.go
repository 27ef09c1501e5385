package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/align"
)

// alignOptions are the flags of `cocotrain align`.
type alignOptions struct {
	images, landmarks, out string
	size                   int
	template               string
}

func newAlignCmd() *cobra.Command {
	o := &alignOptions{}
	cmd := &cobra.Command{
		Use:   "align --images DIR --landmarks FILE --out DIR",
		Short: "Warp every face of an ImageFolder to a reference 5-point template",
		Long: `align maps the five landmarks of each image (left eye, right eye, nose tip,
left and right mouth corners) onto a reference template with the
least-squares similarity transform (Umeyama's method, as insightface's
estimate_norm computes it with scikit-image), samples the image bilinearly
with a black border and writes the aligned ImageFolder tree under --out, at
the same relative paths and in the same image formats, ready for 'train'.

Templates: arcface, insightface's 112×112 reference scaled to --size (a
multiple of 112 scales by size/112, any other size by size/128 with the face
shifted 8·size/128 to the right, as insightface does); sphereface, the 96×112
SphereFace reference.

--landmarks is a list, one image per line: "relative/path x1 y1 … x5 y5",
white space or commas between fields, # comments (the SphereFace/insightface
list format), or a JSON array of {"path": "relative/path", "landmarks":
[[x, y] ×5]}. Coordinates are in the image's pixels. An image without a line is
reported and skipped (counted in the summary). A malformed line, a NaN, a
point far outside its image or an unreadable image stops the command with an
error naming the file and line; nothing is left in --out, which must not exist
or be empty (the tree is written beside it and renamed at the end).`,
		Example: `  cocotrain align --images lfw --landmarks lfw_landmarks.txt --out lfw-112
  cocotrain align --images casia --landmarks casia_landmark.txt --out casia-96x112 --template sphereface`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.images == "" || o.landmarks == "" || o.out == "" {
				return usageError{errors.New("align needs --images DIR, --landmarks FILE and --out DIR")}
			}
			size := o.size
			if o.template == align.SphereFace && !cmd.Flags().Changed("size") {
				size = 0
			}
			tpl, err := align.NewTemplate(o.template, size)
			if err != nil {
				return usageError{err}
			}
			return runAlign(cmd.Context(), o, tpl, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.images, "images", "", "ImageFolder tree of the faces (DIR/<identity>/<image>)")
	f.StringVar(&o.landmarks, "landmarks", "", "landmark file: list or JSON (see above)")
	f.StringVar(&o.out, "out", "", "directory to write the aligned tree to (must not exist or be empty)")
	f.IntVar(&o.size, "size", 112, "aligned image size of the arcface template (square)")
	f.StringVar(&o.template, "template", align.ArcFace, "reference landmarks: arcface or sphereface")
	return cmd
}

// runAlign aligns o.images into o.out and prints the summary to stdout and
// one line per image without landmarks to stderr.
func runAlign(ctx context.Context, o *alignOptions, tpl align.Template, stdout, stderr io.Writer) error {
	lm, err := align.ReadLandmarks(o.landmarks)
	if err != nil {
		return err
	}
	sum, err := align.AlignFolder(ctx, align.FolderOptions{Images: o.images, Landmarks: lm, Template: tpl, Out: o.out, Report: stderr})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "aligned %d images to %s (%s template, %d×%d)", sum.Aligned, o.out, tpl.Name, tpl.W, tpl.H)
	if sum.NoLandmarks > 0 {
		fmt.Fprintf(stdout, "; %d without landmarks skipped", sum.NoLandmarks)
	}
	if sum.Unused > 0 {
		fmt.Fprintf(stdout, "; %d landmark entries name no image", sum.Unused)
	}
	fmt.Fprintln(stdout)
	return nil
}
