package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
)

// PixelSource is a Source whose images are stored already preprocessed
// (a pack file): Pixels(i) is image i as Channels planes of Size×Size
// 8-bit values, read without decoding.
type PixelSource interface {
	Source
	// PixelShape returns the channels and the size of every image.
	PixelShape() (channels, size int)
	// Pixels returns image i (channels·size·size bytes, read only).
	Pixels(i int) []uint8
}

// Loader turns a Source into training batches: a per-epoch seeded shuffle
// (or class-balanced draw), decoding, preprocessing and augmentation in
// worker goroutines, NCHW float32 batches. The batches of (seed, epoch)
// are the same for any number of workers, and an epoch can start at any
// batch index (exact resume). Incomplete last batches are dropped.
type Loader struct {
	src     Source
	cfg     Config
	pre     Preprocess
	batch   int
	seed    uint64
	items   []int // Source indexes kept by exclude_pairs and min_images_per_class
	remap   []int // Source label → loader label (−1: dropped)
	removed ExcludeStats
	classes []string // names of the kept labels
	byClass [][]int  // items of each kept label (balanced sampling)
	direct  bool     // read PixelSource pixels, no decoding

	mu    sync.Mutex
	bad   map[int]bool // items that failed to decode (with SkipBad)
	spare []*Batch     // batch buffers of closed epochs, reused
}

// NewLoader prepares batches of batch images of src, preprocessed by pre,
// configured by cfg, with every random choice derived from seed.
func NewLoader(src Source, cfg Config, pre Preprocess, batch int, seed uint64) (*Loader, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := pre.Validate(); err != nil {
		return nil, err
	}
	if batch <= 0 {
		return nil, fmt.Errorf("loader: batch size %d must be positive", batch)
	}
	ex, err := ReadExclusion(cfg.ExcludePairs)
	if err != nil {
		return nil, err
	}
	if err := checkExcludable(src, ex); err != nil {
		return nil, err
	}
	l := &Loader{src: src, cfg: cfg, pre: pre, batch: batch, seed: seed, bad: map[int]bool{}}
	names := src.Classes()
	counts := make([]int, len(names))
	for i := 0; i < src.Len(); i++ {
		counts[src.Label(i)]++
	}
	l.removed = ex.Stats(names, counts)
	l.remap = make([]int, len(counts))
	for k, n := range counts {
		l.remap[k] = -1
		if n > 0 && n >= cfg.MinImagesPerClass && !ex.Has(names[k]) {
			l.remap[k] = len(l.classes)
			l.classes = append(l.classes, names[k])
		}
	}
	l.byClass = make([][]int, len(l.classes))
	for i := 0; i < src.Len(); i++ {
		if k := l.remap[src.Label(i)]; k >= 0 {
			l.items = append(l.items, i)
			l.byClass[k] = append(l.byClass[k], i)
		}
	}
	if len(l.items) < batch {
		return nil, fmt.Errorf("loader: %d images (classes with at least %d images, %d excluded) for a batch of %d",
			len(l.items), cfg.MinImagesPerClass, l.removed.Classes, batch)
	}
	if l.pre, l.direct, err = pixelPath(src, pre); err != nil {
		return nil, err
	}
	return l, nil
}

// pixelPath returns the preprocessing the loader applies to src's images
// and whether it reads a PixelSource's bytes directly. A pack is already
// cropped: its crop must be the configured one (or none be configured),
// and it is not cropped again.
func pixelPath(src Source, pre Preprocess) (Preprocess, bool, error) {
	noCrop := pre.Crop == [4]int{} && pre.CenterCrop == 0
	if pp, ok := src.(interface{ Preprocessed() Preprocess }); ok {
		made := pp.Preprocessed()
		if !noCrop && (made.Crop != pre.Crop || made.CenterCrop != pre.CenterCrop) {
			return pre, false, fmt.Errorf("loader: the pack was made with crop %v, center_crop %d; the config asks for crop %v, center_crop %d (repack, or leave the crop unset)",
				made.Crop, made.CenterCrop, pre.Crop, pre.CenterCrop)
		}
		pre.Crop, pre.CenterCrop, noCrop = [4]int{}, 0, true
	}
	ps, ok := src.(PixelSource)
	if !ok {
		return pre, false, nil
	}
	c, s := ps.PixelShape()
	return pre, c == pre.Channels && s == pre.Size && noCrop, nil
}

// Classes returns the identity names of the loader's labels (the classes
// kept by exclude_pairs and min_images_per_class, in Source order).
func (l *Loader) Classes() []string { return l.classes }

