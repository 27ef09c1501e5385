package train

import "github.com/cocotrain/cocotrain/internal/data"

// openValSet returns the verification set of a run and a name for it:
// train.val_bin, else train.val_dir with train.val_pairs, else the synthetic
// pairs when training on the built-in faces, else none (nil).
func openValSet(cfg Config, syn *synthSet) (*data.VerificationSet, string, error) {
	t := cfg.Train
	switch {
	case t.ValBin != "":
		v, err := data.LoadLFWBin(t.ValBin)
		return v, t.ValBin, err
	case t.ValDir != "":
		v, err := data.LoadLFW(t.ValDir, t.ValPairs)
		return v, t.ValPairs, err
	case syn != nil:
		return syn.val, "synthetic pairs", nil
	}
	return nil, "", nil
}
