package eval

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

// memSource is an in-memory data.Source of grey images; bad marks items
// whose decoding fails.
type memSource struct {
	imgs []*image.Gray
	bad  map[int]bool
}

func (s *memSource) Len() int          { return len(s.imgs) }
func (s *memSource) Classes() []string { return []string{"a"} }
func (s *memSource) Label(int) int     { return 0 }
func (s *memSource) Name(i int) string { return fmt.Sprintf("mem/%03d.png", i) }
func (s *memSource) Image(i int) (image.Image, error) {
	if s.bad[i] {
		return nil, errors.New("truncated PNG")
	}
	return s.imgs[i], nil
}

// newMemSource makes n 4×4 grey images with distinct, left–right
// asymmetric pixel values.
func newMemSource(n int) *memSource {
	s := &memSource{}
	for k := 0; k < n; k++ {
		g := image.NewGray(image.Rect(0, 0, 4, 4))
		for i := range g.Pix {
			g.Pix[i] = uint8((37*k + 11*i*i + 5*(i%4)) % 256)
		}
		s.imgs = append(s.imgs, g)
	}
	return s
}

// halfSums is a fake Embedder telling the mirror apart: per image (C×H×W),
// the sums of its left and right halves and the top-left value. It reuses
// its output buffer, as model.Net does, and records the batch sizes.
type halfSums struct {
	c, h, w int
	out     []float32
	batches []int
}

func (e *halfSums) EmbeddingDim() int { return 3 }

func (e *halfSums) Infer(x []float32, batch int) []float32 {
	e.batches = append(e.batches, batch)
	e.out = e.out[:0]
	l := e.c * e.h * e.w
	for b := 0; b < batch; b++ {
		e.out = append(e.out, fakeEmbed(x[b*l:(b+1)*l], e.c, e.h, e.w)...)
	}
	return e.out
}

// fakeEmbed is halfSums on one image.
func fakeEmbed(x []float32, c, h, w int) []float32 {
	var left, right float32
	for row := 0; row < c*h; row++ {
		for col := 0; col < w; col++ {
			if col < w/2 {
				left += x[row*w+col]
			} else {
				right += x[row*w+col]
			}
		}
	}
	return []float32{left, right, x[0] + 3}
}

// unit returns v / ‖v‖ in float64.
func unit(v []float32) []float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	u := make([]float64, len(v))
	for i, x := range v {
		u[i] = float64(x) / math.Sqrt(s)
	}
	return u
}

// TestExtractMirror checks, image by image over batches of 2, 2 and 1, that
// Flip is the normalised sum of the embeddings of the preprocessed image and
// of its mirror and NoFlip the normalised embedding of the image alone.
func TestExtractMirror(t *testing.T) {
	src := newMemSource(5)
	pp := data.Preprocess{Size: 4, Channels: 1}
	e := &halfSums{c: 1, h: 4, w: 4}
	var progress []int
	emb, err := Extract(context.Background(), e, src, pp, Options{BatchSize: 2, Progress: func(done, total int) {
		if total != 5 {
			t.Errorf("progress total %d, want 5", total)
		}
		progress = append(progress, done)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(e.batches) != "[2 2 2 2 1 1]" || fmt.Sprint(progress) != "[2 4 5]" {
		t.Errorf("Infer batches %v, progress %v; want [2 2 2 2 1 1] and [2 4 5]", e.batches, progress)
	}
	x := make([]float32, pp.Len())
	var norms float64
	for i := 0; i < src.Len(); i++ {
		img, _ := src.Image(i)
		if err := pp.Apply(x, img); err != nil {
			t.Fatal(err)
		}
		plain := fakeEmbed(x, 1, 4, 4)
		data.FlipHorizontal(x, 1, 4, 4)
		mirror := fakeEmbed(x, 1, 4, 4)
		norms += math.Hypot(math.Hypot(float64(plain[0]), float64(plain[1])), float64(plain[2])) +
			math.Hypot(math.Hypot(float64(mirror[0]), float64(mirror[1])), float64(mirror[2]))
		sum := make([]float32, 3)
		for j := range sum {
			sum[j] = plain[j] + mirror[j]
		}
		for name, c := range map[string]struct {
			got  []float32
			want []float64
		}{
			"NoFlip": {emb.NoFlip[3*i : 3*i+3], unit(plain)},
			"Flip":   {emb.Flip[3*i : 3*i+3], unit(sum)},
		} {
			for j := range c.want {
				if math.Abs(float64(c.got[j])-c.want[j]) > 1e-6 {
					t.Errorf("image %d %s = %v, want %v", i, name, c.got, c.want)
					break
				}
			}
		}
	}
	if want := norms / 10; math.Abs(emb.XNorm-want) > 1e-9*want {
		t.Errorf("XNorm %v, want the mean raw norm %v", emb.XNorm, want)
	}
	if emb.NoFlip[0] == emb.NoFlip[1] {
		t.Fatalf("fixture images are left–right symmetric: the test would not see the mirror")
	}
}

// TestExtractBadImageNamed: a failing image stops extraction with an error
// naming it.
func TestExtractBadImageNamed(t *testing.T) {
	src := newMemSource(6)
	src.bad = map[int]bool{4: true}
	_, err := Extract(context.Background(), &halfSums{c: 1, h: 4, w: 4}, src, data.Preprocess{Size: 4, Channels: 1}, Options{BatchSize: 4})
	if err == nil || !strings.Contains(err.Error(), "mem/004.png") || !strings.Contains(err.Error(), "truncated PNG") {
		t.Fatalf("error %v: want it to name mem/004.png and the cause", err)
	}
}

// TestExtractCancelled: a cancelled context stops before the first batch.
func TestExtractCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e := &halfSums{c: 1, h: 4, w: 4}
	_, err := Extract(ctx, e, newMemSource(3), data.Preprocess{Size: 4, Channels: 1}, Options{})
	if !errors.Is(err, context.Canceled) || len(e.batches) != 0 {
		t.Fatalf("error %v after %d batches, want context.Canceled and none", err, len(e.batches))
	}
}

// nanEmbedder returns NaN embeddings, as a diverged model does.
type nanEmbedder struct{}

func (nanEmbedder) EmbeddingDim() int { return 2 }
func (nanEmbedder) Infer(_ []float32, batch int) []float32 {
	out := make([]float32, 2*batch)
	for i := range out {
		out[i] = float32(math.NaN())
	}
	return out
}

// TestExtractNotFinite: a NaN embedding is an error naming the image.
func TestExtractNotFinite(t *testing.T) {
	_, err := Extract(context.Background(), nanEmbedder{}, newMemSource(2), data.Preprocess{Size: 4, Channels: 1}, Options{})
	if err == nil || !strings.Contains(err.Error(), "mem/000.png") {
		t.Fatalf("error %v: want one naming mem/000.png", err)
	}
}

// shortEmbedder returns fewer values than the batch needs.
type shortEmbedder struct{}

func (shortEmbedder) EmbeddingDim() int                      { return 4 }
func (shortEmbedder) Infer(_ []float32, batch int) []float32 { return make([]float32, 4*batch-1) }

// TestExtractShortOutput: an embedder returning too few values is an error,
// not a panic or silent garbage.
func TestExtractShortOutput(t *testing.T) {
	_, err := Extract(context.Background(), shortEmbedder{}, newMemSource(3), data.Preprocess{Size: 4, Channels: 1}, Options{})
	if err == nil || !strings.Contains(err.Error(), "11 values for 3 images of dimension 4") {
		t.Fatalf("error %v", err)
	}
}
