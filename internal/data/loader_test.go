package data

import (
	"context"
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
)

// epochBatches collects copies of every batch of an epoch from start.
func epochBatches(t *testing.T, l *Loader, epoch, start int) []Batch {
	t.Helper()
	it := l.Epoch(context.Background(), epoch, start)
	defer it.Close()
	var out []Batch
	for {
		b, err := it.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Batch{X: slices.Clone(b.X), Labels: slices.Clone(b.Labels), Epoch: b.Epoch, Index: b.Index})
	}
}

func testLoader(t *testing.T, src Source, cfg Config, batch int) *Loader {
	t.Helper()
	l, err := NewLoader(src, cfg, cfg.Preprocess(12, 3), batch, 42)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func sameBatches(a, b []Batch) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Index != b[i].Index || !slices.Equal(a[i].X, b[i].X) || !slices.Equal(a[i].Labels, b[i].Labels) {
			return false
		}
	}
	return true
}

func TestLoaderSameBatchesForAnyWorkerCount(t *testing.T) {
	src := testSource{n: 70, classes: 7, w: 16, h: 14, bad: -1}
	cfg := DefaultConfig()
	cfg.Augment.Grey = 0.3
	var ref []Batch
	for _, w := range []int{1, 2, 5} {
		cfg.Workers, cfg.Prefetch = w, w
		got := epochBatches(t, testLoader(t, src, cfg, 8), 3, 0)
		if len(got) != 70/8 {
			t.Fatalf("%d batches, want %d", len(got), 70/8)
		}
		if ref == nil {
			ref = got
		} else if !sameBatches(ref, got) {
			t.Fatalf("%d workers give other batches than 1 worker", w)
		}
	}
	other := epochBatches(t, testLoader(t, src, cfg, 8), 4, 0)
	if sameBatches(ref, other) {
		t.Fatal("epochs 3 and 4 give the same batches")
	}
	for _, b := range ref {
		for _, v := range b.X {
			if v < -1 || v > 1 || math.IsNaN(float64(v)) {
				t.Fatalf("value %v outside −1..1", v)
			}
		}
	}
}

func TestLoaderResumeMidEpoch(t *testing.T) {
	src := testSource{n: 50, classes: 5, w: 12, h: 12, bad: -1}
	cfg := DefaultConfig()
	cfg.Workers = 2
	l := testLoader(t, src, cfg, 4)
	full := epochBatches(t, l, 1, 0)
	rest := epochBatches(t, testLoader(t, src, cfg, 4), 1, 5)
	if !sameBatches(full[5:], rest) || rest[0].Index != 5 {
		t.Fatalf("resuming at batch 5 gives %d batches differing from the uninterrupted run", len(rest))
	}
}

func TestLoaderEpochIsAPermutation(t *testing.T) {
	src := testSource{n: 40, classes: 4, w: 12, h: 12, bad: -1}
	l := testLoader(t, src, Config{Prefetch: 1}, 5)
	order := l.Order(0)
	if slices.Equal(order, l.Order(1)) {
		t.Fatal("two epochs in the same order")
	}
	sorted := slices.Sorted(slices.Values(order))
	for i, v := range sorted {
		if v != i {
			t.Fatalf("order is not a permutation: %v", order)
		}
	}
	// Without augmentation a batch image is exactly the preprocessed image.
	b := epochBatches(t, l, 0, 0)[0]
	want := make([]float32, l.pre.Len())
	img, _ := src.Image(order[0])
	l.pre.Apply(want, img)
	if !slices.Equal(b.X[:len(want)], want) || b.Labels[0] != src.Label(order[0]) {
		t.Fatal("first image of the batch is not the preprocessed first image of the order")
	}
}

// unbalanced has 1, 2, ..., 8 images in classes 0..7.
type unbalanced struct{ testSource }

func (u unbalanced) Len() int { return 36 }
func (u unbalanced) Label(i int) int {
	k := 0
	for i >= k+1 {
		i -= k + 1
		k++
	}
	return k
}

func TestLoaderFilterAndBalance(t *testing.T) {
	src := unbalanced{testSource{classes: 8, w: 8, h: 8, bad: -1}}
	cfg := Config{MinImagesPerClass: 5, Balanced: true, Prefetch: 2}
	l := testLoader(t, src, cfg, 6)
	if got := strings.Join(l.Classes(), ","); got != "id04,id05,id06,id07" || l.Len() != 5+6+7+8 {
		t.Fatalf("kept classes %q with %d images", got, l.Len())
	}
	counts := make([]int, 4)
	for e := 0; e < 40; e++ {
		for _, idx := range l.Order(e) {
			counts[l.remap[src.Label(idx)]]++
		}
	}
	for k, n := range counts {
		if frac := float64(n) / float64(40*l.Len()); math.Abs(frac-0.25) > 0.03 {
			t.Errorf("class %d drawn %.3f of the time, want 0.25", k, frac)
		}
	}
	for _, b := range epochBatches(t, l, 0, 0) {
		for _, lab := range b.Labels {
			if lab < 0 || lab >= 4 {
				t.Fatalf("label %d outside the kept classes", lab)
			}
		}
	}
	if _, err := NewLoader(src, Config{MinImagesPerClass: 9}, Preprocess{Size: 4, Channels: 1}, 1, 0); err == nil {
		t.Fatal("loader with no classes left accepted")
	}
}

func TestLoaderBadImages(t *testing.T) {
	src := testSource{n: 20, classes: 2, w: 8, h: 8, bad: 7}
	cfg := Config{Workers: 2, Prefetch: 2}
	it := testLoader(t, src, cfg, 4).Epoch(context.Background(), 0, 0)
	var err error
	for err == nil {
		_, err = it.Next()
	}
	it.Close()
	if err == io.EOF || !strings.Contains(err.Error(), "mem#7") {
		t.Fatalf("error %v does not name the bad image", err)
	}
	cfg.SkipBad = true
	l := testLoader(t, src, cfg, 4)
	if n := len(epochBatches(t, l, 0, 0)); n != 5 || l.Skipped() != 1 {
		t.Fatalf("skip_bad: %d batches, %d skipped; want 5 and 1", n, l.Skipped())
	}
}

func TestLoaderCancel(t *testing.T) {
	src := testSource{n: 400, classes: 4, w: 8, h: 8, bad: -1}
	ctx, cancel := context.WithCancel(context.Background())
	it := testLoader(t, src, Config{Workers: 3, Prefetch: 2}, 2).Epoch(ctx, 0, 0)
	if _, err := it.Next(); err != nil {
		t.Fatal(err)
	}
	cancel()
	var err error
	for err == nil {
		_, err = it.Next()
	}
	it.Close()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("after cancel: %v", err)
	}
}

func TestLoaderReusesBuffersAcrossEpochs(t *testing.T) {
	src := testSource{n: 40, classes: 4, w: 8, h: 8, bad: -1}
	l := testLoader(t, src, Config{Workers: 2, Prefetch: 2}, 4)
	first := epochBatches(t, l, 0, 0)
	it := l.Epoch(context.Background(), 0, 0)
	b, err := it.Next()
	if err != nil || !slices.Equal(b.X, first[0].X) {
		t.Fatalf("second pass over epoch 0: %v", err)
	}
	it.Close()
	if _, err := it.Next(); err == nil || err == io.EOF {
		t.Fatalf("Next after Close: %v", err)
	}
	if len(l.spare) != 3 {
		t.Fatalf("%d spare buffers after Close, want prefetch+1 = 3", len(l.spare))
	}
}
