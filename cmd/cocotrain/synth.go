package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/synth"
)

// synthOptions are the flags of `cocotrain synth`.
type synthOptions struct {
	out string
	cfg synth.Config
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
memory.`,
		Example: `  cocotrain synth --out /tmp/faces
  cocotrain synth --out /tmp/faces --identities 200 --per-identity 20 --eval-identities 100 --size 112 --channels 3 --seed 7
  cocotrain synth --out /tmp/easy --difficulty 0.5`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.out == "" {
				return usageError{errors.New("synth: --out DIR is required")}
			}
			if err := o.cfg.Validate(); err != nil {
				return usageError{err}
			}
			return synth.Run(cmd.Context(), o.cfg, o.out, cmd.OutOrStdout())
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
	return cmd
}
