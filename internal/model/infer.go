package model

import (
	"fmt"

	"github.com/cocotrain/cocotrain/internal/params"
)

// inferChunk is the number of samples one replica carries through the whole
// network at a time in Infer. Small enough that a chunk's activations stay
// in the caches from one layer to the next (mobilefacenet's largest map,
// 128×56×56 floats, is 1.6 MB per sample), large enough that the GEMMs of
// the 7×7 maps still get a few hundred columns. It depends on nothing but
// this constant, so Infer's results do not depend on the thread count.
const inferChunk = 4

// Infer computes the eval-mode embeddings of x (batch×C×H×W, NCHW): batch
// norm with its running statistics, dropout off, whatever SetTraining says.
// It returns batch×D embeddings owned by the net, valid until the next
// Infer. Unlike Forward it keeps nothing for a backward pass: each worker
// runs its own replica of the network (same weights, its own activation
// buffers) over chunks of inferChunk samples, layer after layer, so that a
// chunk's activations stay in the cache instead of streaming the whole
// batch's through memory at every layer. Every sample's embedding is
// computed the same way for any thread count and batch size.
func (n *Net) Infer(x []float32, batch int) []float32 {
	if batch <= 0 || len(x) != batch*n.in.Size() {
		panic(fmt.Sprintf("model: Infer got %d floats for a batch of %d %v images", len(x), batch, n.in))
	}
	chunks := (batch + inferChunk - 1) / inferChunk
	if err := n.ensureReplicas(min(n.ex.threads, chunks)); err != nil {
		panic(err) // the replica declares exactly the net's tensors
	}
	// Pack the convolution weights once; the replicas' convolutions read
	// these packings.
	n.ex.weightsChanged()
	n.ex.run(len(n.convs), n.units.packConvs)
	n.infer = grow(n.infer, batch*n.cfg.EmbeddingDim)
	n.inferCall = call{n.infer, x, batch}
	n.ex.run(chunks, n.units.inferChunks)
	n.inferCall = call{}
	return n.infer
}

// packConvs is Infer's packing region: unit i packs convolution i.
func (n *Net) packConvs(_, i int) { n.convs[i].packForward() }

// inferChunks is Infer's main region: unit u carries chunk u (samples
// [u·inferChunk, (u+1)·inferChunk)) through replica w.
func (n *Net) inferChunks(w, u int) {
	batch, inSz, d := n.inferCall.n, n.in.Size(), n.cfg.EmbeddingDim
	lo, hi := u*inferChunk, min((u+1)*inferChunk, batch)
	n.replicas[w].body.Forward(n.inferCall.dst[lo*d:hi*d], n.inferCall.src[lo*inSz:hi*inSz], hi-lo)
}

// ensureReplicas builds replicas until there are at least k: eval-mode
// copies of the net on one thread each whose parameters alias the net's.
func (n *Net) ensureReplicas(k int) error {
	for len(n.replicas) < k {
		a := params.New()
		r, err := NewWithOptions(n.cfg, a, Options{inferOnly: true})
		if err != nil {
			return err
		}
		if err := a.AllocShared(n.arena); err != nil {
			return err
		}
		r.SetThreads(1)
		// Point every convolution of the replica at the packed weights of
		// the net's convolution in its place (both trees list them in
		// the architecture's order).
		for i, rc := range r.convs {
			rc.packW, rc.sharedPack = n.convs[i].packW, true
		}
		n.replicas = append(n.replicas, r)
	}
	return nil
}

// convsOf lists the convolutions of a layer tree.
func convsOf(l Layer) []*Conv2d {
	if c, ok := l.(*Conv2d); ok {
		return []*Conv2d{c}
	}
	var cs []*Conv2d
	if c, ok := l.(Container); ok {
		for _, child := range c.Children() {
			cs = append(cs, convsOf(child)...)
		}
	}
	return cs
}

// netUnits are the parallel regions of a Net, built once (buildUnits).
type netUnits struct {
	packConvs   unitFunc
	inferChunks unitFunc
}

// buildUnits makes the layer's parallel regions (method values, so that
// running one allocates nothing).
func (n *Net) buildUnits() {
	n.units = netUnits{packConvs: n.packConvs, inferChunks: n.inferChunks}
}
