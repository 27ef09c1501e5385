package synth

import (
	"math"
	"math/rand/v2"
)

// pose is the nuisance of one image: everything that varies between images
// of one identity.
type pose struct {
	rot, scale         float64 // in-plane rotation (radians), relative size
	shiftX, shiftY     float64 // translation, in screen units (image = 2)
	yaw                float64 // sine of the head turn
	light              [3]float64
	lightStr           float64
	gain, bias         float64 // exposure: v' = gain·(v − 0.5) + 0.5 + bias
	smile, open        float64 // mouth curvature change, mouth opening
	browRaise, eyeOpen float64
	gazeX, gazeY       float64
	blur, noise        float64 // Gaussian sigma in pixels, noise std on 0..1
	bg                 rgb     // background colour at the centre
	bgGX, bgGY         float64 // background gradient
	bgFreq, bgPhase    float64 // background texture
	bgAmp              float64
	clothes            rgb
	occluder           bool
	occ                shape
	occCol             rgb
	hairJitter         float64
	noiseSeed          uint64
	pitch              float64 // sine of the head nod (down is positive)
	clutter            []clutterObject
	teeth              bool // an open smile shows the teeth
}

// clutterObject is one thing behind the head, in screen units.
type clutterObject struct {
	s    shape
	col  rgb
	grad float64 // brightness change across the object, top to bottom
}

// newPose draws the nuisance of image k of identity id.
func newPose(cfg *Config, id, k int) *pose {
	n := cfg.Nuisance.scaled(cfg.Difficulty)
	r := newRand(cfg.Seed, streamImage, uint64(id), uint64(k))
	p := &pose{}
	p.rot = symmetric(r, n.Rotation*math.Pi/180)
	p.scale = 1 + symmetric(r, n.Scale)
	p.shiftX = symmetric(r, 2*n.Shift)
	p.shiftY = symmetric(r, 2*n.Shift)
	p.yaw = math.Sin(symmetric(r, n.Yaw*math.Pi/180))

	az := uniform(r, 0, 2*math.Pi)
	lz := uniform(r, 0.25, 0.9)
	lxy := math.Sqrt(1 - lz*lz)
	p.light = [3]float64{lxy * math.Cos(az), lxy * math.Sin(az), lz}
	p.lightStr = uniform(r, 0, n.Lighting)
	p.gain = 1 + symmetric(r, n.Exposure)
	p.bias = symmetric(r, 0.5*n.Exposure)

	e := n.Expression
	p.smile = uniform(r, -0.03, 0.06) * e
	if r.Float64() < 0.4 {
		p.open = uniform(r, 0, 0.06) * e
	}
	p.browRaise = symmetric(r, 0.05) * e
	p.eyeOpen = 1
	if r.Float64() < 0.15*e {
		p.eyeOpen = uniform(r, 0.15, 0.7)
	}
	p.gazeX = symmetric(r, 0.4) * e
	p.gazeY = symmetric(r, 0.2) * e

	p.blur = uniform(r, 0, n.Blur) * float64(cfg.Size) / 64
	p.noise = uniform(r, 0, n.Noise)
	p.bg = randomColour(r)
	p.bgGX, p.bgGY = symmetric(r, 0.25), symmetric(r, 0.25)
	p.bgFreq, p.bgPhase, p.bgAmp = uniform(r, 1, 6), uniform(r, 0, 2*math.Pi), uniform(r, 0, 0.12)
	p.clothes = randomColour(r)
	p.hairJitter = symmetric(r, 0.05)

	if r.Float64() < n.Occlusion {
		p.occluder = true
		kind := ellipseShape
		if r.Float64() < 0.5 {
			kind = boxShape
		}
		// Centre somewhere on the face, reaching in from one side.
		ang := uniform(r, 0, 2*math.Pi)
		dist := uniform(r, 0.7, 1.2)
		rx, ry := uniform(r, 0.3, 0.6), uniform(r, 0.3, 0.7)
		p.occ = newShape(kind, dist*math.Cos(ang)*0.9, dist*math.Sin(ang)*1.1, rx, ry).rotated(uniform(r, 0, math.Pi))
		p.occ.t = 0.05
		p.occCol = randomColour(r)
	}
	p.noiseSeed = r.Uint64()
	p.addDetail(cfg, n, id, k)
	return p
}

// addDetail draws the nuisance of the knobs added after the first release
// from their own stream, so that at zero they leave every pixel as it was.
func (p *pose) addDetail(cfg *Config, n Nuisance, id, k int) {
	r := newRand(cfg.Seed, streamDetail, uint64(id), uint64(k))
	p.pitch = math.Sin(symmetric(r, n.Pitch*math.Pi/180))
	if r.Float64() < n.Grin {
		p.teeth = true
		p.open = uniform(r, 0.05, 0.1)
		p.smile += uniform(r, 0.03, 0.07)
	}
	for range 4 {
		if r.Float64() >= n.Clutter {
			continue
		}
		o := clutterObject{col: randomColour(r), grad: symmetric(r, 0.2)}
		cx, cy := symmetric(r, 1.1), uniform(r, -1.1, 0.6)
		switch r.IntN(3) {
		case 0: // another head: a skin-toned ellipse
			tone := uniform(r, 0.2, 0.9)
			o.col = rgb{tone*0.95 + 0.06, tone*0.78 + 0.04, tone*0.66 + 0.02}
			o.s = newShape(ellipseShape, cx, cy, uniform(r, 0.2, 0.45), uniform(r, 0.28, 0.6))
		case 1: // a box: a door, a sign, a picture
			o.s = newShape(boxShape, cx, cy, uniform(r, 0.15, 0.8), uniform(r, 0.15, 0.8)).rotated(symmetric(r, 0.2))
			o.s.t = 0.02
		default: // a bar: a pole, a window frame, a shelf
			o.s = newShape(boxShape, cx, cy, uniform(r, 0.03, 0.12), uniform(r, 0.8, 2)).rotated(symmetric(r, 0.3) + float64(r.IntN(2))*math.Pi/2)
		}
		p.clutter = append(p.clutter, o)
	}
}

// randomColour returns a colour of random brightness and hue.
func randomColour(r *rand.Rand) rgb {
	v := uniform(r, 0.05, 0.95)
	c := rgb{r.Float64(), r.Float64(), r.Float64()}
	return rgb{v, v, v}.mix(c, uniform(r, 0, 0.6))
}
