package eval

import (
	"context"
	"math"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/params"
	"github.com/cocotrain/cocotrain/internal/synth"
)

// model.Net is an Embedder.
var _ Embedder = (*model.Net)(nil)

// TestEvaluateModelNet extracts embeddings through an untrained tiny
// model.Net (eval mode, 16×16 input) from a small synthetic verification
// set and scores them: the report covers the set's pairs and folds with
// finite metrics, and the embeddings do not depend on the batch size (up to
// float32 rounding).
func TestEvaluateModelNet(t *testing.T) {
	sc := synth.DefaultConfig()
	sc.EvalIdentities, sc.EvalPerIdentity, sc.Size = 20, 3, 32
	g, err := synth.NewGenerator(sc)
	if err != nil {
		t.Fatal(err)
	}
	set := g.Verification()

	a := params.New()
	net, err := model.New(model.Config{Arch: "tiny", InputSize: 16, Channels: 1, EmbeddingDim: 16}, a)
	if err != nil {
		t.Fatal(err)
	}
	a.Alloc()
	net.Init(7)
	net.SetTraining(false)
	pp := data.Preprocess{Size: 16, Channels: 1}

	e16, err := Extract(context.Background(), net, set.Images, pp, Options{BatchSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Score(set, e16)
	if err != nil {
		t.Fatal(err)
	}
	if r.Pairs != set.NumPairs() || r.Folds != set.Folds || !r.Mirror {
		t.Errorf("report of %d pairs in %d folds (mirror %v), set has %d in %d", r.Pairs, r.Folds, r.Mirror, set.NumPairs(), set.Folds)
	}
	for name, v := range map[string]float64{"accuracy": r.AccuracyMean, "AUC": r.AUC, "EER": r.EER, "VAL": r.VAL} {
		if math.IsNaN(v) || v < 0 || v > 1 {
			t.Errorf("%s = %v", name, v)
		}
	}
	e5, err := Extract(context.Background(), net, set.Images, pp, Options{BatchSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	for i := range e16.Flip {
		if math.Abs(float64(e16.Flip[i]-e5.Flip[i])) > 1e-5 {
			t.Fatalf("embedding value %d: %v with batch 16, %v with batch 5", i, e16.Flip[i], e5.Flip[i])
		}
	}
	t.Logf("untrained tiny net on %d synthetic pairs: accuracy %.2f%%, without mirror %.2f%%, AUC %.4f",
		r.Pairs, 100*r.AccuracyMean, 100*r.NoFlip.AccuracyMean, r.AUC)
}

// BenchmarkExtract measures embedding extraction (decode-free in-memory
// synthetic images, preprocessing, the image and its mirror) through the
// default tiny net (64×64 grey, 128-d) and reports images per second.
func BenchmarkExtract(b *testing.B) {
	sc := synth.DefaultConfig()
	sc.EvalIdentities, sc.EvalPerIdentity = 20, 4
	g, err := synth.NewGenerator(sc)
	if err != nil {
		b.Fatal(err)
	}
	set := g.Verification()
	a := params.New()
	net, err := model.New(model.Config{Arch: "tiny", InputSize: 64, Channels: 1, EmbeddingDim: 128}, a)
	if err != nil {
		b.Fatal(err)
	}
	a.Alloc()
	net.Init(1)
	net.SetTraining(false)
	pp := data.Preprocess{Size: 64, Channels: 1}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Extract(context.Background(), net, set.Images, pp, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(set.Images.Len()*b.N)/b.Elapsed().Seconds(), "images/s")
}
