package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/cocotrain/cocotrain/internal/checkpoint"
	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/loss"
	"github.com/cocotrain/cocotrain/internal/params"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// initFrom starts a fresh run from the backbone of the checkpoint at
// train.init_from: loadBackbone copies its network tensors, initHead sets
// the new loss head from the mean embeddings of this run's classes. The
// optimizer state, the step and every other head tensor stay fresh. It
// returns the lines the run's log reports.
func (r *runner) initFrom(ctx context.Context) ([]string, error) {
	path := r.cfg.Train.InitFrom
	ck, err := checkpoint.Read(path)
	if err != nil {
		return nil, fmt.Errorf("train.init_from: %w", err)
	}
	st, err := loadBackbone(ck, r.arena)
	if err != nil {
		return nil, err
	}
	lines := []string{fmt.Sprintf("init_from %s (step %d): loaded %d backbone tensors (%d values, %d of them batch-norm statistics); the loss head, optimizer state and step start fresh",
		path, ck.Step, st.tensors, st.values, st.buffers)}
	head, err := r.initHead(ctx)
	if err != nil {
		return nil, err
	}
	return append(lines, head), nil
}

// loadStats counts what loadBackbone copied.
type loadStats struct {
	tensors, values, buffers int // buffers: values of batch-norm statistics
}

// loadBackbone copies every backbone.* tensor of ck (weights and batch-norm
// running statistics) into the allocated arena a. The two must hold the
// same backbone tensors, by name and shape: otherwise the error names the
// file and the first tensor that differs (in a's order, then the
// checkpoint's), with both shapes, and nothing is copied.
func loadBackbone(ck *checkpoint.Checkpoint, a *params.Arena) (loadStats, error) {
	var st loadStats
	bad := func(format string, args ...any) error {
		return fmt.Errorf("train.init_from %s: %s: --init-from needs a checkpoint of the same network (model.arch, input_size, channels, embedding_dim and the rest of the model section)",
			ck.Path, fmt.Sprintf(format, args...))
	}
	for _, p := range a.Params {
		if !isBackbone(p.Name) {
			continue
		}
		switch t := ck.File.Tensor(p.Name); {
		case t == nil:
			return st, bad("no tensor %s (this network's is %v)", p.Name, p.Shape)
		case t.DType != safetensors.F32 || !slices.Equal(t.Shape, p.Shape):
			return st, bad("tensor %s is %s %v there, F32 %v in this network", p.Name, t.DType, t.Shape, p.Shape)
		}
	}
	for _, t := range ck.File.Tensors {
		if isBackbone(t.Name) && a.Lookup(t.Name) == nil {
			return st, bad("tensor %s (%v) is not in this network", t.Name, t.Shape)
		}
	}
	for _, p := range a.Params {
		if !isBackbone(p.Name) {
			continue
		}
		if err := ck.File.CopyF32(p.Name, p.W, p.Shape); err != nil {
			return st, fmt.Errorf("train.init_from %s: %w", ck.Path, err) // unreachable after the checks above
		}
		st.tensors++
		st.values += p.Size()
		if p.Kind == params.Buffer {
			st.buffers += p.Size()
		}
	}
	return st, nil
}

// classMeans are the per-class statistics of the embeddings of a training
// set, in float64: K×d sums of the L2-normalised and of the raw embeddings,
// the images of each class, and the sum of the raw embeddings' norms.
type classMeans struct {
	k, d       int
	unit, raw  []float64 // K×d
	count      []int     // K
	normSum    float64
	images     int
	elapsed    time.Duration
	emptyClass int // classes without an image (all failed to read, with skip_bad)
}

