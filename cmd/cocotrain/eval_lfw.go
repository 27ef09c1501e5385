package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/align"
	"github.com/cocotrain/cocotrain/internal/infer"
)

// evalLFWOptions are the flags of `cocotrain eval-lfw`.
type evalLFWOptions struct {
	infer.EvalOptions
	crop []int
}

// cropFlag turns --crop x,y,w,h into a rectangle.
func cropFlag(v []int) ([4]int, error) {
	var r [4]int
	if len(v) == 0 {
		return r, nil
	}
	if len(v) != 4 || v[2] <= 0 || v[3] <= 0 || v[0] < 0 || v[1] < 0 {
		return r, fmt.Errorf("--crop wants x,y,w,h with w, h > 0, got %v", v)
	}
	copy(r[:], v)
	return r, nil
}

// cropFlags reads --crop and --center-crop, which exclude each other: a
// rectangle, a centre crop, or, for --center-crop 0, no crop at all (noCrop);
// neither keeps the checkpoint's crop.
func cropFlags(cmd *cobra.Command, v []int, center int) (crop [4]int, noCrop bool, err error) {
	if crop, err = cropFlag(v); err != nil {
		return crop, false, err
	}
	centerSet := cmd.Flags().Changed("center-crop")
	switch {
	case len(v) > 0 && centerSet:
		return crop, false, errors.New("--crop and --center-crop exclude each other")
	case center < 0:
		return crop, false, fmt.Errorf("--center-crop %d: want a size, or 0 for no crop", center)
	}
	return crop, centerSet && center == 0, nil
}

