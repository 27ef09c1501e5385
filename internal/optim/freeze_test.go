package optim

import (
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// TestFreeze steps an optimizer over two parameters with the first frozen
// for 3 updates, next to one optimizer per parameter: while frozen, the
// first keeps its value (no decay, no momentum) and the norm leaves its
// gradient out; the second moves as if alone. From update 4 the first moves
// as a fresh optimizer's parameter does at its first update (AdamW's bias
// correction counting its own updates).
func TestFreeze(t *testing.T) {
	for _, name := range []string{"sgd", "adamw"} {
		t.Run(name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Name, cfg.WeightDecay = name, 0.1
			cfg.NoDecay = nil
			joint := params.New()
			joint.Declare("a", params.Weight, 2)
			joint.Declare("b", params.Weight, 3)
			joint.Alloc()
			o, err := New(cfg, joint)
			if err != nil {
				t.Fatal(err)
			}
			o.Freeze(2, 3)
			alone := [2]*params.Arena{params.New(), params.New()}
			alone[0].Declare("a", params.Weight, 2)
			alone[1].Declare("b", params.Weight, 3)
			var single [2]*Optimizer
			for i, a := range alone {
				a.Alloc()
				if single[i], err = New(cfg, a); err != nil {
					t.Fatal(err)
				}
			}
			init := []float32{1, -2, 0.5, 3, -1}
			copy(joint.Data, init)
			copy(alone[0].Data, init[:2])
			copy(alone[1].Data, init[2:])
			for step := 1; step <= 6; step++ {
				g := []float32{float32(step), -2, 0.25 * float32(step), 1, -0.5}
				copy(joint.Grad, g)
				norm := o.Step(0.01)
				copy(alone[1].Grad, g[2:])
				want := single[1].Step(0.01)
				if step <= 3 {
					if norm != want {
						t.Errorf("update %d: norm %v, want %v (the frozen gradient left out)", step, norm, want)
					}
					if joint.Data[0] != init[0] || joint.Data[1] != init[1] {
						t.Errorf("update %d: frozen values moved to %v", step, joint.Data[:2])
					}
				} else {
					copy(alone[0].Grad, g[:2])
					single[0].Step(0.01)
					for i, v := range alone[0].Data {
						if joint.Data[i] != v {
							t.Errorf("update %d: unfrozen a[%d] = %v, alone %v", step, i, joint.Data[i], v)
						}
					}
				}
				for i, v := range alone[1].Data {
					if joint.Data[2+i] != v {
						t.Errorf("update %d: b[%d] = %v, alone %v", step, i, joint.Data[2+i], v)
					}
				}
			}
		})
	}
}
