package synth

import (
	"image"
	"math"
	"math/rand/v2"
	"sync"
)

// framing is the face's size on screen: face units per half image at scale 1.
const framing = 0.62

// Generator renders the faces of a Config. It is safe for concurrent use.
type Generator struct {
	cfg     Config
	scratch sync.Pool // *canvas
}

// NewGenerator validates cfg and returns its generator.
func NewGenerator(cfg Config) (*Generator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g := &Generator{cfg: cfg}
	g.scratch.New = func() any { return newCanvas(cfg.Size) }
	return g, nil
}

// Config returns the generator's configuration.
func (g *Generator) Config() Config { return g.cfg }

// canvas holds the three colour planes of one image being rendered.
type canvas struct {
	size int
	pix  [3][]float32 // R, G, B planes, size×size, 0..1
	tmp  []float32    // blur scratch
}

func newCanvas(size int) *canvas {
	c := &canvas{size: size, tmp: make([]float32, size*size)}
	for i := range c.pix {
		c.pix[i] = make([]float32, size*size)
	}
	return c
}

// Render draws image k of identity id (a global identity index: training
// identities are 0..Identities−1, verification ones follow) as an 8-bit
// image of the configured size: *image.Gray for one channel, *image.RGBA for
// three. The pixels depend only on (Seed, id, k) and the nuisance knobs.
func (g *Generator) Render(id, k int) image.Image {
	s := g.cfg.Size
	if g.cfg.Channels == 1 {
		m := image.NewGray(image.Rect(0, 0, s, s))
		g.RenderInto(m.Pix, id, k)
		return m
	}
	m := image.NewRGBA(image.Rect(0, 0, s, s))
	g.RenderInto(m.Pix, id, k)
	return m
}

// RenderInto writes image k of identity id into dst: Size×Size grey bytes
// for one channel, Size×Size×4 RGBA bytes (opaque) for three.
func (g *Generator) RenderInto(dst []uint8, id, k int) {
	c := g.scratch.Get().(*canvas)
	defer g.scratch.Put(c)
	p := newPose(&g.cfg, id, k)
	t := newTraits(g.cfg.Seed, id)
	t.detail = newDetail(g.cfg.Seed, id, g.cfg.Texture)
	sc := newScene(t, p)
	sc.paint(c)
	planes := c.pix[:]
	if g.cfg.Channels == 1 {
		c.toLuma()
		planes = planes[:1]
	}
	c.blur(planes, p.blur)
	c.finish(dst, p, g.cfg.Channels)
}

// paint composites the scene into c.
func (sc *scene) paint(c *canvas) {
	t, p := sc.t, sc.p
	n := c.size
	half := float64(n) / 2
	k := 1 / (half * framing * p.scale) // face units per pixel
	sin, cos := math.Sincos(-p.rot)
	// The head as an ellipsoid: depth for the yaw warp, normals for light.
	ha, hb, hc := t.faceW, 1.05*t.faceH, 0.9*t.faceW
	f := framing * p.scale
	for i := range sc.layers {
		l := &sc.layers[i]
		l.edge = l.soft + k
		l.invEdge = 1 / l.edge
		l.cutDist = 0.5 * l.edge
		// The rows the layer can touch: its bounds (widened by the yaw
		// shift) mapped to the screen.
		m := math.Abs(p.yaw)*hc + l.edge
		my := math.Abs(p.pitch)*hc + l.edge
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, x := range []float64{l.x0 - m, l.x1 + m} {
			for _, y := range []float64{l.y0 - my, l.y1 + my} {
				sy := f*(-sin*x+cos*y) + p.shiftY
				lo, hi = math.Min(lo, sy), math.Max(hi, sy)
			}
		}
		l.row0 = int(math.Floor((lo+1)*half - 1))
		l.row1 = int(math.Ceil((hi+1)*half + 1))
	}
	active := make([]*layer, 0, len(sc.layers))
	depth := func(x, y float64) float64 {
		u := 1 - (x*x)/(ha*ha) - (y*y)/(hb*hb)
		if u <= 0 {
			return 0
		}
		return hc * math.Sqrt(u)
	}
	lx, ly, lz := p.light[0], p.light[1], p.light[2]
	amb := 1 - p.lightStr
	dif := 1.5 * p.lightStr
	for py := 0; py < n; py++ {
		sy := (float64(py)+0.5)/half - 1
		active = active[:0]
		for i := range sc.layers {
			if l := &sc.layers[i]; py >= l.row0 && py <= l.row1 {
				active = append(active, l)
			}
		}
		for px := 0; px < n; px++ {
			sx := (float64(px)+0.5)/half - 1
			// Screen → face: undo the shift, rotation and scale, then the yaw.
			ux, uy := sx-p.shiftX, sy-p.shiftY
			x := (cos*ux - sin*uy) / (framing * p.scale)
			y := (sin*ux + cos*uy) / (framing * p.scale)
			if p.yaw != 0 || p.pitch != 0 {
				x0, y0 := x, y
				for range 2 {
					z := depth(x, y)
					x, y = x0-p.yaw*z, y0-p.pitch*z
				}
			}
			z := depth(x, y)
			nx, ny, nz := x/(ha*ha), y/(hb*hb), z/(hc*hc)
			inv := 1 / math.Sqrt(nx*nx+ny*ny+nz*nz+1e-12)
			shade := amb + dif*math.Max(0, (nx*lx+ny*ly+nz*lz)*inv)

			col := p.background(sx, sy)
			var skinF, hairF float64 // the texture factors at this pixel, when a layer needs them
			haveSkin, haveHair := false, false
			for _, l := range active {
				if x < l.x0 || x > l.x1 || y < l.y0 || y > l.y1 {
					continue
				}
				d := l.s.dist(x, y)
				if d >= l.cutDist {
					continue
				}
				if l.hasClip {
					d = math.Max(d, l.clip.dist(x, y))
				}
				if l.hasSub {
					d = math.Max(d, -l.sub.dist(x, y))
				}
				a := l.opacity * clamp01(0.5-d*l.invEdge)
				if a <= 0 {
					continue
				}
				lc := l.col
				switch l.tex {
				case texSkin:
					if !haveSkin { // once per pixel: skin layers overlap
						skinF, haveSkin = t.detail.skinShade(x, y, t.eyeY-t.browGap), true
					}
					lc = lc.scale(skinF)
				case texHair:
					if !haveHair {
						hairF, haveHair = t.detail.hairShade(x, y), true
					}
					lc = lc.scale(hairF)
				}
				col = col.mix(lc.scale(1-l.lit+l.lit*shade), a)
			}
			o := py*n + px
			c.pix[0][o], c.pix[1][o], c.pix[2][o] = float32(col[0]), float32(col[1]), float32(col[2])
		}
	}
}

