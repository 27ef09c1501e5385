package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"testing"
)

// goldenConfig renders every nuisance at full range (occlusion raised) at
// 48×48, so that a digest of its images covers every layer of a face.
func goldenConfig(channels int) Config {
	c := smallConfig()
	c.Channels, c.Size, c.Difficulty = channels, 48, 1
	c.Nuisance.Occlusion = 0.5
	return c
}

// TestZeroDetailKnobsKeepPixels holds the knobs added after the first
// release (texture, pitch, clutter, grin) to their promise: at zero, every
// pixel is what the generator rendered before they existed. The digests were
// taken from that generator; amd64 only, because the Go compiler fuses
// multiply-adds on arm64 and the low bits of a few pixels differ there.
func TestZeroDetailKnobsKeepPixels(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skipf("the digests are of amd64 rendering; %s rounds differently (TestDetailKnobsChangePixels runs here)", runtime.GOARCH)
	}
	want := map[int]string{
		1: "36589149889c0cd4d766918ab1eb3894fb48b09d6ae2eb0d0e76ba62d42d418c",
		3: "3d01436f67969c723fab9b2e40ca3ceac133bea1e43d4b166fb993b39fa1f826",
	}
	for ch, digest := range want {
		g := newGen(t, goldenConfig(ch))
		h := sha256.New()
		for id := 0; id < 46; id++ {
			for k := 0; k < 4; k++ {
				h.Write(pixels(g.Render(id, k)))
			}
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != digest {
			t.Errorf("%d channel(s): digest %s, want %s", ch, got, digest)
		}
	}
}

// TestDetailKnobsChangePixels checks that each new knob, alone, changes the
// images it should and keeps them deterministic.
func TestDetailKnobsChangePixels(t *testing.T) {
	base := newGen(t, goldenConfig(3))
	for name, edit := range map[string]func(*Config){
		"texture": func(c *Config) { c.Texture = 1 },
		"pitch":   func(c *Config) { c.Nuisance.Pitch = 20 },
		"clutter": func(c *Config) { c.Nuisance.Clutter = 1 },
		"grin":    func(c *Config) { c.Nuisance.Grin = 1 },
	} {
		c := goldenConfig(3)
		edit(&c)
		g, again := newGen(t, c), newGen(t, c)
		changed := 0
		for id := 0; id < 6; id++ {
			p := pixels(g.Render(id, 0))
			if !bytes.Equal(p, pixels(again.Render(id, 0))) {
				t.Fatalf("%s: identity %d renders differently twice", name, id)
			}
			if !bytes.Equal(p, pixels(base.Render(id, 0))) {
				changed++
			}
		}
		if changed < 5 {
			t.Errorf("%s: changed %d of 6 images, want at least 5", name, changed)
		}
	}
}

// TestDetailIsIdentity checks that texture belongs to the identity: the same
// for every image of one identity, different between identities, and absent
// at texture 0.
func TestDetailIsIdentity(t *testing.T) {
	if d := newDetail(1, 3, 0); d != (detail{}) {
		t.Fatalf("texture 0 drew detail %+v", d)
	}
	a, b := newDetail(1, 3, 1), newDetail(1, 3, 1)
	if a != b || a.skinAmp == 0 || a.hairAmp == 0 {
		t.Fatalf("identity 3: %+v and %+v", a, b)
	}
	if newDetail(1, 4, 1) == a || newDetail(2, 3, 1) == a {
		t.Fatal("another identity or seed drew the same detail")
	}
	// Half the strength halves every amplitude and keeps the pattern.
	h := newDetail(1, 3, 0.5)
	if h.skin != a.skin || h.skinAmp != a.skinAmp/2 || h.folds != a.folds/2 {
		t.Fatalf("texture 0.5: %+v, texture 1: %+v", h, a)
	}
}

// TestGrinOpensTheMouth checks that grin 1 gives every image an open smile
// with teeth, and that the draws leave the rest of the pose alone.
func TestGrinOpensTheMouth(t *testing.T) {
	c := goldenConfig(3)
	plain := c
	c.Nuisance.Grin = 1
	for k := 0; k < 8; k++ {
		p, q := newPose(&c, 2, k), newPose(&plain, 2, k)
		if !p.teeth || p.open < 0.05 || p.smile <= q.smile {
			t.Fatalf("image %d: teeth %v, open %v, smile %v (without grin %v)", k, p.teeth, p.open, p.smile, q.smile)
		}
		if p.rot != q.rot || p.yaw != q.yaw || p.bg != q.bg || p.noiseSeed != q.noiseSeed {
			t.Fatalf("image %d: grin moved other nuisance", k)
		}
	}
}
