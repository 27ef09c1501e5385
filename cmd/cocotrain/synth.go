package main

import (
	"errors"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cocotrain/cocotrain/internal/synth"
	"github.com/cocotrain/cocotrain/internal/train"
)

// synthOptions are the flags of `cocotrain synth`.
type synthOptions struct {
	out    string
	config string   // a training config whose synth section starts the set
	sets   []string // --set overrides of that config
	cfg    synth.Config
}

// resolve returns the set to write: synth.DefaultConfig(), or the synth
// section of --config with its --set overrides, then every flag given on
// the command line (changed reports whether a flag was).
func (o *synthOptions) resolve(flags *pflag.FlagSet) (synth.Config, error) {
	if o.config == "" {
		if len(o.sets) > 0 {
			return synth.Config{}, errors.New("synth: --set needs --config (it overrides keys of that file)")
		}
		return o.cfg, nil
	}
	tc, err := train.LoadConfig(o.config, o.sets)
	if err != nil {
		return synth.Config{}, err
	}
	cfg := tc.Synth
	for name, v := range map[string]func(){
		"identities":        func() { cfg.Identities = o.cfg.Identities },
		"per-identity":      func() { cfg.PerIdentity = o.cfg.PerIdentity },
		"eval-identities":   func() { cfg.EvalIdentities = o.cfg.EvalIdentities },
		"eval-per-identity": func() { cfg.EvalPerIdentity = o.cfg.EvalPerIdentity },
		"size":              func() { cfg.Size = o.cfg.Size },
		"channels":          func() { cfg.Channels = o.cfg.Channels },
		"seed":              func() { cfg.Seed = o.cfg.Seed },
		"difficulty":        func() { cfg.Difficulty = o.cfg.Difficulty },
		"texture":           func() { cfg.Texture = o.cfg.Texture },
	} {
		if flags.Changed(name) {
			v()
		}
	}
	return cfg, nil
}

func newSynthCmd() *cobra.Command {
	o := &synthOptions{cfg: synth.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "synth --out DIR",
		Short: "Write a procedural face set: DIR/train, DIR/lfw and DIR/pairs.txt",
		Long: `synth renders procedural faces: each identity is a seeded set of facial
traits, each image adds pose, lighting, expression, blur, noise and
occlusion. It writes training identities as DIR/train/<id>/NNNN.png, disjoint
verification identities as DIR/lfw/<Name>/<Name>_NNNN.png and DIR/pairs.txt in
the LFW View 2 layout (10 folds that share no identity). The same seed gives
the same pixels; 'cocotrain train' without --data uses the same generator in
memory. With --config, the set is the synth section of that training config
(the same pixels the training renders, nuisance and texture keys included),
changed by --set and by any flag given.`,
		Example: `  cocotrain synth --out /tmp/faces
  cocotrain synth --out /tmp/faces --identities 200 --per-identity 20 --eval-identities 100 --size 112 --channels 3 --seed 7
  cocotrain synth --out /tmp/easy --difficulty 0.5
  cocotrain synth --out /tmp/pretrain --config configs/synth-pretrain.yaml --eval-identities 0`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.out == "" {
				return usageError{errors.New("synth: --out DIR is required")}
			}
			cfg, err := o.resolve(cmd.Flags())
			if err != nil {
				return usageError{err}
			}
			if err := cfg.Validate(); err != nil {
				return usageError{err}
			}
			return synth.Run(cmd.Context(), cfg, o.out, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "directory to write train/, lfw/ and pairs.txt into")
	f.IntVar(&o.cfg.Identities, "identities", o.cfg.Identities, "training identities")
	f.IntVar(&o.cfg.PerIdentity, "per-identity", o.cfg.PerIdentity, "images per training identity")
	f.IntVar(&o.cfg.EvalIdentities, "eval-identities", o.cfg.EvalIdentities, "verification identities (0, or at least 20)")
	f.IntVar(&o.cfg.EvalPerIdentity, "eval-per-identity", o.cfg.EvalPerIdentity, "images per verification identity")
	f.IntVar(&o.cfg.Size, "size", o.cfg.Size, "image height and width in pixels")
	f.IntVar(&o.cfg.Channels, "channels", o.cfg.Channels, "1 (grey) or 3 (RGB)")
	f.Uint64Var(&o.cfg.Seed, "seed", o.cfg.Seed, "random seed: the same seed writes the same pixels")
	f.Float64Var(&o.cfg.Difficulty, "difficulty", o.cfg.Difficulty, "multiplier of every nuisance range (0: none, 1: default)")
	f.Float64Var(&o.cfg.Texture, "texture", o.cfg.Texture, "skin and hair detail of each identity, 0..1 (0: flat colours)")
	f.StringVar(&o.config, "config", "", "start from the synth section of this training config (the set `cocotrain train` would render); flags given override it")
	f.StringArrayVar(&o.sets, "set", nil, "override a key of --config, e.g. --set synth.nuisance.clutter=0.5 (repeatable)")
	return cmd
}
