package data

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"testing"
)

// goldenAugments are the settings of TestAugmentGolden: the default, each
// of the keys that existed before aspect, saturation, hue, blur and erase
// alone, and all of them together.
var goldenAugments = map[string]Augment{
	"default":    {Flip: true, Shift: 0.04, Brightness: 0.1, Contrast: 0.1},
	"flip":       {Flip: true},
	"shift":      {Shift: 0.1},
	"scale":      {Scale: 0.1},
	"brightness": {Brightness: 0.3},
	"contrast":   {Contrast: 0.3},
	"grey":       {Grey: 0.5},
	"all":        {Flip: true, Shift: 0.08, Scale: 0.15, Brightness: 0.2, Contrast: 0.25, Grey: 0.3},
}

// goldenDigests are goldenDigest's values for goldenAugments, recorded from
// Apply at commit 493f219, before the later keys existed (the same on amd64
// and, since resample and the grey conversion round each product, arm64).
var goldenDigests = []struct {
	name   string
	c, s   int
	digest string
}{
	{"default", 1, 16, "56abdf7ed14a63f7"},
	{"default", 3, 16, "c09ecaafc6421c9f"},
	{"default", 3, 13, "c469711a6b13b524"},
	{"flip", 1, 16, "4a0c55eeb33efe6c"},
	{"flip", 3, 16, "5a72276308595bc8"},
	{"flip", 3, 13, "c398485cd36af619"},
	{"shift", 1, 16, "6e16643e7c9886ea"},
	{"shift", 3, 16, "d753d3f4cf68c727"},
	{"shift", 3, 13, "f3706b9fa8dc9261"},
	{"scale", 1, 16, "185894892eff3045"},
	{"scale", 3, 16, "f12746b42ccf8ff1"},
	{"scale", 3, 13, "0b38ba83ddb7794f"},
	{"brightness", 1, 16, "cbb309be179be573"},
	{"brightness", 3, 16, "7c02702c0113d14b"},
	{"brightness", 3, 13, "2de9443b2ba675be"},
	{"contrast", 1, 16, "6c200d213e8779e5"},
	{"contrast", 3, 16, "dd3b93e127387285"},
	{"contrast", 3, 13, "496496bc6832a088"},
	{"grey", 1, 16, "66efa5853e38225f"},
	{"grey", 3, 16, "930190a0e0552817"},
	{"grey", 3, 13, "864acbb6aed35922"},
	{"all", 1, 16, "b5bc31fef4756f36"},
	{"all", 3, 16, "9d88b8b18d5e911c"},
	{"all", 3, 13, "cf2fd3f24f506667"},
}

// goldenDigest applies a to a fixed pseudo-random c×s×s image with the
// generators of seeds 0..15 and hashes, for each, the output's float32 bits
// and the generator's next value (so a different number of draws shows).
func goldenDigest(a Augment, c, s int) string {
	src := make([]uint8, c*s*s)
	r := rand.New(rand.NewPCG(7, 7))
	for i := range src {
		src[i] = uint8(r.IntN(256))
	}
	h := sha256.New()
	dst := make([]float32, len(src))
	var buf [8]byte
	for seed := uint64(0); seed < 16; seed++ {
		rng := rand.New(rand.NewPCG(seed, 1))
		a.Apply(dst, src, c, s, rng)
		for _, v := range dst {
			binary.LittleEndian.PutUint32(buf[:4], math.Float32bits(v))
			h.Write(buf[:4])
		}
		binary.LittleEndian.PutUint64(buf[:], rng.Uint64())
		h.Write(buf[:])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// TestAugmentGolden checks that settings which leave the later keys off (at
// zero, or set to values that do nothing: aspect 1, a blur_sigma or
// erase_area without their probability, saturation and hue on grey images)
// draw the same numbers and produce the same pixels, bit for bit, as Apply
// did before those keys existed.
func TestAugmentGolden(t *testing.T) {
	for _, g := range goldenDigests {
		a := goldenAugments[g.name]
		if got := goldenDigest(a, g.c, g.s); got != g.digest {
			t.Errorf("%s, %d×%d×%d: digest %s, recorded %s", g.name, g.c, g.s, g.s, got, g.digest)
		}
		a.Aspect, a.BlurSigma, a.EraseArea = 1, 2, [2]float64{0.1, 0.3}
		if g.c == 1 {
			a.Saturation, a.Hue = 0.4, 0.3
		}
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := goldenDigest(a, g.c, g.s); got != g.digest {
			t.Errorf("%s, %d×%d×%d with inert later keys %+v: digest %s, recorded %s", g.name, g.c, g.s, g.s, a, got, g.digest)
		}
	}
}
