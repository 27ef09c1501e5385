package model

import (
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// TestDropoutSeek checks that Seek(k) draws the mask of the k-th training
// Forward after Seed, and that Net.SeekDropout positions the net's dropout
// layer so that its training output repeats the one of that step.
func TestDropoutSeek(t *testing.T) {
	ex := NewExec()
	ex.Training = true
	d := NewDropout(ex, "d", Shape{64, 1, 1}, 0.5)
	x := make([]float32, 128)
	fill(x, 1)
	d.Seed(7)
	var masks [][]float32
	for range 4 {
		out := make([]float32, len(x))
		d.Forward(out, x, 2)
		masks = append(masks, out)
	}
	for _, k := range []uint64{2, 0, 3, 1} {
		d.Seek(k)
		out := make([]float32, len(x))
		d.Forward(out, x, 2)
		if !equalFloats(out, masks[k]) {
			t.Errorf("Seek(%d) drew another mask than training Forward %d", k, k)
		}
	}

	a := params.New()
	net, err := New(Config{Arch: "tiny", InputSize: 16, Channels: 1, EmbeddingDim: 4, Dropout: 0.5}, a)
	if err != nil {
		t.Fatal(err)
	}
	a.Alloc()
	net.Init(1)
	net.SetTraining(true)
	in := make([]float32, 2*net.InShape().Size())
	for i := range in {
		in[i] = float32(i%13) / 13
	}
	var outs [][]float32
	for range 3 {
		outs = append(outs, append([]float32(nil), net.Forward(in, 2)...))
	}
	if equalFloats(outs[0], outs[1]) {
		t.Fatal("two training forwards gave the same embeddings: dropout had no effect")
	}
	net.SeekDropout(1)
	if got := net.Forward(in, 2); !equalFloats(got, outs[1]) {
		t.Error("SeekDropout(1) did not repeat the second training forward")
	}
}
