package synth

import "math"

// layer is one painted region of a face: a shape, optionally intersected
// with clip and with sub cut out, filled with a colour that lighting
// modulates by the fraction lit.
type layer struct {
	s, clip, sub     shape
	hasClip, hasSub  bool
	col              rgb
	opacity          float64
	lit              float64 // 0: flat colour, 1: fully shaded by the light
	soft             float64 // extra edge width, in face units
	x0, y0, x1, y1   float64 // bounds of the painted region
	edge             float64 // soft + pixel width, set when rendering
	invEdge, cutDist float64
	row0, row1       int // the image rows the layer may touch, set when rendering
	tex              texKind
}

// texKind selects the texture a layer's colour is modulated by.
type texKind uint8

const (
	texNone texKind = iota
	texSkin
	texHair
)

// textured gives l texture k when the identity has any (Config.Texture > 0),
// and returns l.
func (sc *scene) textured(l *layer, k texKind) *layer {
	if sc.t.detail.skinAmp > 0 {
		l.tex = k
	}
	return l
}

// scene is one image to render: the layers of a face in painting order,
// over a background.
type scene struct {
	t      *traits
	p      *pose
	layers []layer
}

// add appends a layer over s with colour c, opacity 1 and full lighting,
// and returns it for further settings.
func (sc *scene) add(s shape, c rgb) *layer {
	x0, y0, x1, y1 := s.bounds(0.05)
	sc.layers = append(sc.layers, layer{s: s, col: c, opacity: 1, lit: 1, x0: x0, y0: y0, x1: x1, y1: y1})
	return &sc.layers[len(sc.layers)-1]
}

// clipTo intersects the layer with c (and its bounds with c's).
func (l *layer) clipTo(c shape) *layer {
	l.clip, l.hasClip = c, true
	x0, y0, x1, y1 := c.bounds(0.05)
	l.x0, l.y0 = math.Max(l.x0, x0), math.Max(l.y0, y0)
	l.x1, l.y1 = math.Min(l.x1, x1), math.Min(l.y1, y1)
	return l
}

// cut removes c from the layer.
func (l *layer) cut(c shape) *layer {
	l.sub, l.hasSub = c, true
	return l
}

