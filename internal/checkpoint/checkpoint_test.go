package checkpoint

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/optim"
	"github.com/cocotrain/cocotrain/internal/params"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// smallArena is an allocated arena of two tensors and a buffer, filled with
// v, and an SGD optimizer with momentum over it.
func smallArena(t testing.TB, v float32) (*params.Arena, *optim.Optimizer) {
	t.Helper()
	a := params.New()
	a.Declare("backbone.fc.weight", params.Weight, 3, 2)
	a.Declare("backbone.fc.bias", params.Bias, 3)
	a.Declare("backbone.bn.running_mean", params.Buffer, 3)
	a.Alloc()
	for i := range a.Data {
		a.Data[i] = v + float32(i)
	}
	for i := range a.State {
		a.State[i] = -v
	}
	o, err := optim.New(optim.DefaultConfig(), a)
	if err != nil {
		t.Fatal(err)
	}
	return a, o
}

// smallMeta is the metadata of a checkpoint at step.
func smallMeta(step int) Meta {
	return Meta{ConfigYAML: "model:\n  arch: tiny\n", Step: step, Epoch: 1, Classes: []string{"a", "b", "c"}, DataDigest: "abc",
		Position: Position{Seed: 1, Epoch: 1, Batch: 2}, BestVal: 0.75, ValAcc: math.NaN()}
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.safetensors")
	a, o := smallArena(t, 1)
	if err := Save(path, a, o, smallMeta(7)); err != nil {
		t.Fatal(err)
	}
	ck, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Step != 7 || ck.Epoch != 1 || !slices.Equal(ck.Classes, []string{"a", "b", "c"}) || ck.DataDigest != "abc" ||
		ck.Position != (Position{1, 1, 2}) || ck.BestVal != 0.75 || !math.IsNaN(ck.ValAcc) || ck.ConfigYAML != "model:\n  arch: tiny\n" {
		t.Errorf("read back %+v", ck.Meta)
	}
	if ck.File.Metadata[MetaValAcc] != "" {
		t.Errorf("val_accuracy of an unmeasured step = %q", ck.File.Metadata[MetaValAcc])
	}
	b, _ := smallArena(t, 100)
	if err := ck.LoadParams(b); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Data, b.Data) || !slices.Equal(a.State, b.State) {
		t.Errorf("loaded %v %v, want %v %v", b.Data, b.State, a.Data, a.State)
	}
	var cfg struct {
		Model struct {
			Arch      string `yaml:"arch"`
			InputSize int    `yaml:"input_size"`
		} `yaml:"model"`
	}
	cfg.Model.InputSize = 9
	if err := ck.DecodeConfig(&cfg); err != nil || cfg.Model.Arch != "tiny" || cfg.Model.InputSize != 9 {
		t.Errorf("DecodeConfig: %+v %v", cfg, err)
	}
}

// TestFixture reads testdata/v1.safetensors, written by the checkpoint code
// of train before this package existed (an SGD-with-momentum state after one
// step, the default config), and checks that it loads and that saving what
// was loaded writes the same bytes: the format has not moved.
func TestFixture(t *testing.T) {
	const path = "testdata/v1.safetensors"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Step != 7 || ck.Epoch != 1 || !slices.Equal(ck.Classes, []string{"a", "b", "c"}) || ck.DataDigest != "abc" ||
		ck.Position != (Position{1, 1, 2}) || !math.IsNaN(ck.BestVal) || ck.ValAcc != 0.5 || !strings.HasPrefix(ck.ConfigYAML, "model:\n  arch: tiny\n") {
		t.Errorf("read %+v", ck.Meta)
	}
	a, o := smallArena(t, 0)
	if err := ck.LoadParams(a); err != nil {
		t.Fatal(err)
	}
	if err := o.LoadState(ck.File); err != nil {
		t.Fatal(err)
	}
	// w[0] was 1 with gradient −2.5: one SGD step at lr 0.1, weight decay 5e-4.
	if w0 := float32(1) - float32(0.1)*(float32(-2.5)+float32(5e-4)*1); o.Steps() != 1 || a.Data[0] != w0 || a.State[0] != -1 {
		t.Errorf("loaded step %d, w[0] %v, running_mean[0] %v", o.Steps(), a.Data[0], a.State[0])
	}
	again := filepath.Join(t.TempDir(), "again.safetensors")
	if err := Save(again, a, o, ck.Meta); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(again); err != nil || !bytes.Equal(b, raw) {
		t.Errorf("saving the loaded fixture does not write its bytes (%d vs %d bytes, %v)", len(b), len(raw), err)
	}
}

func TestLoadParamsRefusesOtherModelUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.safetensors")
	a, o := smallArena(t, 1)
	if err := Save(path, a, o, smallMeta(1)); err != nil {
		t.Fatal(err)
	}
	ck, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	other := params.New()
	other.Declare("backbone.fc.weight", params.Weight, 2, 3) // transposed
	other.Declare("backbone.fc.bias", params.Bias, 3)
	other.Declare("backbone.extra", params.Weight, 1)
	other.Alloc()
	err = ck.LoadParams(other)
	if err == nil || !strings.Contains(err.Error(), "backbone.fc.weight") || !strings.Contains(err.Error(), "backbone.extra") {
		t.Fatalf("LoadParams into another model: %v", err)
	}
	for _, v := range other.Data {
		if v != 0 {
			t.Fatalf("arena changed by a failed load: %v", other.Data)
		}
	}
}

func TestReadRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.safetensors")
	a, o := smallArena(t, 1)
	if err := Save(good, a, o, smallMeta(3)); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	foreign := safetensors.New()
	if err := foreign.AddF32("w", []int{2}, []float32{1, 2}); err != nil {
		t.Fatal(err)
	}
	write := func(name string, f *safetensors.File) string {
		p := filepath.Join(dir, name)
		if err := safetensors.WriteFile(p, f); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// with returns a copy of the good file with metadata key set to v
	// (deleted when v is "-").
	with := func(name, key, v string) string {
		f, err := safetensors.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		if v == "-" {
			delete(f.Metadata, key)
		} else {
			f.Metadata[key] = v
		}
		return write(name, f)
	}
	truncated := filepath.Join(dir, "truncated.safetensors")
	if err := os.WriteFile(truncated, raw[:len(raw)-5], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{write("foreign.safetensors", foreign), "not a cocotrain checkpoint"},
		{truncated, "truncated.safetensors"},
		{with("classes.safetensors", MetaClasses, "not json"), `"classes"`},
		{with("noclasses.safetensors", MetaClasses, "[]"), `"classes" names no class`},
		{with("noconfig.safetensors", MetaConfig, "-"), `"config": missing`},
		{with("step.safetensors", MetaStep, "-1"), `"step"`},
		{with("epoch.safetensors", MetaEpoch, "x"), `"epoch"`},
		{with("rng.safetensors", MetaRNG, `{"epoch": -1}`), `"rng"`},
		{with("best.safetensors", MetaBestVal, "high"), `"best_val_accuracy"`},
		{filepath.Join(dir, "missing.safetensors"), "missing.safetensors"},
	} {
		if _, err := Read(tc.path); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), filepath.Base(tc.path)) {
			t.Errorf("Read(%s) = %v, want an error naming the file with %q", filepath.Base(tc.path), err, tc.want)
		}
	}
	ck, err := Read(with("config.safetensors", MetaConfig, "model:\n  nosuch: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Model struct {
			Arch string `yaml:"arch"`
		} `yaml:"model"`
	}
	if err := ck.DecodeConfig(&cfg); err == nil || !strings.Contains(err.Error(), "model.nosuch") || !strings.Contains(err.Error(), "config.safetensors") {
		t.Errorf("DecodeConfig of an unknown key: %v", err)
	}
}