// background is the colour behind the face at screen point (sx, sy): a
// gradient with a faint wave texture, and the clutter objects over it.
func (p *pose) background(sx, sy float64) rgb {
	v := p.bgGX*sx + p.bgGY*sy + p.bgAmp*math.Sin(p.bgFreq*(sx+0.7*sy)+p.bgPhase)
	col := rgb{p.bg[0] + v, p.bg[1] + v, p.bg[2] + v}
	for i := range p.clutter {
		o := &p.clutter[i]
		if a := clamp01(0.5 - o.s.dist(sx, sy)/clutterEdge); a > 0 {
			col = col.mix(o.col.scale(1+o.grad*(sy-o.s.cy)), a)
		}
	}
	return col
}

// clutterEdge is the width of a clutter object's soft edge, in screen units.
const clutterEdge = 0.02

func clamp01(v float64) float64 { return math.Min(1, math.Max(0, v)) }

// toLuma replaces the red plane by the luma (ITU-R 601) of the three.
func (c *canvas) toLuma() {
	R, G, B := c.pix[0], c.pix[1], c.pix[2]
	for i := range R {
		R[i] = 0.299*R[i] + 0.587*G[i] + 0.114*B[i]
	}
}

// blur applies a separable Gaussian of standard deviation sigma pixels to
// the planes.
func (c *canvas) blur(planes [][]float32, sigma float64) {
	if sigma < 0.3 {
		return
	}
	r := int(math.Ceil(2.5 * sigma))
	w := make([]float32, 2*r+1)
	var sum float32
	for i := range w {
		d := float64(i - r)
		w[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	n := c.size
	for _, plane := range planes {
		convolve(c.tmp, plane, w, n, 1, n) // rows
		convolve(plane, c.tmp, w, n, n, 1) // columns
	}
}

// convolve filters n lines of n samples of src into dst with kernel w, along
// the axis whose step is step (line is the step between lines), clamping at
// the borders.
func convolve(dst, src, w []float32, n, step, line int) {
	r := len(w) / 2
	for j := 0; j < n; j++ {
		base := j * line
		for i := 0; i < n; i++ {
			var acc float32
			for t, wt := range w {
				q := min(max(i+t-r, 0), n-1)
				acc += wt * src[base+q*step]
			}
			dst[base+i*step] = acc
		}
	}
}

// finish applies exposure and noise and writes 8-bit pixels to dst (for
// one channel, from the luma that toLuma left in the red plane).
func (c *canvas) finish(dst []uint8, p *pose, channels int) {
	r := rand.New(rand.NewPCG(p.noiseSeed, splitmix64(p.noiseSeed)))
	gain := float32(p.gain)
	off := float32(0.5 + p.bias - 0.5*p.gain)
	noise := float32(p.noise)
	quant := func(v float32) uint8 {
		v = v*255 + 0.5
		if v <= 0 {
			return 0
		}
		if v >= 255 {
			return 255
		}
		return uint8(v)
	}
	R, G, B := c.pix[0], c.pix[1], c.pix[2]
	if channels == 1 { // R holds the luma
		for i := range dst[:c.size*c.size] {
			dst[i] = quant(gain*R[i] + off + noise*float32(r.NormFloat64()))
		}
		return
	}
	for i := 0; i < c.size*c.size; i++ {
		e := noise * float32(r.NormFloat64())
		dst[4*i] = quant(gain*R[i] + off + e)
		dst[4*i+1] = quant(gain*G[i] + off + e)
		dst[4*i+2] = quant(gain*B[i] + off + e)
		dst[4*i+3] = 255
	}
}
