package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/export"
)

// exportOptions are the flags of `cocotrain export`.
type exportOptions struct {
	export.Options
}

func newExportCmd() *cobra.Command {
	o := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export --checkpoint FILE --format onnx|torch --out PATH",
		Short: "Write a checkpoint's network as an ONNX model or a PyTorch folder",
		Long: `export writes the checkpoint's backbone in eval mode for other runtimes.

--format onnx: an ONNX model (operator set 11, IR version 6) that ONNX
Runtime runs and insightface's model zoo loads like its own recognition
models: one input "data", float32 N×C×S×S with a dynamic batch dimension
"N" (RGB planes, or one grey plane for 1-channel models), each pixel value
v in 0..255 normalised as (v − 127.5)/127.5 outside the model, as
cocotrain's loader does; one output "embedding", N×D, before L2
normalisation. Batch norms after convolutions and after the embedding
Linear are folded into their weights; depthwise convolutions are Conv with
group.

--format torch: a new folder for PyTorch users, with no cocotrain needed:
model.py (the network in plain PyTorch, the parameter names of the
checkpoint; load(folder) returns the network in eval mode),
weights.safetensors (every backbone.* and head.* tensor: the network and
the loss head, e.g. head.centroids), config.yaml (the run's resolved
config), and train_ddp.py with losses.py: the same training under torchrun
with DistributedDataParallel, writing checkpoints cocotrain reads back
(docs/beyond.md).

The output is written to a temporary file or folder and renamed: a failed
export leaves nothing behind. See docs/export.md.`,
		Example: `  cocotrain export --checkpoint runs/mfn/checkpoints/best.safetensors --format onnx --out mfn.onnx
  python3 -c "import onnx; onnx.checker.check_model(onnx.load('mfn.onnx'), full_check=True)"
  cocotrain export --checkpoint runs/mfn/checkpoints/best.safetensors --format torch --out mfn-torch
  python3 mfn-torch/model.py mfn-torch
  torchrun --nproc_per_node=8 mfn-torch/train_ddp.py --init-from mfn-torch/weights.safetensors --data train.pack --out runs/ddp`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Checkpoint == "" || o.Out == "" {
				return usageError{errors.New("export needs --checkpoint and --out")}
			}
			r, err := export.Run(o.Options)
			if errors.Is(err, export.ErrFormat) {
				return usageError{err}
			}
			if err != nil {
				return err
			}
			if o.Format == "torch" {
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "wrote the %s network and loss head to %s (model.py, weights.safetensors with %d tensors, config.yaml, train_ddp.py, losses.py; %d bytes)\n",
					r.Arch, o.Out, r.Tensors, r.Bytes)
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "wrote the %s backbone to %s (%s: %d nodes, %d initializers, %d bytes)\n",
				r.Arch, o.Out, o.Format, r.Nodes, r.Initializers, r.Bytes)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Checkpoint, "checkpoint", "", "checkpoint (.safetensors) to export")
	f.StringVar(&o.Format, "format", "onnx", "output format: onnx (a file) or torch (a new folder)")
	f.StringVar(&o.Out, "out", "", "output file (onnx) or folder (torch)")
	return cmd
}
