package synth

import "math/rand/v2"

// Streams of the generator's random numbers: each (stream, identity, image)
// has its own PCG, so any image renders alone, in any order, identically.
const (
	streamTraits uint64 = iota + 1
	streamImage
	streamPairs
	streamDetail  // per-image draws of the knobs added later (pitch, clutter, grin)
	streamTexture // per-identity skin and hair detail
)

// splitmix64 is the SplitMix64 finaliser, a bijective 64-bit mixer.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// newRand returns the generator of stream for the given keys under seed.
func newRand(seed, stream uint64, keys ...uint64) *rand.Rand {
	h := splitmix64(seed ^ splitmix64(stream))
	for _, k := range keys {
		h = splitmix64(h ^ k)
	}
	return rand.New(rand.NewPCG(h, splitmix64(h^0x5851f42d4c957f2d)))
}

// uniform returns a value uniform in [lo, hi).
func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

// symmetric returns a value uniform in [−a, a).
func symmetric(r *rand.Rand, a float64) float64 { return a * (2*r.Float64() - 1) }
