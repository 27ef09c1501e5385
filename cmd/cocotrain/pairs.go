package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/fileio"
)

// pairsOptions are the flags of `cocotrain pairs`.
type pairsOptions struct {
	images, out    string
	folds, perFold int
	seed           uint64
}

func newPairsCmd() *cobra.Command {
	o := &pairsOptions{}
	cmd := &cobra.Command{
		Use:   "pairs --images DIR --out pairs.txt",
		Short: "Draw LFW-style verification pairs for any ImageFolder",
		Long: `pairs draws a pairs file in LFW's View 2 layout for an ImageFolder tree
(DIR/<identity>/<image>), so that 'eval-lfw --lfw DIR --pairs FILE' scores a
model on your own people. The identities are shuffled and dealt into --folds
folds that share no identity; each fold holds --per-fold matched pairs (two
images of one identity) then --per-fold mismatched pairs (one image each of
two identities of the fold), no pair twice. The header is "folds<TAB>per-fold".
A pair names image n of an identity: the n-th of its image files in name
order (LFW's own Name_NNNN.jpg files are read by that name instead). The same
--seed draws the same pairs. A fold that cannot hold --per-fold distinct pairs
of either kind is an error saying which; lower --per-fold or --folds.`,
		Example: `  cocotrain pairs --images faces/test --out faces/test_pairs.txt
  cocotrain pairs --images faces/test --out pairs.txt --folds 10 --per-fold 100 --seed 3
  cocotrain eval-lfw --checkpoint best.safetensors --lfw faces/test --pairs pairs.txt`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.images == "" || o.out == "" {
				return usageError{errors.New("pairs needs --images DIR and --out FILE")}
			}
			if o.folds < 1 || o.perFold < 1 {
				return usageError{fmt.Errorf("--folds and --per-fold must be at least 1, got %d and %d", o.folds, o.perFold)}
			}
			return runPairs(o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.images, "images", "", "ImageFolder tree to draw pairs from")
	f.StringVar(&o.out, "out", "", "pairs file to write")
	f.IntVar(&o.folds, "folds", 10, "folds (no identity in two folds)")
	f.IntVar(&o.perFold, "per-fold", 300, "matched pairs per fold, and as many mismatched")
	f.Uint64Var(&o.seed, "seed", 1, "random seed: the same seed draws the same pairs")
	return cmd
}

// runPairs draws the pairs of o.images and writes them to o.out (whole or
// not at all).
func runPairs(o *pairsOptions, stdout io.Writer) error {
	src, err := data.OpenImageFolder(o.images)
	if err != nil {
		return err
	}
	counts := make([]int, len(src.Classes()))
	for i := 0; i < src.Len(); i++ {
		counts[src.Label(i)]++
	}
	p, err := data.MakePairs(src.Classes(), counts, o.folds, o.perFold, o.seed)
	if err != nil {
		return fmt.Errorf("%s: %w", o.images, err)
	}
	if err := fileio.WriteFile(o.out, p.Write); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d folds of %d matched + %d mismatched pairs over %d identities of %s\n",
		o.out, p.Folds, p.PerFold, p.PerFold, len(src.Classes()), o.images)
	return nil
}
