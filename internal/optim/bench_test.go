package optim

import (
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// BenchmarkStep measures one optimizer update over a 1M-parameter arena (the
// size of mobilefacenet), reported as parameters updated per second.
func BenchmarkStep(b *testing.B) {
	for _, name := range []string{"sgd", "adamw"} {
		b.Run(name, func(b *testing.B) {
			a := params.New()
			a.Declare("w", params.Weight, 1000, 1000)
			a.Declare("bn", params.Norm, 1000)
			a.Alloc()
			for i := range a.Grad {
				a.Grad[i] = float32(i%7) * 1e-3
			}
			cfg := DefaultConfig()
			cfg.Name = name
			o, err := New(cfg, a)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				o.Step(1e-3)
			}
			b.ReportMetric(float64(len(a.Data))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mparams/s")
		})
	}
}
