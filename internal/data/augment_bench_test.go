package data

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkAugment measures Apply on one 64×64 RGB image per iteration, on
// one goroutine as a decode worker runs it: the default augmentation, each
// later key alone (certain where it is a probability) on top of the
// default, and everything on, with the probabilities a recipe would use and
// with every probability 1. The image is smooth with some texture, like
// benchFolder's (a face more than noise, which the colour jitter's clamp
// and the blur would see differently). It reports CPU nanoseconds per image besides
// ns/op, as the shared machine's wall clock is noisy.
func BenchmarkAugment(b *testing.B) {
	const c, s = 3, 64
	def := DefaultConfig().Augment
	with := func(f func(*Augment)) Augment { a := def; f(&a); return a }
	all := Augment{Flip: true, Shift: 0.05, Scale: 0.1, Aspect: 4.0 / 3, Brightness: 0.2, Contrast: 0.2,
		Saturation: 0.3, Hue: 0.05, Grey: 0.1, Blur: 0.2, BlurSigma: 1.5, Erase: 0.5, EraseArea: [2]float64{0.02, 0.33}}
	always := all
	always.Grey, always.Blur, always.Erase = 0, 1, 1
	for _, bc := range []struct {
		name string
		a    Augment
	}{
		{"default", def},
		{"default+scale", with(func(a *Augment) { a.Scale = 0.1 })},
		{"default+aspect", with(func(a *Augment) { a.Aspect = 4.0 / 3 })},
		{"default+saturation+hue", with(func(a *Augment) { a.Saturation, a.Hue = 0.3, 0.05 })},
		{"default+blur", with(func(a *Augment) { a.Blur, a.BlurSigma = 1, 1.5 })},
		{"default+erase", with(func(a *Augment) { a.Erase, a.EraseArea = 1, [2]float64{0.02, 0.33} })},
		{"all", all},
		{"all-certain", always},
	} {
		b.Run(bc.name, func(b *testing.B) {
			if err := bc.a.Validate(); err != nil {
				b.Fatal(err)
			}
			src := make([]uint8, c*s*s)
			for y := 0; y < s; y++ {
				for x := 0; x < s; x++ {
					src[y*s+x] = uint8((x*x+y*3)/7 + (x^y)&15)
					src[s*s+y*s+x] = uint8(3*y + 40)
					src[2*s*s+y*s+x] = uint8(x*2 + 60)
				}
			}
			dst := make([]float32, len(src))
			pcg := rand.NewPCG(0, 0)
			rng := rand.New(pcg)
			b.ResetTimer()
			cpu0 := cpuSeconds()
			for i := 0; b.Loop(); i++ {
				pcg.Seed(uint64(i), 1)
				bc.a.Apply(dst, src, c, s, rng)
			}
			if cpu := cpuSeconds() - cpu0; cpu > 0 {
				b.ReportMetric(cpu*1e9/float64(b.N), "cpu-ns/image")
			}
		})
	}
}
