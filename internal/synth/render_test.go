package synth

import (
	"bytes"
	"image"
	"sync"
	"testing"
)

// smallConfig is a quick configuration for tests.
func smallConfig() Config {
	c := DefaultConfig()
	c.Identities, c.PerIdentity = 6, 4
	c.EvalIdentities, c.EvalPerIdentity = 40, 5
	c.Size = 32
	return c
}

func newGen(t testing.TB, c Config) *Generator {
	t.Helper()
	g, err := NewGenerator(c)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func pixels(m image.Image) []uint8 {
	switch m := m.(type) {
	case *image.Gray:
		return m.Pix
	case *image.RGBA:
		return m.Pix
	}
	panic("unexpected image type")
}

func TestRenderDeterministic(t *testing.T) {
	c := smallConfig()
	a, b := newGen(t, c), newGen(t, c)
	for _, ik := range [][2]int{{0, 0}, {3, 2}, {45, 4}} {
		p, q := pixels(a.Render(ik[0], ik[1])), pixels(b.Render(ik[0], ik[1]))
		if !bytes.Equal(p, q) {
			t.Fatalf("identity %d image %d: two generators of one config differ", ik[0], ik[1])
		}
		// Rendering others in between (sharing scratch buffers) changes nothing.
		a.Render(1, 1)
		if !bytes.Equal(p, pixels(a.Render(ik[0], ik[1]))) {
			t.Fatalf("identity %d image %d: re-rendering differs", ik[0], ik[1])
		}
	}
	c2 := c
	c2.Seed++
	if bytes.Equal(pixels(a.Render(0, 0)), pixels(newGen(t, c2).Render(0, 0))) {
		t.Fatal("a different seed renders the same image")
	}
}

func TestRenderVaries(t *testing.T) {
	g := newGen(t, smallConfig())
	seen := map[string][2]int{}
	for id := 0; id < 6; id++ {
		for k := 0; k < 4; k++ {
			key := string(pixels(g.Render(id, k)))
			if prev, ok := seen[key]; ok {
				t.Fatalf("identity %d image %d equals identity %d image %d", id, k, prev[0], prev[1])
			}
			seen[key] = [2]int{id, k}
		}
	}
	// With no nuisance, images of one identity still differ (background,
	// clothes) but only there; two identities differ on the face.
	c := smallConfig()
	c.Nuisance = Nuisance{}
	g = newGen(t, c)
	a0, a1, b0 := g.Render(0, 0).(*image.Gray), g.Render(0, 1).(*image.Gray), g.Render(1, 0).(*image.Gray)
	if !bytes.Equal(rowsOf(a0, 12, 20, 12, 18), rowsOf(a1, 12, 20, 12, 18)) {
		t.Fatal("without nuisance, the centre of the face changes between images of one identity")
	}
	if bytes.Equal(rowsOf(a0, 12, 20, 12, 18), rowsOf(b0, 12, 20, 12, 18)) {
		t.Fatal("two identities have the same face centre")
	}
}

// rowsOf copies the pixels of m in the rectangle [x0,x1)×[y0,y1).
func rowsOf(m *image.Gray, x0, x1, y0, y1 int) []uint8 {
	var out []uint8
	for y := y0; y < y1; y++ {
		out = append(out, m.Pix[y*m.Stride+x0:y*m.Stride+x1]...)
	}
	return out
}

func TestDifficultyScalesNuisance(t *testing.T) {
	c := smallConfig()
	c.Difficulty = 0.5
	half := smallConfig()
	half.Nuisance, half.Difficulty = half.Nuisance.scaled(0.5), 1
	c0 := smallConfig()
	c0.Difficulty = 0
	none := smallConfig()
	none.Nuisance, none.Difficulty = Nuisance{}, 1
	full := smallConfig()
	full.Difficulty = 1
	for k := 0; k < 3; k++ {
		if !bytes.Equal(pixels(newGen(t, c).Render(1, k)), pixels(newGen(t, half).Render(1, k))) {
			t.Fatal("difficulty 0.5 differs from halved nuisance knobs")
		}
		if !bytes.Equal(pixels(newGen(t, c0).Render(1, k)), pixels(newGen(t, none).Render(1, k))) {
			t.Fatal("difficulty 0 differs from zero nuisance knobs")
		}
	}
	if bytes.Equal(pixels(newGen(t, c).Render(1, 0)), pixels(newGen(t, full).Render(1, 0))) {
		t.Fatal("difficulty 0.5 renders the same as 1")
	}
}

func TestRenderSizesAndChannels(t *testing.T) {
	for _, sc := range [][2]int{{16, 1}, {64, 3}, {112, 3}, {37, 1}} {
		c := smallConfig()
		c.Size, c.Channels = sc[0], sc[1]
		m := newGen(t, c).Render(2, 1)
		if m.Bounds() != image.Rect(0, 0, sc[0], sc[0]) {
			t.Errorf("size %d: bounds %v", sc[0], m.Bounds())
		}
		switch m := m.(type) {
		case *image.Gray:
			if sc[1] != 1 {
				t.Errorf("channels %d: got a grey image", sc[1])
			}
		case *image.RGBA:
			if sc[1] != 3 {
				t.Errorf("channels %d: got an RGBA image", sc[1])
			}
			for i := 3; i < len(m.Pix); i += 4 {
				if m.Pix[i] != 255 {
					t.Fatalf("RGBA pixel %d not opaque", i/4)
				}
			}
		}
	}
}

func BenchmarkRender(b *testing.B) {
	for _, sc := range []struct {
		name     string
		size, ch int
	}{{"64grey", 64, 1}, {"112rgb", 112, 3}} {
		b.Run(sc.name, func(b *testing.B) {
			c := DefaultConfig()
			c.Size, c.Channels = sc.size, sc.ch
			g := newGen(b, c)
			n := 0
			for b.Loop() {
				g.Render(n%1000, n/1000)
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "images/s")
		})
	}
}

func TestRenderConcurrent(t *testing.T) {
	g := newGen(t, smallConfig())
	want := make([][]uint8, 16)
	for i := range want {
		want[i] = pixels(g.Render(i%6, i/6))
	}
	var wg sync.WaitGroup
	got := make([][]uint8, 4*len(want))
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := range want {
				got[w*len(want)+i] = pixels(g.Render(i%6, i/6))
			}
		}(w)
	}
	wg.Wait()
	for n, p := range got {
		if !bytes.Equal(p, want[n%len(want)]) {
			t.Fatalf("concurrent render %d differs from the sequential one", n)
		}
	}
}
