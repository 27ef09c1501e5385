package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/train"
)

// modelSummaryOptions are the flags of `cocotrain model summary`.
type modelSummaryOptions struct {
	config string
	sets   []string
	cfg    model.Config
}

func newModelCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "model",
		Short: "Inspect the network architectures",
		Args:  argsUsage(cobra.NoArgs),
	}
	cmd.AddCommand(newModelSummaryCmd())
	return cmd
}

func newModelSummaryCmd() *cobra.Command {
	o := &modelSummaryOptions{cfg: model.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "summary [--config FILE] [--arch NAME --input-size N --channels C --embedding-dim D]",
		Short: "Print a network's layers, output shapes, parameters and MACs",
		Long: `summary prints one line per layer of the network (name, type, output shape
per image, trainable parameters, multiply-accumulates per image) and the
totals, as PyTorch twins of the networks count them (scripts/torch_model.py).
MACs count convolutions and linear layers; FLOPs = 2 × MACs.

The network is the model section of --config (with --set overrides), or
the network that cocotrain train trains by default (the model section of
the embedded configs/tiny-synth.yaml); --arch, --input-size, --channels and
--embedding-dim override single fields.`,
		Example: `  cocotrain model summary
  cocotrain model summary --arch mobilefacenet --input-size 112 --channels 3
  cocotrain model summary --arch iresnet18 --input-size 112 --channels 3 --embedding-dim 512
  cocotrain model summary --config configs/mobilefacenet-casia.yaml`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg := o.cfg
			if o.config != "" || len(o.sets) > 0 {
				full, err := train.LoadConfig(o.config, o.sets)
				if err != nil {
					return err
				}
				cfg = full.Model
				f := cmd.Flags()
				if f.Changed("arch") {
					cfg.Arch = o.cfg.Arch
				}
				if f.Changed("input-size") {
					cfg.InputSize = o.cfg.InputSize
				}
				if f.Changed("channels") {
					cfg.Channels = o.cfg.Channels
				}
				if f.Changed("embedding-dim") {
					cfg.EmbeddingDim = o.cfg.EmbeddingDim
				}
			}
			if err := cfg.Validate(); err != nil {
				return usageError{err}
			}
			return model.WriteSummary(cmd.OutOrStdout(), cfg)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.config, "config", "", "YAML config whose model section to summarise")
	f.StringArrayVar(&o.sets, "set", nil, "override a config key, e.g. model.input_size=112 (repeatable)")
	f.StringVar(&o.cfg.Arch, "arch", o.cfg.Arch, "architecture: "+strings.Join(model.Archs, ", "))
	f.IntVar(&o.cfg.InputSize, "input-size", o.cfg.InputSize, "input image side in pixels")
	f.IntVar(&o.cfg.Channels, "channels", o.cfg.Channels, "input channels (1 grey, 3 RGB)")
	f.IntVar(&o.cfg.EmbeddingDim, "embedding-dim", o.cfg.EmbeddingDim, "embedding length")
	return cmd
}
