package synth

import (
	"fmt"
	"image"

	"github.com/cocotrain/cocotrain/internal/data"
)

// TrainName is the class name of training identity i ("id00042").
func TrainName(i int) string { return fmt.Sprintf("id%05d", i) }

// EvalName is the LFW-style name of verification identity j, 0-based
// ("Synth_Person_0001" for j = 0).
func EvalName(j int) string { return fmt.Sprintf("Synth_Person_%04d", j+1) }

// Train returns the training set: Identities × PerIdentity images, item i
// being image i mod PerIdentity of identity i / PerIdentity, rendered on
// demand: every call renders again, which costs less than a training step
// of the image (BenchmarkRender) and holds no memory.
func (g *Generator) Train() data.Source {
	names := make([]string, g.cfg.Identities)
	for i := range names {
		names[i] = TrainName(i)
	}
	return &trainSource{g: g, names: names}
}

// trainSource is the lazily rendered training set.
type trainSource struct {
	g     *Generator
	names []string
}

func (s *trainSource) Len() int          { return s.g.cfg.Identities * s.g.cfg.PerIdentity }
func (s *trainSource) Classes() []string { return s.names }
func (s *trainSource) Label(i int) int   { return i / s.g.cfg.PerIdentity }

func (s *trainSource) Image(i int) (image.Image, error) {
	if i < 0 || i >= s.Len() {
		return nil, fmt.Errorf("synth: training image %d out of range 0..%d", i, s.Len()-1)
	}
	return s.g.Render(s.Label(i), i%s.g.cfg.PerIdentity), nil
}

func (s *trainSource) Name(i int) string {
	return fmt.Sprintf("synth:train/%s/%04d.png", s.names[s.Label(i)], i%s.g.cfg.PerIdentity+1)
}

// evalImage is one verification image: image k of verification identity j.
type evalImage struct{ j, k int }

// evalSource holds the verification images that pairs refer to.
type evalSource struct {
	g     *Generator
	names []string
	items []evalImage
}

func (s *evalSource) Len() int          { return len(s.items) }
func (s *evalSource) Classes() []string { return s.names }
func (s *evalSource) Label(i int) int   { return s.items[i].j }

func (s *evalSource) Image(i int) (image.Image, error) {
	if i < 0 || i >= len(s.items) {
		return nil, fmt.Errorf("synth: verification image %d out of range 0..%d", i, len(s.items)-1)
	}
	it := s.items[i]
	return s.g.Render(s.g.cfg.Identities+it.j, it.k), nil
}

func (s *evalSource) Name(i int) string {
	it := s.items[i]
	n := s.names[it.j]
	return fmt.Sprintf("synth:lfw/%s/%s_%04d.png", n, n, it.k+1)
}
