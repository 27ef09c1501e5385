package eval

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkNewReport scores the 6000-pair, 10-fold fixture (both k-fold
// runs, ROC, AUC, EER, TAR) and reports pairs per second.
func BenchmarkNewReport(b *testing.B) {
	fx := loadFixture(b, "testdata/insightface_lfw10.json")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := NewReport("bench", fx.Dist, fx.Dist, fx.Same, fx.Folds); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(fx.Dist))*float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}

// BenchmarkFitPCA fits 100 Eigenfaces axes to 1600 images of 1600 pixels
// by each path and reports images per second.
func BenchmarkFitPCA(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n = 1600
	x := lowRank(rng, n, n, 200)
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	for _, c := range []struct {
		name  string
		limit int
	}{{"exact", n}, {"randomized", 0}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := fitPCAWith(x, n, rows, 100, c.limit); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(n*float64(b.N)/b.Elapsed().Seconds(), "images/s")
		})
	}
}
