package bench

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/cocotrain/cocotrain/internal/kernels"
)

// Shape is one GEMM size: C (M×N) = A (M×K) · B (K×N).
type Shape struct{ M, N, K int }

// String is "MxNxK", the shape's name in benchmark tables.
func (s Shape) String() string { return fmt.Sprintf("%dx%dx%d", s.M, s.N, s.K) }

// flops is the multiply-add count of the product, 2·M·N·K.
func (s Shape) flops() float64 { return 2 * float64(s.M) * float64(s.N) * float64(s.K) }

// ParseShape reads "MxNxK" (positive integers).
func ParseShape(text string) (Shape, error) {
	parts := strings.Split(text, "x")
	if len(parts) != 3 {
		return Shape{}, fmt.Errorf("shape %q: want MxNxK", text)
	}
	var v [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 {
			return Shape{}, fmt.Errorf("shape %q: %q is not a positive integer", text, p)
		}
		v[i] = n
	}
	return Shape{v[0], v[1], v[2]}, nil
}

// DefaultGemmShapes are the cubes 256³, 512³, 1024³ and the convolution
// GEMMs (output channels × output pixels × C·KH·KW) of a ResNet-style
// network at 112×112 input.
var DefaultGemmShapes = []Shape{
	{256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024},
	{64, 3136, 576}, {128, 784, 1152}, {256, 196, 2304}, {512, 49, 4608},
}

// GemmConfig says what RunGemm measures.
type GemmConfig struct {
	Shapes  []Shape // default DefaultGemmShapes
	Threads int     // the "all threads" count; ≤ 0 means runtime.GOMAXPROCS(0)
	Rounds  int     // interleaved rounds per measurement, the median is kept; ≤ 0 means defaultRounds
	JSON    bool    // print one JSON array instead of a table
}

// GemmResult is one measured row: median GFLOP/s of cocotrain's Sgemm and
// of gonum's blas32 Sgemm on one shape with one thread count, and the FMA
// peak of the machine with that many threads, and the kernel path in use.
type GemmResult struct {
	M           int     `json:"m"`
	N           int     `json:"n"`
	K           int     `json:"k"`
	Threads     int     `json:"threads"`
	OursGFLOPS  float64 `json:"ours_gflops"`
	GonumGFLOPS float64 `json:"gonum_gflops"`
	PeakGFLOPS  float64 `json:"peak_gflops"`
	Kernels     string  `json:"kernels"` // kernels.Path(): avx512, avx2, neon or go
}

// defaultRounds is the number of interleaved rounds when GemmConfig.Rounds is unset.
const defaultRounds = 5

// minSample is the shortest timed batch of calls in one sample.
const minSample = 20 * time.Millisecond

// RunGemm measures every shape with 1 thread and with cfg.Threads threads
// and writes the results to w (a table, or JSON with cfg.JSON). It stops
// with ctx.Err() when ctx is cancelled.
func RunGemm(ctx context.Context, cfg GemmConfig, w io.Writer) error {
	results, err := MeasureGemm(ctx, cfg)
	if err != nil {
		return err
	}
	if cfg.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	}
	fmt.Fprintf(w, "%s kernels; medians of %d interleaved rounds\n", kernels.Path(), cmp.Or(max(cfg.Rounds, 0), defaultRounds))
	return WriteGemmTable(w, results)
}

// MeasureGemm runs the measurements of RunGemm and returns them in order
// (thread counts outer, shapes inner).
func MeasureGemm(ctx context.Context, cfg GemmConfig) ([]GemmResult, error) {
	shapes := cfg.Shapes
	if len(shapes) == 0 {
		shapes = DefaultGemmShapes
	}
	all := cfg.Threads
	if all <= 0 {
		all = runtime.GOMAXPROCS(0)
	}
	rounds := cfg.Rounds
	if rounds <= 0 {
		rounds = defaultRounds
	}
	threadCounts := []int{1}
	if all > 1 {
		threadCounts = append(threadCounts, all)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	defer kernels.SetThreads(kernels.Threads())

	var results []GemmResult
	for _, t := range threadCounts {
		// gonum sizes its worker pool by GOMAXPROCS, ours by SetThreads.
		runtime.GOMAXPROCS(t)
		kernels.SetThreads(t)
		var peaks []float64
		for range 3 {
			peaks = append(peaks, PeakGFLOPS(t))
		}
		peak := median(peaks)
		for _, s := range shapes {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			ours, theirs := measureShape(s, rounds)
			results = append(results, GemmResult{M: s.M, N: s.N, K: s.K, Threads: t,
				OursGFLOPS: ours, GonumGFLOPS: theirs, PeakGFLOPS: peak, Kernels: kernels.Path()})
		}
	}
	return results, nil
}

// measureShape times cocotrain's and gonum's SGEMM on s in interleaved
// rounds and returns the median GFLOP/s of each.
func measureShape(s Shape, rounds int) (ours, theirs float64) {
	rng := rand.New(rand.NewPCG(uint64(s.M), uint64(s.N*s.K)))
	a := randomSlice(rng, s.M*s.K)
	b := randomSlice(rng, s.K*s.N)
	c := make([]float32, s.M*s.N)
	impl := gonum.Implementation{}
	oursRun := func() {
		kernels.Sgemm(false, false, s.M, s.N, s.K, 1, a, s.K, b, s.N, 0, c, s.N)
	}
	gonumRun := func() {
		impl.Sgemm(blas.NoTrans, blas.NoTrans, s.M, s.N, s.K, 1, a, s.K, b, s.N, 0, c, s.N)
	}
	oursRun() // warm up: packing buffers, page faults
	gonumRun()
	var o, g []float64
	for range rounds {
		o = append(o, rate(s, oursRun))
		g = append(g, rate(s, gonumRun))
	}
	return median(o), median(g)
}

// rate runs f in a batch lasting at least minSample and returns GFLOP/s.
func rate(s Shape, f func()) float64 {
	calls := 0
	start := time.Now()
	for {
		f()
		calls++
		if el := time.Since(start); el >= minSample {
			return s.flops() * float64(calls) / el.Seconds() / 1e9
		}
	}
}

func randomSlice(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = 2*rng.Float32() - 1
	}
	return x
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// WriteGemmTable prints results as an aligned table with the ratio to gonum
// and the fraction of the FMA peak.
func WriteGemmTable(w io.Writer, results []GemmResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "M×N×K\tthreads\tours GFLOP/s\tgonum GFLOP/s\tours/gonum\tpeak GFLOP/s\tours/peak\t\n")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%.1f×\t%.1f\t%.0f%%\t\n",
			Shape{r.M, r.N, r.K}, r.Threads, r.OursGFLOPS, r.GonumGFLOPS,
			r.OursGFLOPS/r.GonumGFLOPS, r.PeakGFLOPS, 100*r.OursGFLOPS/r.PeakGFLOPS)
	}
	return tw.Flush()
}