// Excluded says what data.exclude_pairs removed from the source (counted
// on the source as opened, before min_images_per_class).
func (l *Loader) Excluded() ExcludeStats { return l.removed }

// Len is the number of images an epoch draws.
func (l *Loader) Len() int { return len(l.items) }

// BatchSize is the number of images per batch.
func (l *Loader) BatchSize() int { return l.batch }

// BatchesPerEpoch is the number of full batches in an epoch.
func (l *Loader) BatchesPerEpoch() int { return len(l.items) / l.batch }

// Shape returns the channels and size of one image of a batch.
func (l *Loader) Shape() (channels, size int) { return l.pre.Channels, l.pre.Size }

// Skipped returns how many distinct images failed to decode and were
// replaced (with skip_bad).
func (l *Loader) Skipped() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.bad)
}

// SkippedNames returns the names (Source.Name) of the images that failed
// to decode and were replaced (with skip_bad), sorted.
func (l *Loader) SkippedNames() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	names := make([]string, 0, len(l.bad))
	for idx := range l.bad {
		names = append(names, l.src.Name(idx))
	}
	slices.Sort(names)
	return names
}

// CheckFirst preprocesses the first image of the set as a batch would, so
// that a crop that does not fit the images is refused before training
// starts. With skip_bad an image that does not decode is passed over for
// the next (up to 100).
func (l *Loader) CheckFirst() error {
	if l.direct || len(l.items) == 0 {
		return nil
	}
	pix := make([]uint8, l.pre.Len())
	for _, idx := range l.items[:min(len(l.items), 100)] {
		img, err := l.src.Image(idx)
		if err != nil {
			if l.cfg.SkipBad {
				continue
			}
			return err
		}
		if err := l.pre.Pixels(pix, img); err != nil {
			return fmt.Errorf("%s: %w", l.src.Name(idx), err)
		}
		return nil
	}
	return nil
}

// mix hashes values into one 64-bit seed (SplitMix64 finaliser).
func mix(vals ...uint64) uint64 {
	h := uint64(0x9E3779B97F4A7C15)
	for _, v := range vals {
		h ^= v
		h += 0x9E3779B97F4A7C15
		h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9
		h = (h ^ (h >> 27)) * 0x94D049BB133111EB
		h ^= h >> 31
	}
	return h
}

// Order returns the Source indexes drawn in epoch, in order: a seeded
// permutation of the images, or class-balanced draws with balanced.
func (l *Loader) Order(epoch int) []int {
	rng := rand.New(rand.NewPCG(mix(l.seed, uint64(epoch), 1), mix(l.seed, uint64(epoch), 2)))
	order := make([]int, len(l.items))
	if l.cfg.Balanced {
		for p := range order {
			c := l.byClass[rng.IntN(len(l.byClass))]
			order[p] = c[rng.IntN(len(c))]
		}
		return order
	}
	copy(order, l.items)
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	return order
}

// Batch is one training batch.
type Batch struct {
	// X holds the images, BatchSize×C×S×S (NCHW), normalised to −1..1.
	X []float32
	// Labels[i] is the loader label of image i (an index into Classes()).
	Labels []int
	// Epoch and Index locate the batch: Index counts from 0 in its epoch.
	Epoch, Index int
}

// job asks a worker to fill one batch.
type job struct {
	index int
	b     *Batch
	done  chan error
}

// errEpochClosed is what Next returns after Close.
var errEpochClosed = errors.New("loader: Next after Close")

// Batches iterates over the batches of one epoch; see Loader.Epoch.
type Batches struct {
	l      *Loader
	ctx    context.Context
	cancel context.CancelFunc
	ready  chan job // dispatched jobs in batch order
	free   chan *Batch
	held   *Batch
	wg     sync.WaitGroup
	err    error
}

