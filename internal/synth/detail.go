package synth

import "math"

// detail is the skin and hair texture of an identity: all amplitudes are 0
// when Config.Texture is 0, and then the renderer paints flat colours.
type detail struct {
	skinAmp  float64    // relative brightness change of the skin blotches
	skin     [6]wave    // the blotches: a sum of plane waves in face units
	lines    float64    // darkness of the forehead lines, 0..1
	lineFreq float64    // forehead lines per face unit (radians)
	linePh   float64    // their phase
	folds    float64    // opacity of the nasolabial folds
	hairAmp  float64    // relative brightness change of the hair strands
	hairFreq float64    // strands per face unit (radians)
	hairWarp [2]float64 // how much the strands wave: amplitude, frequency
}

// wave is one plane wave a·sin(kx·x + ky·y + phase).
type wave struct{ kx, ky, phase, a float64 }

// newDetail draws the texture of identity id under seed at strength
// texture (0..1) from its own stream.
func newDetail(seed uint64, id int, texture float64) detail {
	var d detail
	if texture == 0 {
		return d
	}
	r := newRand(seed, streamTexture, uint64(id))
	d.skinAmp = texture * uniform(r, 0.04, 0.12)
	for i := range d.skin {
		f, a := uniform(r, 5, 22), uniform(r, 0, 2*math.Pi)
		d.skin[i] = wave{kx: f * math.Cos(a), ky: f * math.Sin(a), phase: uniform(r, 0, 2*math.Pi), a: uniform(r, 0.3, 1)}
	}
	if r.Float64() < 0.5 {
		d.lines = texture * uniform(r, 0.03, 0.12)
	}
	d.lineFreq, d.linePh = uniform(r, 18, 30), uniform(r, 0, 2*math.Pi)
	d.folds = texture * uniform(r, 0, 0.5)
	d.hairAmp = texture * uniform(r, 0.04, 0.15)
	d.hairFreq = uniform(r, 40, 90)
	d.hairWarp = [2]float64{uniform(r, 0, 0.08), uniform(r, 2, 8)}
	return d
}

// skinShade is the brightness factor of the skin at face point (x, y);
// browY is the height of the brows, below which no forehead line is drawn.
func (d *detail) skinShade(x, y, browY float64) float64 {
	v := 0.0
	for _, w := range d.skin {
		v += w.a * math.Sin(w.kx*x+w.ky*y+w.phase)
	}
	f := 1 + d.skinAmp*v/3
	if d.lines > 0 && y < browY-0.08 {
		s := math.Sin(d.lineFreq*(y+0.03*x*x) + d.linePh)
		f -= d.lines * s * s * s * s * math.Max(0, 1-math.Abs(x)/0.6)
	}
	return f
}

// hairShade is the brightness factor of the hair at face point (x, y):
// strands running down, waving sideways.
func (d *detail) hairShade(x, y float64) float64 {
	u := x + d.hairWarp[0]*math.Sin(d.hairWarp[1]*y)
	return 1 + d.hairAmp*math.Sin(d.hairFreq*u)
}
