package eval

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/kernels"
)

// Embedder maps a batch of preprocessed images to embeddings. model.Net
// satisfies it (its Infer runs the network in evaluation mode).
type Embedder interface {
	// Infer takes x, batch×C×H×W (NCHW, as data.Preprocess writes one
	// image), and returns batch×EmbeddingDim() embeddings, valid until the
	// next call.
	Infer(x []float32, batch int) []float32
	// EmbeddingDim is the length d of one embedding.
	EmbeddingDim() int
}

// Embeddings holds the unit embeddings of N images, d values each.
type Embeddings struct {
	N, Dim int
	// Flip is N×Dim: L2-normalise(emb(image) + emb(mirror)), the
	// embedding the verification protocol scores.
	Flip []float32
	// NoFlip is N×Dim: L2-normalise(emb(image)), without the mirror.
	NoFlip []float32
	// XNorm is the mean L2 norm of the raw embeddings of the images and of
	// their mirrors, before any normalisation (insightface's XNorm).
	XNorm float64
}

// Options tunes embedding extraction.
type Options struct {
	// BatchSize is the number of images per Infer call (0: 64).
	BatchSize int
	// Progress, when set, is called after each batch with the number of
	// images done and the total.
	Progress func(done, total int)
}

// batchSize is opt.BatchSize, or 64 when it is not positive.
func (opt Options) batchSize() int {
	if opt.BatchSize <= 0 {
		return 64
	}
	return opt.BatchSize
}

// Extract preprocesses every image of src once with pp, runs e on batches
// of them and of their mirror images (data.FlipHorizontal) and returns both
// normalised embeddings. A bad image is an error naming it; ctx cancels
// between batches.
func Extract(ctx context.Context, e Embedder, src data.Source, pp data.Preprocess, opt Options) (*Embeddings, error) {
	if err := pp.Validate(); err != nil {
		return nil, err
	}
	batch := opt.batchSize()
	n, d, l := src.Len(), e.EmbeddingDim(), pp.Len()
	emb := &Embeddings{N: n, Dim: d, Flip: make([]float32, n*d), NoFlip: make([]float32, n*d)}
	x := make([]float32, batch*l)
	var xnorm float64
	for start := 0; start < n; start += batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b := min(batch, n-start)
		if err := preprocessBatch(x[:b*l], src, start, b, pp); err != nil {
			return nil, err
		}
		out := e.Infer(x[:b*l], b)
		if len(out) < b*d {
			return nil, fmt.Errorf("eval: embedder returned %d values for %d images of dimension %d", len(out), b, d)
		}
		copy(emb.NoFlip[start*d:(start+b)*d], out)
		xnorm += sumNorms(out[:b*d], d)
		for i := 0; i < b; i++ {
			data.FlipHorizontal(x[i*l:(i+1)*l], pp.Channels, pp.Size, pp.Size)
		}
		out = e.Infer(x[:b*l], b)
		if len(out) < b*d {
			return nil, fmt.Errorf("eval: embedder returned %d values for %d images of dimension %d", len(out), b, d)
		}
		xnorm += sumNorms(out[:b*d], d)
		flip := emb.Flip[start*d : (start+b)*d]
		for i := range flip {
			flip[i] = emb.NoFlip[start*d+i] + out[i]
		}
		for i := start; i < start+b; i++ {
			for _, v := range [][]float32{emb.NoFlip[i*d : (i+1)*d], emb.Flip[i*d : (i+1)*d]} {
				if !normalize(v) {
					return nil, fmt.Errorf("eval: %s: the embedding is not finite", src.Name(i))
				}
			}
		}
		if opt.Progress != nil {
			opt.Progress(start+b, n)
		}
	}
	if n > 0 {
		emb.XNorm = xnorm / float64(2*n)
	}
	return emb, nil
}

// sumNorms returns the sum of the L2 norms of the rows of e (rows of d).
func sumNorms(e []float32, d int) float64 {
	var total float64
	for i := 0; i+d <= len(e); i += d {
		total += math.Sqrt(kernels.SumSquares(e[i : i+d]))
	}
	return total
}

// preprocessBatch writes images start..start+b−1 of src into x (b×pp.Len())
// on GOMAXPROCS goroutines; the error is the one of the lowest failing image.
func preprocessBatch(x []float32, src data.Source, start, b int, pp data.Preprocess) error {
	l := pp.Len()
	errs := make([]error, b)
	workers := min(runtime.GOMAXPROCS(0), b)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < b; i += workers {
				errs[i] = preprocessOne(x[i*l:(i+1)*l], src, start+i, pp)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// preprocessOne decodes item i of src and preprocesses it into dst, naming
// the item on failure.
func preprocessOne(dst []float32, src data.Source, i int, pp data.Preprocess) error {
	img, err := src.Image(i)
	if err != nil {
		return fmt.Errorf("eval: image %d (%s): %w", i, src.Name(i), err)
	}
	if err := pp.Apply(dst, img); err != nil {
		return fmt.Errorf("eval: image %d (%s): %w", i, src.Name(i), err)
	}
	return nil
}

// normalize scales v to unit L2 norm in place (a zero vector stays zero, as
// sklearn.preprocessing.normalize leaves it) and reports whether v is finite.
func normalize(v []float32) bool {
	s := kernels.SumSquares(v)
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return false
	}
	if s == 0 {
		return true
	}
	inv := 1 / math.Sqrt(s)
	for i := range v {
		v[i] = float32(float64(v[i]) * inv)
	}
	return true
}