// newScene lays out identity t under nuisance p.
func newScene(t *traits, p *pose) *scene {
	sc := &scene{t: t, p: p, layers: make([]layer, 0, 40)}
	skin := t.skin
	hair := t.hair.scale(1 + p.hairJitter)

	// Body, neck, hair behind the head, ears.
	sc.add(newShape(ellipseShape, 0, t.faceH+1.0, 1.8, 0.8), p.clothes).lit = 0.5
	sc.textured(sc.add(newShape(boxShape, 0, 0.75*t.faceH+0.3, 0.5*t.faceW, 0.5), skin.scale(0.78)), texSkin)
	back := newShape(ellipseShape, 0, -0.12*t.faceH, t.faceW+t.hairVolume+0.04, 0.95*t.faceH+t.hairVolume)
	if !t.bald {
		l := sc.add(back, hair).clipTo(shape{kind: aboveShape, cy: t.hairLength, cos: 1})
		l.lit = 0.6
		sc.textured(l, texHair)
	}
	for _, side := range []float64{-1, 1} {
		sc.textured(sc.add(newShape(ellipseShape, side*0.97*t.faceW, t.eyeY+0.12, 0.45*t.earSize, t.earSize), skin.scale(0.88)), texSkin)
	}

	// The face, its shading, the eyes.
	face := newShape(eggShape, 0, 0, t.faceW, t.faceH)
	face.t = t.jaw
	sc.textured(sc.add(face, skin), texSkin)
	for _, side := range []float64{-1, 1} {
		l := sc.add(newShape(ellipseShape, side*0.55*t.faceW, 0.3*t.faceH, 0.25, 0.3), skin.scale(0.7))
		l.opacity, l.soft = t.cheekShade, 0.2
	}
	l := sc.add(newShape(ellipseShape, 0, -0.5*t.faceH, 0.45*t.faceW, 0.25), rgb{1, 1, 1})
	l.opacity, l.soft = t.foreheadShine, 0.2
	for _, side := range []float64{-1, 1} {
		sc.addEye(side)
	}

	// Nose: the shadow on the side away from the light, the base, nostrils.
	noseX := 0.3 * p.yaw
	noseTip := t.eyeY + t.noseLen
	shadowSide := -1.0
	if p.light[0] < 0 {
		shadowSide = 1
	}
	l = sc.add(newShape(ellipseShape, noseX+shadowSide*0.5*t.noseW, t.eyeY+0.55*t.noseLen, 0.03, 0.45*t.noseLen), skin.scale(0.5))
	l.opacity, l.soft = 0.35+0.5*p.lightStr, 0.05
	l = sc.add(newShape(ellipseShape, noseX, noseTip+0.015, t.noseW, 0.025), skin.scale(0.55))
	l.opacity, l.soft = 0.5, 0.03
	for _, side := range []float64{-1, 1} {
		l := sc.add(newShape(ellipseShape, noseX+side*0.42*t.noseW, noseTip, 0.28*t.noseW, 0.14*t.noseW), skin.scale(0.3))
		l.opacity = 0.85
	}
	sc.addFolds(noseX, noseTip, 0.12*p.yaw)

	// Beard, mouth, mole.
	smile := t.smile + p.smile
	mouthX := 0.12 * p.yaw
	lips := newShape(ellipseShape, mouthX, t.mouthY, t.mouthW/2, t.lipH+p.open/2)
	lips.bend = -smile
	sc.addBeard(face, lips, hair)
	sc.add(lips, t.lip).lit = 0.8
	inner := newShape(ellipseShape, mouthX, t.mouthY, 0.45*t.mouthW, 0.004+p.open/2)
	inner.bend = -smile
	sc.add(inner, t.lip.scale(0.3)).clipTo(lips)
	if p.teeth {
		teeth := newShape(ellipseShape, mouthX, t.mouthY-0.3*p.open, 0.42*t.mouthW, 0.45*p.open)
		teeth.bend = -smile
		sc.add(teeth, rgb{0.9, 0.88, 0.8}).clipTo(inner).lit = 0.5
	}
	if t.mole {
		sc.add(newShape(ellipseShape, t.moleX*t.faceW, t.moleY*t.faceH, t.moleR, t.moleR), skin.scale(0.35))
	}

	// Hair over the forehead.
	if !t.bald {
		hl := shape{kind: aboveShape, cy: t.hairline, bend: t.hairCurve * 0.7}.rotated(t.hairTilt)
		l := sc.add(back, hair).clipTo(hl)
		l.lit = 0.6
		sc.textured(l, texHair)
	}
	if t.glasses {
		sc.addGlasses()
	}
	if p.occluder {
		l := sc.add(p.occ, p.occCol)
		l.lit = 0.4
	}
	return sc
}

// addEye adds the socket, white, iris, pupil, lid and brow of one eye
// (side −1: the image's left).
func (sc *scene) addEye(side float64) {
	t, p := sc.t, sc.p
	ex, ey := side*t.eyeSep, t.eyeY
	tilt := side * t.eyeTilt
	socket := newShape(ellipseShape, ex, ey-0.01, t.eyeW*1.3, t.eyeH*2.2)
	l := sc.add(socket, t.skin.scale(0.6))
	l.opacity, l.soft = 0.3, 0.06
	white := newShape(ellipseShape, ex, ey, t.eyeW, t.eyeH*p.eyeOpen).rotated(tilt)
	sc.add(white, rgb{0.9, 0.9, 0.88}).lit = 0.5
	ir := 0.95 * t.eyeH
	ix, iy := ex+p.gazeX*t.eyeW*0.5, ey+p.gazeY*t.eyeH
	sc.add(newShape(ellipseShape, ix, iy, ir, ir), t.iris).clipTo(white).lit = 0.5
	sc.add(newShape(ellipseShape, ix, iy, 0.45*ir, 0.45*ir), rgb{0.03, 0.03, 0.03}).clipTo(white).lit = 0
	lid := white
	lid.kind, lid.t = ringShape, 0.012
	sc.add(lid, t.skin.scale(0.3)).clipTo(shape{kind: aboveShape, cx: ex, cy: ey + 0.3*t.eyeH, cos: 1})
	brow := newShape(ellipseShape, ex+side*0.02, ey-t.browGap-p.browRaise, t.browLen/2, t.browThick).rotated(side * t.browTilt)
	brow.bend = t.browArch
	sc.add(brow, t.hair.scale(1-0.5*t.browDark)).lit = 0.6
}