func newEvalLFWCmd() *cobra.Command {
	o := &evalLFWOptions{}
	cmd := &cobra.Command{
		Use:   "eval-lfw (--checkpoint FILE | --baseline pixels|pca) (--lfw DIR --pairs FILE | --bin FILE...)",
		Short: "Score a checkpoint (or a classical baseline) on LFW-style pair verification",
		Long: `eval-lfw embeds every image of a verification set and its mirror image with
the checkpoint's network, L2-normalises their sum and scores the squared-L2
distances of the pairs with the LFW protocol: as many contiguous folds as the
pairs file has, each scored at the threshold that maximises accuracy on the
others. It prints accuracy mean ± std (with and without the mirror image), the
threshold as squared L2 and as cosine, VAL@FAR=1e-3, AUC, EER, TAR at FAR
1e-2/1e-3/1e-4, the number of pairs and folds, and the preprocessing used. A
one-fold file (LFW View 1's pairsDevTest.txt) is scored at the threshold that
is best on itself, an optimistic figure: --folds 10 re-splits it into 10
folds of equal matched and mismatched shares and scores each at the
threshold of the others.

Images are preprocessed as in training: the crop, size and channels the
checkpoint records (data.crop or data.center_crop, or the crop of the pack it
trained on). --crop or --center-crop replaces the crop (--center-crop 0: none);
the report's preprocess line (JSON "preprocess", with "source" "checkpoint" or
"flags") says which was used.

--baseline pixels scores raw pixels, --baseline pca Eigenfaces (PCA fitted
on the other folds), by the same protocol, at --size and --channels.

For the real LFW (250×250 JPEG, lfw/ or lfw-deepfunneled/) use a centre
crop around the face: --center-crop 120 for models trained on tight crops
(the face fills about the central 120×120 of the image), or the insightface
lfw.bin (already aligned to 112×112) with --bin.`,
		Example: `  cocotrain eval-lfw --checkpoint runs/demo/checkpoints/best.safetensors --lfw faces/lfw --pairs faces/pairs.txt
  cocotrain eval-lfw --checkpoint runs/mfn/checkpoints/best.safetensors --bin faces_webface_112x112/lfw.bin --json
  cocotrain eval-lfw --checkpoint best.safetensors --bin faces_emore/lfw.bin --bin faces_emore/cfp_fp.bin --bin faces_emore/agedb_30.bin
  cocotrain eval-lfw --checkpoint best.safetensors --lfw lfw-deepfunneled --pairs pairs.txt --center-crop 120 \
      --roc roc.png --roc-csv roc.csv
  cocotrain eval-lfw --checkpoint best.safetensors --lfw lfw-deepfunneled --pairs pairsDevTest.txt --folds 10
  cocotrain eval-lfw --baseline pca --lfw lfw-deepfunneled --pairs pairs.txt --center-crop 120 --size 64`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (o.Checkpoint == "") == (o.Baseline == "") {
				return usageError{errors.New("give either --checkpoint FILE or --baseline pixels|pca")}
			}
			if o.Baseline != "" && o.Baseline != infer.BaselinePixels && o.Baseline != infer.BaselinePCA {
				return usageError{fmt.Errorf("--baseline %q: want pixels or pca", o.Baseline)}
			}
			if (len(o.Bins) == 0) == (o.LFWDir == "" && o.Pairs == "") || (len(o.Bins) == 0 && (o.LFWDir == "" || o.Pairs == "")) {
				return usageError{errors.New("give either --lfw DIR with --pairs FILE, or --bin FILE (repeatable)")}
			}
			if o.Landmarks != "" && len(o.Bins) > 0 {
				return usageError{errors.New("--landmarks aligns --lfw images; a --bin is aligned already")}
			}
			if len(o.Bins) > 1 && (o.ROCPNG != "" || o.ROCCSV != "") {
				return usageError{errors.New("--roc and --roc-csv take one verification set, not several --bin")}
			}
			if o.Folds < 0 {
				return usageError{fmt.Errorf("--folds %d: want a positive number of folds, or 0 for the file's", o.Folds)}
			}
			crop, noCrop, err := cropFlags(cmd, o.crop, o.CenterCrop)
			if err != nil {
				return usageError{err}
			}
			opt := o.EvalOptions
			opt.Crop, opt.NoCrop, opt.Stdout = crop, noCrop, cmd.OutOrStdout()
			opt.Progress = progress(cmd, "embedding")
			_, err = infer.EvalLFW(cmd.Context(), opt)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Checkpoint, "checkpoint", "", "checkpoint (.safetensors) of the model to score")
	f.StringVar(&o.Baseline, "baseline", "", "score a classical baseline instead: pixels or pca")
	f.StringVar(&o.LFWDir, "lfw", "", "verification images in the LFW layout (DIR/<Name>/<Name>_0001.jpg)")
	f.StringVar(&o.Pairs, "pairs", "", "the pairs.txt of --lfw")
	f.StringArrayVar(&o.Bins, "bin", nil, "verification set as an insightface lfw.bin (repeatable: one report row per file, named by the file without .bin, as train names it)")
	f.StringVar(&o.Landmarks, "landmarks", "", "align the --lfw images on the fly with this landmark file (see 'cocotrain align')")
	f.StringVar(&o.Template, "template", align.ArcFace, "template of --landmarks: arcface or sphereface")
	f.IntSliceVar(&o.crop, "crop", nil, "crop x,y,w,h (source pixels) before resizing, instead of the checkpoint's crop")
	f.IntVar(&o.CenterCrop, "center-crop", 0, "crop a centred N×N square before resizing, instead of the checkpoint's crop (0: no crop)")
	f.IntVar(&o.Folds, "folds", 0, "re-split the pairs into N folds of equal matched/mismatched shares (e.g. 10 for LFW View 1's one-fold pairsDevTest.txt; 0 keeps the file's folds)")
	f.BoolVar(&o.JSON, "json", false, "print the report as one JSON object")
	f.StringVar(&o.ROCPNG, "roc", "", "write the ROC curve as a PNG plot to this file")
	f.StringVar(&o.ROCCSV, "roc-csv", "", "write the ROC curve as CSV (fpr,tpr,threshold) to this file")
	f.IntVar(&o.Size, "size", 64, "image size of a --baseline")
	f.IntVar(&o.Channels, "channels", 1, "channels of a --baseline (1 grey, 3 RGB)")
	f.IntVar(&o.Components, "components", 0, "Eigenfaces components of --baseline pca (default 100)")
	f.IntVar(&o.BatchSize, "batch-size", 64, "images per forward pass")
	f.IntVar(&o.Threads, "threads", 0, "threads of the network (0 = all cores)")
	return cmd
}
