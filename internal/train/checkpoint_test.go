package train

import (
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

// smallArena is an allocated arena of two tensors and a buffer, filled with v.
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

func smallMeta(t testing.TB, step int) checkpointMeta {
	t.Helper()
	cfg, err := LoadConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	return checkpointMeta{cfg: cfg, step: step, epoch: 1, classes: []string{"a", "b", "c"}, digest: "abc",
		pos: Position{Seed: 1, Epoch: 1, Batch: 2}, bestVal: 0.75, valAcc: math.NaN()}
}

func TestCheckpointRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.safetensors")
	a, o := smallArena(t, 1)
	if err := saveCheckpoint(path, a, o, smallMeta(t, 7)); err != nil {
		t.Fatal(err)
	}
	ck, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Step != 7 || ck.Epoch != 1 || !slices.Equal(ck.Classes, []string{"a", "b", "c"}) || ck.DataDigest != "abc" ||
		ck.Position != (Position{1, 1, 2}) || ck.BestVal != 0.75 || ck.Config.Model.Arch != "tiny" {
		t.Errorf("read back %+v", ck)
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
}

func TestLoadParamsRefusesOtherModelUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.safetensors")
	a, o := smallArena(t, 1)
	if err := saveCheckpoint(path, a, o, smallMeta(t, 1)); err != nil {
		t.Fatal(err)
	}
	ck, err := ReadCheckpoint(path)
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

func TestReadCheckpointRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.safetensors")
	a, o := smallArena(t, 1)
	if err := saveCheckpoint(good, a, o, smallMeta(t, 3)); err != nil {
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
	truncated := filepath.Join(dir, "truncated.safetensors")
	if err := os.WriteFile(truncated, raw[:len(raw)-5], 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	f.Metadata[MetaClasses] = "not json"
	badClasses := write("classes.safetensors", f)
	f.Metadata[MetaClasses] = `["a"]`
	f.Metadata[MetaConfig] = "train:\n  nosuch: 1\n"
	badConfig := write("config.safetensors", f)
	for _, tc := range []struct{ path, want string }{
		{write("foreign.safetensors", foreign), "not a cocotrain checkpoint"},
		{truncated, "truncated.safetensors"},
		{badClasses, `"classes"`},
		{badConfig, "nosuch"},
		{filepath.Join(dir, "missing.safetensors"), "missing.safetensors"},
	} {
		if _, err := ReadCheckpoint(tc.path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadCheckpoint(%s) = %v, want an error with %q", filepath.Base(tc.path), err, tc.want)
		}
	}
}