// addFolds adds the nasolabial folds, from beside the nose wings at
// (noseX, noseTip) to beside the mouth corners (mouth centre shifted by
// mouthX), when the identity has them.
func (sc *scene) addFolds(noseX, noseTip, mouthX float64) {
	t := sc.t
	if t.detail.folds == 0 {
		return
	}
	for _, side := range []float64{-1, 1} {
		ax, ay := noseX+side*(t.noseW+0.04), noseTip-0.02
		bx, by := mouthX+side*(t.mouthW/2+0.04), t.mouthY+0.02
		fold := newShape(ellipseShape, (ax+bx)/2, (ay+by)/2, math.Hypot(bx-ax, by-ay)/2, 0.012).rotated(math.Atan2(by-ay, bx-ax))
		l := sc.add(fold, t.skin.scale(0.55))
		l.opacity, l.soft = t.detail.folds, 0.03
	}
}

// addBeard adds the identity's facial hair inside face, leaving the lips.
func (sc *scene) addBeard(face, lips shape, hair rgb) {
	t := sc.t
	mouthGap := lips
	mouthGap.rx += 0.03
	mouthGap.ry += 0.03
	switch t.beard {
	case 1: // moustache
		m := newShape(ellipseShape, lips.cx, t.mouthY-t.lipH-0.045, 0.65*t.mouthW, 0.035)
		m.bend = 0.04
		sc.add(m, hair).lit = 0.6
	case 2: // goatee
		sc.add(newShape(ellipseShape, lips.cx, t.mouthY+0.2, 0.15, 0.17), hair).clipTo(face).cut(mouthGap).lit = 0.6
	case 3, 4: // full beard, stubble
		l := sc.add(face, hair).clipTo(shape{kind: belowShape, cy: t.mouthY - 0.14, cos: 1, bend: -0.5}).cut(mouthGap)
		l.lit = 0.6
		sc.textured(l, texHair)
		if t.beard == 4 {
			l.opacity, l.soft = 0.35, 0.04
		}
	}
}

// addGlasses adds lenses (tinted or clear), frames and the bridge.
func (sc *scene) addGlasses() {
	t := sc.t
	dx := 0.1 * sc.p.yaw // glasses stand in front of the face
	for _, side := range []float64{-1, 1} {
		cx, cy := side*t.eyeSep+dx, t.eyeY+0.01
		var lens, rim shape
		if t.glassRound {
			lens = newShape(ellipseShape, cx, cy, t.lensW, t.lensH)
			rim = lens
			rim.kind, rim.t = ringShape, t.frameT
		} else {
			lens = newShape(boxShape, cx, cy, t.lensW, t.lensH)
			lens.t = 0.03
			rim = lens
			rim.rx += t.frameT
			rim.ry += t.frameT
		}
		if t.tinted {
			l := sc.add(lens, rgb{0.08, 0.08, 0.1})
			l.opacity, l.lit = 0.75, 0
		}
		l := sc.add(rim, t.frame)
		if !t.glassRound {
			inner := lens
			inner.rx -= t.frameT
			inner.ry -= t.frameT
			l.cut(inner)
		}
		l.lit = 0.3
		arm := newShape(boxShape, side*(t.eyeSep+t.lensW+0.5*(t.faceW-t.eyeSep-t.lensW))+dx, cy-0.3*t.lensH,
			0.5*(t.faceW-t.eyeSep-t.lensW)+0.02, t.frameT)
		sc.add(arm, t.frame).lit = 0.3
	}
	gap := t.eyeSep - t.lensW
	sc.add(newShape(boxShape, dx, t.eyeY-0.3*t.lensH, gap+0.02, t.frameT), t.frame).lit = 0.3
}
