package loss

import "math"

// softmaxCE is softmax cross-entropy over a batch of logit rows, with the row
// maximum subtracted before exponentiating. Probabilities are kept for the
// backward pass.
type softmaxCE struct {
	probs []float64 // batch×K softmax probabilities of the last forward
}

// forward returns the mean over the rows of −log softmax(logits[i,:])[labels[i]]
// for the batch×K matrix logits (float64).
func (s *softmaxCE) forward(logits []float64, labels []int, k int) float64 {
	m := len(labels)
	s.probs = grow(s.probs, m*k)
	var total float64
	for i, y := range labels {
		z := logits[i*k : (i+1)*k]
		p := s.probs[i*k : (i+1)*k]
		mx := z[0]
		for _, v := range z[1:] {
			mx = math.Max(mx, v)
		}
		var sum float64
		for j, v := range z {
			p[j] = math.Exp(v - mx)
			sum += p[j]
		}
		for j := range p {
			p[j] /= sum
		}
		total += math.Log(sum) - (z[y] - mx)
	}
	return total / float64(m)
}

// backward writes dz[i,k] = weight·(p[i,k] − [k = y_i]) / M, the gradient of
// weight times the mean loss with respect to the logits.
func (s *softmaxCE) backward(dz []float64, labels []int, k int, weight float64) {
	m := len(labels)
	c := weight / float64(m)
	for i, y := range labels {
		for j := 0; j < k; j++ {
			g := s.probs[i*k+j]
			if j == y {
				g--
			}
			dz[i*k+j] = c * g
		}
	}
}

// argmaxAccuracy is the fraction of rows of the batch×K matrix scores whose
// first maximum is at the label.
func argmaxAccuracy(scores []float32, labels []int, k int) float64 {
	hits := 0
	for i, y := range labels {
		row := scores[i*k : (i+1)*k]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		if best == y {
			hits++
		}
	}
	return float64(hits) / float64(len(labels))
}

// grow returns s resized to n elements, reallocating only when it is too small.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
