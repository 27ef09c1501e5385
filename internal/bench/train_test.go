package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/model"
)

// quick is a configuration small enough for the test budget: tiny on 16×16
// grey images, batch 4, one warm-up and one timed step per phase.
var quick = TrainConfig{Arch: "tiny", Batch: 4, Threads: 2, Classes: 10, InputSize: 16,
	MinTime: time.Nanosecond, MinSteps: 1}

func TestRunTrainJSONKeys(t *testing.T) {
	cfg := quick
	cfg.JSON = true
	var out bytes.Buffer
	if err := RunTrain(context.Background(), cfg, &out); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	want := []string{"arch", "batch", "threads", "train_images_per_s", "infer_images_per_s", "peak_rss_mb", "kernels"}
	if len(got) != len(want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	for _, k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("key %q missing from %s", k, out.String())
		}
	}
	if got["arch"] != "tiny" || got["batch"] != 4.0 || got["threads"] != 2.0 || got["kernels"] != kernels.Path() {
		t.Errorf("echoed configuration wrong: %s", out.String())
	}
	for _, k := range want[3:6] {
		if v, _ := got[k].(float64); !(v > 0) {
			t.Errorf("%s = %v, want > 0", k, got[k])
		}
	}
}

func TestRunTrainText(t *testing.T) {
	var out bytes.Buffer
	if err := RunTrain(context.Background(), quick, &out); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.HasPrefix(s, "cocotrain tiny, batch 4, 2 threads") || !strings.Contains(s, "images/s") {
		t.Errorf("text output %q", s)
	}
}

func TestMeasureTrainErrors(t *testing.T) {
	cfg := quick
	cfg.Arch = "resnet1000"
	if _, err := MeasureTrain(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "resnet1000") {
		t.Errorf("unknown arch: error %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := MeasureTrain(ctx, quick); err != context.Canceled {
		t.Errorf("cancelled context: error %v, want context.Canceled", err)
	}
	cfg = quick
	cfg.Batch = 0
	if _, err := MeasureTrain(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "batch 0") {
		t.Errorf("batch 0: error %v", err)
	}
}

// TestArchDefaultsCoverArchs requires `bench train` defaults for exactly
// the architectures the model package builds.
func TestArchDefaultsCoverArchs(t *testing.T) {
	if len(ArchDefaults) != len(model.Archs) {
		t.Errorf("ArchDefaults has %d architectures, model.Archs %v", len(ArchDefaults), model.Archs)
	}
	for _, a := range model.Archs {
		if _, ok := ArchDefaults[a]; !ok {
			t.Errorf("no ArchDefaults for %q", a)
		}
	}
}

// TestTrainerLearns checks that the timed step is a real training step: the
// loss on the fixed batch goes down.
func TestTrainerLearns(t *testing.T) {
	tr, err := NewTrainer(quick, 2)
	if err != nil {
		t.Fatal(err)
	}
	first, err := tr.Step()
	if err != nil {
		t.Fatal(err)
	}
	last := first
	for i := 0; i < 30; i++ {
		if last, err = tr.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if !(last < first) {
		t.Errorf("loss %g after 30 steps, %g at the first: not learning", last, first)
	}
}

// benchTrainer builds the full-size network of arch at batch 64 on 2 threads.
func benchTrainer(b *testing.B, arch string) *Trainer {
	b.Helper()
	cfg := DefaultTrainConfig()
	cfg.Arch = arch
	tr, err := NewTrainer(cfg, 2)
	if err != nil {
		b.Fatal(err)
	}
	return tr
}

// BenchmarkTrainStep times one training step (batch 64, 2 threads) of each
// network; allocs/op shows what the step allocates after the first call, and
// cpu-ms/op the process CPU time per step (steadier than wall-clock time on
// a shared machine).
// Profile with: go test -run '^$' -bench TrainStep/tiny -cpuprofile cpu.out ./internal/bench/
func BenchmarkTrainStep(b *testing.B) {
	for _, arch := range []string{"tiny", "small", "mobilefacenet"} {
		b.Run(arch, func(b *testing.B) {
			tr := benchTrainer(b, arch)
			if _, err := tr.Step(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuSeconds()
			for i := 0; i < b.N; i++ {
				if _, err := tr.Step(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuSeconds()-cpu)*1e3/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(b.N*tr.batch)/b.Elapsed().Seconds(), "images/s")
		})
	}
}

// BenchmarkInfer times one eval-mode forward pass (batch 64, 2 threads), with
// allocs/op and cpu-ms/op as BenchmarkTrainStep.
func BenchmarkInfer(b *testing.B) {
	for _, arch := range []string{"tiny", "small", "mobilefacenet"} {
		b.Run(arch, func(b *testing.B) {
			tr := benchTrainer(b, arch)
			tr.Net.SetTraining(false)
			tr.Infer()
			b.ReportAllocs()
			b.ResetTimer()
			cpu := cpuSeconds()
			for i := 0; i < b.N; i++ {
				tr.Infer()
			}
			b.ReportMetric((cpuSeconds()-cpu)*1e3/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(b.N*tr.batch)/b.Elapsed().Seconds(), "images/s")
		})
	}
}
