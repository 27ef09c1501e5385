package align

import (
	"fmt"
	"image"
	"path/filepath"
	"strings"

	"github.com/cocotrain/cocotrain/internal/data"
)

// Source is a data.Source whose images are those of another source aligned
// on the fly: each is decoded, its landmarks (looked up by its path relative
// to a root directory) are checked against its size and mapped onto the
// template, and the template-sized crop is returned. Training and evaluation
// that read faces through it see exactly what `cocotrain align` writes
// (before encoding).
type Source struct {
	src     data.Source
	lm      *Landmarks
	tpl     Template
	entries []Entry
}

// NewSource wraps src, whose Name(i) are file paths under root. Every image
// must have landmarks: the error counts those without and names the first
// few, since a verification pair or a training batch cannot skip one.
func NewSource(src data.Source, root string, lm *Landmarks, t Template) (*Source, error) {
	s := &Source{src: src, lm: lm, tpl: t, entries: make([]Entry, src.Len())}
	var missing []string
	for i := range s.entries {
		rel, err := filepath.Rel(root, src.Name(i))
		if err != nil {
			return nil, err
		}
		e, ok := lm.Lookup(rel)
		if !ok {
			missing = append(missing, src.Name(i))
			continue
		}
		s.entries[i] = e
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: no landmarks for %d of the %d images under %s, e.g. %s",
			lm.Name, len(missing), src.Len(), root, strings.Join(missing[:min(5, len(missing))], ", "))
	}
	return s, nil
}

// Len is the number of images.
func (s *Source) Len() int { return s.src.Len() }

// Classes returns the identity names of the wrapped source.
func (s *Source) Classes() []string { return s.src.Classes() }

// Label returns the identity label of image i.
func (s *Source) Label(i int) int { return s.src.Label(i) }

// Name returns the wrapped source's name of image i.
func (s *Source) Name(i int) string { return s.src.Name(i) }

// Image decodes image i and returns it aligned to the template (t.W×t.H).
// Errors name the image, or the landmark file and line.
func (s *Source) Image(i int) (image.Image, error) {
	img, err := s.src.Image(i)
	if err != nil {
		return nil, err
	}
	e := s.entries[i]
	b := img.Bounds()
	if err := s.lm.Check(e, b.Dx(), b.Dy()); err != nil {
		return nil, err
	}
	out, _, err := Face(img, e.Points, s.tpl)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: %s: %w", s.lm.Name, e.Line, e.Path, err)
	}
	return out, nil
}