// embedClasses runs every image of the training set once through the
// network in eval mode, preprocessed as the run's batches are but without
// augmentation, and sums its embeddings per class (label order of the run).
func (r *runner) embedClasses(ctx context.Context) (*classMeans, error) {
	t0 := time.Now()
	cfg := r.cfg.Data
	cfg.Augment, cfg.Balanced = data.Augment{}, false // each image once, as it is
	m := r.cfg.Model
	// Batches of one image: an epoch then holds every image (a loader
	// drops an incomplete last batch); the network sees them in batches of
	// train.val_batch_size.
	l, err := data.NewLoader(r.src, cfg, cfg.Preprocess(m.InputSize, m.Channels), 1, r.cfg.Train.Seed)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(l.Classes(), r.classes) {
		return nil, fmt.Errorf("train.init_from: the class list of the un-augmented pass differs from the run's")
	}
	k, d := len(r.classes), r.net.EmbeddingDim()
	cm := &classMeans{k: k, d: d, unit: make([]float64, k*d), raw: make([]float64, k*d), count: make([]int, k)}
	batch, size := r.cfg.Train.ValBatchSize, m.Channels*m.InputSize*m.InputSize
	x, labels := make([]float32, 0, batch*size), make([]int, 0, batch)
	flush := func() error {
		if len(labels) == 0 {
			return nil
		}
		err := cm.add(r.net.Infer(x, len(labels)), labels)
		x, labels = x[:0], labels[:0]
		return err
	}
	it := l.Epoch(ctx, 0, 0)
	defer it.Close()
	for {
		b, err := it.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		x, labels = append(x, b.X...), append(labels, b.Labels[0])
		if len(labels) == batch {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	for _, n := range cm.count {
		if n == 0 {
			cm.emptyClass++
		}
	}
	cm.elapsed = time.Since(t0)
	return cm, nil
}

// add sums the embeddings emb (len(labels)×d) into their classes.
func (cm *classMeans) add(emb []float32, labels []int) error {
	d := cm.d
	for i, y := range labels {
		e := emb[i*d : (i+1)*d]
		var ss float64
		for _, v := range e {
			ss += float64(v) * float64(v)
		}
		norm := math.Sqrt(ss)
		if !finite(norm) {
			return fmt.Errorf("train.init_from: the pretrained network gives a non-finite embedding for an image of class %d", y)
		}
		inv := 1 / max(norm, loss.NormEps)
		unit, raw := cm.unit[y*d:(y+1)*d], cm.raw[y*d:(y+1)*d]
		for j, v := range e {
			unit[j] += float64(v) * inv
			raw[j] += float64(v)
		}
		cm.count[y]++
		cm.normSum += norm
		cm.images++
	}
	return nil
}

// direction writes the unit vector of class k's mean normalised embedding,
// times scale, into dst (d values); false when the class has no image.
func (cm *classMeans) direction(dst []float32, k int, scale float64) bool {
	if cm.count[k] == 0 {
		return false
	}
	s := cm.unit[k*cm.d : (k+1)*cm.d]
	var ss float64
	for _, v := range s {
		ss += v * v
	}
	f := scale / max(math.Sqrt(ss), loss.NormEps)
	for j, v := range s {
		dst[j] = float32(v * f)
	}
	return true
}

// initHead sets the loss head's class vectors from the mean embeddings of
// this run's classes (embedClasses), whatever head the config names, by the
// head's tensor names (internal/loss):
//
//   - head.centroids (coco, normface, cosface, arcface): row k is ĉ_k, the
//     normalised mean of class k's L2-normalised embeddings;
//   - head.weight, and coco's head.aux.weight (the linear classifiers of
//     softmax and center on the raw feature): row k is (α/m̄)·ĉ_k, with α
//     CoCo's automatic scale for K classes at loss.epsilon and m̄ the mean
//     norm of the raw embeddings, so that a typical feature's logits start
//     as CoCo's would (α·cos); the biases head.bias and head.aux.bias are 0;
//   - head.centers (center loss): row k is the mean raw embedding of class k.
//
// A class without any image (every one failed to read, with
// data.skip_bad) keeps its seeded row. It returns the log line.
func (r *runner) initHead(ctx context.Context) (string, error) {
	cm, err := r.embedClasses(ctx)
	if err != nil {
		return "", err
	}
	k, d := cm.k, cm.d
	var set []string
	if p := r.arena.Lookup(loss.ParamCentroids); p != nil {
		for c := 0; c < k; c++ {
			cm.direction(p.W[c*d:(c+1)*d], c, 1)
		}
		set = append(set, p.Name+" = the normalised class means")
	}
	alpha, err := loss.AutoAlpha(k, r.cfg.Loss.Epsilon)
	if err != nil {
		return "", err
	}
	scale := alpha / max(cm.normSum/float64(cm.images), loss.NormEps)
	for _, names := range [][2]string{{loss.ParamWeight, loss.ParamBias}, {loss.ParamAuxWeight, loss.ParamAuxBias}} {
		w, b := r.arena.Lookup(names[0]), r.arena.Lookup(names[1])
		if w == nil {
			continue
		}
		for c := 0; c < k; c++ {
			if cm.direction(w.W[c*d:(c+1)*d], c, scale) {
				b.W[c] = 0
			}
		}
		set = append(set, fmt.Sprintf("%s = %.4g × the normalised class means (α %.4g over the mean feature norm), %s = 0", w.Name, scale, alpha, b.Name))
	}
	if p := r.arena.Lookup(loss.ParamCenters); p != nil {
		for c := 0; c < k; c++ {
			if n := cm.count[c]; n > 0 {
				for j := 0; j < d; j++ {
					p.W[c*d+j] = float32(cm.raw[c*d+j] / float64(n))
				}
			}
		}
		set = append(set, p.Name+" = the class means")
	}
	line := fmt.Sprintf("init_from: %s, from one eval-mode pass without augmentation over %d images of %d classes (%.1fs)",
		strings.Join(set, "; "), cm.images, k, cm.elapsed.Seconds())
	if cm.emptyClass > 0 {
		line += fmt.Sprintf("; %d classes had no readable image and keep their seeded rows", cm.emptyClass)
	}
	return line, nil
}

// logInitFrom writes what train.init_from loaded (lines, from initFrom) and
// how long train.freeze_backbone_steps hold the backbone; a resumed run
// only says where it started from, which it does not read again.
func (r *runner) logInitFrom(lines []string, resumed bool) {
	t := r.cfg.Train
	if t.InitFrom == "" {
		return
	}
	if resumed {
		r.log.Printf("this run started from %s (train.init_from); the checkpoint it resumes holds all its state, nothing is read from there again", t.InitFrom)
	}
	for _, l := range lines {
		r.log.Printf("%s", l)
	}
	if n := t.FreezeBackboneSteps; n > 0 {
		r.log.Printf("train.freeze_backbone_steps %d: steps 1–%d train the loss head only (the backbone in eval mode: weights and batch-norm statistics held, dropout off)", n, n)
	}
}
