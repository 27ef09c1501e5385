package main

import (
	"errors"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/train"
)

// trainOptions are the flags of `cocotrain train`.
type trainOptions struct {
	train.Options
	threads    int
	noProgress bool
}

func newTrainCmd() *cobra.Command {
	o := &trainOptions{}
	cmd := &cobra.Command{
		Use:   "train [--config FILE] [--data PATH] [--out RUNDIR] [--set key=value ...]",
		Short: "Train a face-embedding network with the CoCo loss",
		Long: `train trains the network a YAML config describes (sections model, loss,
optim, data, synth, train; unknown keys are errors) on an ImageFolder tree, an
insightface .rec or a .pack file, converting images to the config's size and
channels. Without --config it runs the bundled configs/tiny-synth.yaml;
without --data (and no data.path in the config) it trains on the built-in
synthetic faces, generated in memory, and verifies on their pairs.

The config and the data are checked before anything is written (at least
2 identities, the crop inside the images, a warmup shorter than the run, the
network of a resumed checkpoint); then the resolved config is printed and
saved as RUNDIR/config.yaml, with data paths made absolute. The run writes
RUNDIR/training.log, RUNDIR/metrics.jsonl (one JSON object per logged step and
per verification) and RUNDIR/checkpoints/last.safetensors (every
train.ckpt_every steps, every train.ckpt_minutes minutes and at the end) and
best.safetensors (best verification accuracy). A run locks RUNDIR: a second
train or --resume on it stops at once, naming the running process.
--resume continues RUNDIR exactly where its last checkpoint stands, from any
working directory. Ctrl-C or SIGTERM finishes the current step, writes a
checkpoint and exits with status 130; SIGHUP (the terminal or SSH session
closed) does the same with status 129.`,
		Example: `  # the demo: tiny network, built-in synthetic faces, ends with the verification accuracy
  cocotrain train

  # a real dataset, verified on LFW every 2000 steps
  cocotrain train --config configs/mobilefacenet-casia.yaml --data faces_webface_112x112/train.rec \
      --val-bin faces_webface_112x112/lfw.bin --val-bin faces_webface_112x112/cfp_fp.bin \
      --out runs/mfn --set train.val_every=2000

  # a grey ImageFolder, shorter run, verified on an LFW-layout directory
  cocotrain train --config configs/tiny-orl.yaml --data orl/train --val-dir orl/lfw --val-pairs orl/pairs.txt \
      --set train.epochs=5

  # continue an interrupted run
  cocotrain train --out runs/mfn --resume`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt := o.Options
			if cmd.Flags().Changed("threads") {
				opt.Sets = append([]string{"train.threads=" + strconv.Itoa(o.threads)}, opt.Sets...)
			}
			opt.Stdout, opt.Stderr = cmd.OutOrStdout(), cmd.ErrOrStderr()
			opt.Progress = !o.noProgress && train.IsTerminal(opt.Stderr) && os.Getenv("TERM") != "dumb"
			_, err := train.Run(cmd.Context(), opt)
			var oe *train.OptionsError
			if errors.As(err, &oe) {
				return usageError{err}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.ConfigPath, "config", "", "YAML config (default: the bundled configs/tiny-synth.yaml)")
	f.StringVar(&o.DataPath, "data", "", "training set: ImageFolder directory, .rec or .pack (default: data.path, else synthetic faces)")
	f.StringArrayVar(&o.ExcludePairs, "exclude-pairs", nil, "drop from training every identity this LFW pairs file names (repeatable; adds to data.exclude_pairs)")
	f.StringVar(&o.ValDir, "val-dir", "", "verification images in the LFW layout (DIR/<Name>/<Name>_0001.jpg)")
	f.StringVar(&o.ValPairs, "val-pairs", "", "the pairs.txt of --val-dir")
	f.StringArrayVar(&o.ValBins, "val-bin", nil, "verification set as an insightface .bin (lfw.bin, cfp_fp.bin, ...; repeatable: each is verified and logged by its file name)")
	f.StringVar(&o.Landmarks, "landmarks", "", "align the --data ImageFolder on the fly with this landmark file, as 'cocotrain align' does (sets data.landmarks)")
	f.StringVar(&o.OutDir, "out", "", "run directory (default runs/<UTC time>)")
	f.BoolVar(&o.Resume, "resume", false, "continue the run in --out from checkpoints/last.safetensors")
	f.StringVar(&o.InitFrom, "init-from", "", "start from the backbone of another run's checkpoint (sets train.init_from; same network)")
	f.IntVar(&o.threads, "threads", 0, "threads of the network, 1..256 or 0 for all cores (sets train.threads)")
	f.StringArrayVar(&o.Sets, "set", nil, "override a config value, e.g. --set train.epochs=1 (repeatable)")
	f.BoolVar(&o.noProgress, "no-progress", false, "print log lines instead of the progress bar")
	return cmd
}