// Epoch starts producing the batches of epoch from batch index start
// (0 for a whole epoch; k resumes after k batches). Call Next until it
// returns io.EOF, and Close when done (also to stop early). Cancelling ctx
// stops the workers; Next then returns ctx.Err().
func (l *Loader) Epoch(ctx context.Context, epoch, start int) *Batches {
	ctx, cancel := context.WithCancel(ctx)
	prefetch := max(l.cfg.Prefetch, 1)
	it := &Batches{l: l, ctx: ctx, cancel: cancel,
		ready: make(chan job, prefetch), free: make(chan *Batch, prefetch+1)}
	c, s := l.Shape()
	l.mu.Lock()
	for range prefetch + 1 {
		if n := len(l.spare); n > 0 {
			it.free <- l.spare[n-1]
			l.spare = l.spare[:n-1]
		} else {
			it.free <- &Batch{X: make([]float32, l.batch*c*s*s), Labels: make([]int, l.batch)}
		}
	}
	l.mu.Unlock()
	order := l.Order(epoch)
	jobs := make(chan job)
	it.wg.Add(1)
	go func() { // dispatcher: hands out batches in order, at most prefetch ahead
		defer it.wg.Done()
		defer close(jobs)
		defer close(it.ready)
		for bi := max(start, 0); bi < l.BatchesPerEpoch(); bi++ {
			var b *Batch
			select {
			case b = <-it.free:
			case <-ctx.Done():
				return
			}
			j := job{index: bi, b: b, done: make(chan error, 1)}
			select {
			case it.ready <- j:
			case <-ctx.Done():
				it.free <- b // back for Close to keep
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return // j is in ready: Close keeps its buffer
			}
		}
	}()
	for range l.cfg.workers() {
		it.wg.Add(1)
		go func() {
			defer it.wg.Done()
			w := newWorker(l)
			for j := range jobs {
				j.done <- w.fill(ctx, j.b, order, epoch, j.index)
			}
		}()
	}
	return it
}

// Next returns the next batch, valid until the following call to Next or
// Close; io.EOF after the last one.
func (it *Batches) Next() (*Batch, error) {
	if it.err != nil {
		return nil, it.err
	}
	if it.held != nil {
		it.free <- it.held
		it.held = nil
	}
	j, ok := <-it.ready
	if !ok {
		if err := it.ctx.Err(); err != nil {
			it.err = err
			return nil, err
		}
		it.err = io.EOF
		return nil, io.EOF
	}
	var err error
	select {
	case err = <-j.done:
	case <-it.ctx.Done():
		err = it.ctx.Err()
	}
	if err != nil {
		it.err = err
		it.cancel()
		return nil, err
	}
	it.held = j.b
	return j.b, nil
}

// Close stops the workers, waits for them and keeps the batch buffers for
// the loader's next epoch.
func (it *Batches) Close() {
	it.cancel()
	it.wg.Wait()
	if it.err == nil {
		it.err = errEpochClosed
	}
	l := it.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if it.held != nil {
		l.spare = append(l.spare, it.held)
		it.held = nil
	}
	for {
		select {
		case b := <-it.free:
			l.spare = append(l.spare, b)
		case j, ok := <-it.ready:
			if ok {
				l.spare = append(l.spare, j.b)
			} else {
				it.ready = nil // closed: stop selecting it
			}
		default:
			return
		}
	}
}

// worker holds one goroutine's scratch buffers.
type worker struct {
	l   *Loader
	pix []uint8
	pcg *rand.PCG // reseeded for every image
	rng *rand.Rand
}

func newWorker(l *Loader) *worker {
	pcg := rand.NewPCG(0, 0)
	return &worker{l: l, pix: make([]uint8, l.pre.Len()), pcg: pcg, rng: rand.New(pcg)}
}

// fill writes batch index bi of the epoch into b. Each image's random
// choices come from (seed, epoch, position) only.
func (w *worker) fill(ctx context.Context, b *Batch, order []int, epoch, bi int) error {
	l := w.l
	n := l.pre.Len()
	b.Epoch, b.Index = epoch, bi
	for k := 0; k < l.batch; k++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		pos := bi*l.batch + k
		w.pcg.Seed(mix(l.seed, uint64(epoch), uint64(pos), 3), mix(l.seed, uint64(epoch), uint64(pos), 4))
		rng := w.rng
		idx := order[pos]
		pix, err := w.pixels(idx)
		for tries := 0; err != nil && l.cfg.SkipBad && tries < 100; tries++ {
			l.mu.Lock()
			l.bad[idx] = true
			l.mu.Unlock()
			idx = l.items[rng.IntN(len(l.items))]
			pix, err = w.pixels(idx)
		}
		if err != nil {
			return err
		}
		dst := b.X[k*n : (k+1)*n]
		if l.cfg.Augment.Enabled() {
			l.cfg.Augment.Apply(dst, pix, l.pre.Channels, l.pre.Size, rng)
		} else {
			Normalize(dst, pix)
		}
		b.Labels[k] = l.remap[l.src.Label(idx)]
	}
	return nil
}

// pixels returns image idx preprocessed to 8-bit planes.
func (w *worker) pixels(idx int) ([]uint8, error) {
	if w.l.direct {
		return w.l.src.(PixelSource).Pixels(idx), nil
	}
	img, err := w.l.src.Image(idx)
	if err != nil {
		return nil, err
	}
	if err := w.l.pre.Pixels(w.pix, img); err != nil {
		return nil, fmt.Errorf("%s: %w", w.l.src.Name(idx), err)
	}
	return w.pix, nil
}
