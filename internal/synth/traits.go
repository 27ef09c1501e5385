package synth

// rgb is a colour with components in 0..1.
type rgb [3]float64

// scale returns c·k.
func (c rgb) scale(k float64) rgb { return rgb{c[0] * k, c[1] * k, c[2] * k} }

// mix returns c·(1−t) + d·t.
func (c rgb) mix(d rgb, t float64) rgb {
	return rgb{c[0] + (d[0]-c[0])*t, c[1] + (d[1]-c[1])*t, c[2] + (d[2]-c[2])*t}
}

// traits is an identity: the latent facial features that stay fixed over all
// of its images. Lengths are in face units (the face is about 2 wide, y down,
// origin at the face centre).
type traits struct {
	faceW, faceH, jaw float64 // half-width, half-height, chin narrowing 0..1
	skin              rgb
	hair              rgb
	bald              bool
	hairline          float64 // y of the hairline at the centre
	hairCurve         float64 // how much the hairline rises to the sides
	hairTilt          float64 // side parting: tilt of the hairline, radians
	hairVolume        float64 // how far hair stands out of the skull
	hairLength        float64 // y down to which hair hangs beside the face
	earSize           float64

	eyeY, eyeSep, eyeW, eyeH, eyeTilt float64
	iris                              rgb
	browGap, browLen, browThick       float64
	browTilt, browArch                float64
	browDark                          float64 // brow tone relative to hair

	noseLen, noseW float64
	mouthY, mouthW float64
	lipH           float64
	lip            rgb
	smile          float64 // resting mouth curvature

	glasses                   bool
	glassRound                bool
	lensW, lensH, frameT      float64
	frame                     rgb
	tinted                    bool
	beard                     int // 0 none, 1 moustache, 2 goatee, 3 full, 4 stubble
	mole                      bool
	moleX, moleY, moleR       float64
	cheekShade, foreheadShine float64
	detail                    detail // skin and hair texture (newDetail)
}

// hairColours are base hair colours (black, brown, auburn, blond, grey).
var hairColours = []rgb{
	{0.08, 0.07, 0.06}, {0.30, 0.20, 0.12}, {0.45, 0.22, 0.10},
	{0.80, 0.68, 0.42}, {0.70, 0.70, 0.70}, {0.18, 0.13, 0.10},
}

// newTraits draws the traits of identity id under seed.
func newTraits(seed uint64, id int) *traits {
	r := newRand(seed, streamTraits, uint64(id))
	t := &traits{}
	t.faceW = uniform(r, 0.72, 0.98)
	t.faceH = uniform(r, 1.02, 1.30)
	t.jaw = uniform(r, 0, 0.45)

	tone := uniform(r, 0.22, 0.95)
	t.skin = rgb{tone*0.95 + 0.06, tone*0.78 + 0.04, tone*0.66 + 0.02}.mix(rgb{tone, tone, tone}, uniform(r, 0, 0.3))
	base := hairColours[r.IntN(len(hairColours))]
	t.hair = base.scale(uniform(r, 0.7, 1.3))
	t.bald = r.Float64() < 0.1
	t.hairline = uniform(r, -0.95, -0.45) * t.faceH
	t.hairCurve = uniform(r, -0.2, 0.9)
	t.hairTilt = symmetric(r, 0.35)
	t.hairVolume = uniform(r, 0.02, 0.3)
	t.hairLength = uniform(r, -0.4, 1.3)
	if t.bald {
		t.hairline = -1.3 * t.faceH
		t.hairVolume = 0
		t.hairLength = uniform(r, -0.3, 0.1)
	}
	t.earSize = uniform(r, 0.12, 0.22)

	t.eyeY = uniform(r, -0.25, 0.05)
	t.eyeSep = uniform(r, 0.26, 0.42) * t.faceW / 0.85
	t.eyeW = uniform(r, 0.12, 0.19)
	t.eyeH = uniform(r, 0.05, 0.09)
	t.eyeTilt = symmetric(r, 0.2)
	t.iris = hairColours[r.IntN(3)].mix(rgb{0.3, 0.5, 0.6}, r.Float64())
	t.browGap = uniform(r, 0.10, 0.22)
	t.browLen = uniform(r, 0.16, 0.28)
	t.browThick = uniform(r, 0.03, 0.065)
	t.browTilt = symmetric(r, 0.3)
	t.browArch = uniform(r, -0.01, 0.06)
	t.browDark = uniform(r, 0.4, 1)

	t.noseLen = uniform(r, 0.22, 0.45)
	t.noseW = uniform(r, 0.07, 0.16)
	t.mouthY = t.eyeY + t.noseLen + uniform(r, 0.18, 0.32)
	t.mouthW = uniform(r, 0.2, 0.36)
	t.lipH = uniform(r, 0.03, 0.065)
	t.lip = t.skin.mix(rgb{0.55, 0.2, 0.2}, uniform(r, 0.2, 0.6))
	t.smile = symmetric(r, 0.04)

	t.glasses = r.Float64() < 0.3
	t.glassRound = r.Float64() < 0.5
	t.lensW = t.eyeW + uniform(r, 0.04, 0.09)
	t.lensH = t.eyeH + uniform(r, 0.04, 0.09)
	t.frameT = uniform(r, 0.015, 0.035)
	t.frame = hairColours[r.IntN(len(hairColours))].scale(uniform(r, 0.5, 1.2))
	t.tinted = r.Float64() < 0.25
	if r.Float64() < 0.35 {
		t.beard = 1 + r.IntN(4)
	}
	t.mole = r.Float64() < 0.3
	t.moleX = symmetric(r, 0.55)
	t.moleY = uniform(r, -0.3, 0.6)
	t.moleR = uniform(r, 0.02, 0.04)
	t.cheekShade = uniform(r, 0, 0.25)
	t.foreheadShine = uniform(r, 0, 0.15)
	return t
}
