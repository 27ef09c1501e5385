package checkpoint

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/params"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// torchNet is a seeded network and the state_dict PyTorch would save for
// it under a layout's names.
type torchNet struct {
	net   *model.Net
	state *safetensors.File
}

// newTorchNet builds cfg's network with seeded weights and running
// statistics and writes its state_dict: every tensor under rename(cocotrain
// name without "backbone."), with prefix, plus the num_batches_tracked
// tensors PyTorch saves beside each batch norm.
func newTorchNet(t *testing.T, cfg model.Config, prefix string, rename func(string) string) torchNet {
	t.Helper()
	a := params.New()
	net, err := model.New(cfg, a)
	if err != nil {
		t.Fatal(err)
	}
	a.Alloc()
	net.Init(7)
	rng := rand.New(rand.NewPCG(1, 2))
	f := safetensors.New()
	for _, p := range a.Params {
		name := strings.TrimPrefix(p.Name, "backbone.")
		if strings.HasSuffix(name, "running_mean") || strings.HasSuffix(name, "running_var") {
			for i := range p.W {
				p.W[i] = float32(0.5 + rng.Float64()) // statistics that move the output
			}
		}
		if err := f.AddF32(prefix+rename(name), p.Shape, p.W); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".running_var") {
			bn := strings.TrimSuffix(rename(name), "running_var")
			if err := f.AddI64(prefix+bn+"num_batches_tracked", []int{}, []int64{100}); err != nil {
				t.Fatal(err)
			}
		}
	}
	net.SetTraining(false)
	return torchNet{net, f}
}

// ourToMFN inverts torchMFN over arcface_torch's names.
func ourToMFN(t *testing.T) func(string) string {
	inv := map[string]string{}
	for _, n := range mfnTorchNames() {
		o, ok := torchMFN(n)
		if !ok {
			t.Fatalf("torchMFN(%q) fails", n)
		}
		if inv[o] != "" {
			t.Fatalf("torchMFN maps %s and %s to %s", inv[o], n, o)
		}
		inv[o] = n
	}
	return func(o string) string {
		n, ok := inv[o]
		if !ok {
			t.Fatalf("cocotrain's %s has no arcface_torch name", o)
		}
		return n
	}
}

// TestTorchStateDict reads PyTorch state_dicts of the three networks
// (arcface_torch's iresnet18 and mobilefacenet names, DDP's "module."
// prefix, cocotrain's own names for tiny) with Read and LoadModel: the
// model config comes from the shapes, and the network embeds exactly as
// the one the tensors came from.
func TestTorchStateDict(t *testing.T) {
	keep := func(s string) string { return s }
	cases := []struct {
		name   string
		cfg    model.Config
		prefix string
		rename func(*testing.T) func(string) string
	}{
		{"iresnet18", model.Config{Arch: "iresnet18", InputSize: 32, Channels: 3, EmbeddingDim: 16}, "", func(*testing.T) func(string) string { return keep }},
		{"mobilefacenet-arcface_torch", model.Config{Arch: "mobilefacenet", InputSize: 112, Channels: 3, EmbeddingDim: 32}, "module.", ourToMFN},
		{"tiny", model.Config{Arch: "tiny", InputSize: 32, Channels: 1, EmbeddingDim: 8}, "backbone.", func(*testing.T) func(string) string { return keep }},
		{"small", model.Config{Arch: "small", InputSize: 32, Channels: 3, EmbeddingDim: 8}, "backbone.", func(*testing.T) func(string) string { return keep }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tn := newTorchNet(t, c.cfg, c.prefix, c.rename(t))
			path := filepath.Join(t.TempDir(), "torch.safetensors")
			if err := safetensors.WriteFile(path, tn.state); err != nil {
				t.Fatal(err)
			}
			m, err := LoadModel(path, 1)
			if err != nil {
				t.Fatal(err)
			}
			got := m.Config.Model
			if got.Arch != c.cfg.Arch || got.InputSize != c.cfg.InputSize || got.Channels != c.cfg.Channels || got.EmbeddingDim != c.cfg.EmbeddingDim {
				t.Fatalf("model config %+v, want %+v", got, c.cfg)
			}
			if m.Head != nil || len(m.Checkpoint.Classes) != 0 || m.Checkpoint.Step != 0 {
				t.Errorf("head %v, classes %v, step %d: want none, none, 0", m.Head, m.Checkpoint.Classes, m.Checkpoint.Step)
			}
			x := make([]float32, 2*tn.net.InShape().Size())
			rng := rand.New(rand.NewPCG(5, 6))
			for i := range x {
				x[i] = float32(2*rng.Float64() - 1)
			}
			want := slices.Clone(tn.net.Infer(x, 2))
			if e := m.Net.Infer(x, 2); !slices.Equal(e, want) {
				t.Errorf("embeddings differ from the source network's: %v, want %v", e[:4], want[:4])
			}
		})
	}
}

// TestTorchStateDictErrors: a state_dict that does not fit is refused with
// one line naming the file and the first tensor at fault.
func TestTorchStateDictErrors(t *testing.T) {
	dir := t.TempDir()
	mfn := model.Config{Arch: "mobilefacenet", InputSize: 112, Channels: 3, EmbeddingDim: 32}
	ires := model.Config{Arch: "iresnet18", InputSize: 32, Channels: 3, EmbeddingDim: 16}
	keep := func(s string) string { return s }
	files := 0
	edit := func(cfg model.Config, rename func(string) string, change func(*safetensors.File) *safetensors.File) string {
		f := change(newTorchNet(t, cfg, "", rename).state)
		files++
		path := filepath.Join(dir, fmt.Sprintf("%d.safetensors", files))
		if err := safetensors.WriteFile(path, f); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// without drops the named tensors; with adds t.
	without := func(names ...string) func(*safetensors.File) *safetensors.File {
		return func(f *safetensors.File) *safetensors.File {
			out := safetensors.New()
			for _, x := range f.Tensors {
				if !slices.Contains(names, x.Name) {
					if err := out.Add(x); err != nil {
						t.Fatal(err)
					}
				}
			}
			return out
		}
	}
	with := func(x *safetensors.Tensor) func(*safetensors.File) *safetensors.File {
		return func(f *safetensors.File) *safetensors.File {
			if err := f.Add(x); err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	retype := func(name string) func(*safetensors.File) *safetensors.File {
		return func(f *safetensors.File) *safetensors.File {
			out := safetensors.New()
			for _, x := range f.Tensors {
				if x.Name == name {
					x = &safetensors.Tensor{Name: name, DType: safetensors.F16, Shape: x.Shape, Data: x.Data[:len(x.Data)/2]}
				}
				if err := out.Add(x); err != nil {
					t.Fatal(err)
				}
			}
			return out
		}
	}
	// wide is arcface_torch's default mbf (scale 2): its first conv has 128
	// filters.
	wide := func(f *safetensors.File) *safetensors.File {
		out := safetensors.New()
		for _, x := range f.Tensors {
			if x.Name == "layers.0.layers.0.weight" {
				shape := slices.Clone(x.Shape)
				shape[0] *= 2
				x = &safetensors.Tensor{Name: x.Name, DType: x.DType, Shape: shape, Data: append(slices.Clone(x.Data), x.Data...)}
			}
			if err := out.Add(x); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	block := make([]byte, 4*64*64*9)
	for i := 0; i < len(block); i += 4 {
		binary.LittleEndian.PutUint32(block[i:], math.Float32bits(0.01))
	}
	foreign := safetensors.New()
	if err := foreign.AddF32("w", []int{2}, []float32{1, 2}); err != nil {
		t.Fatal(err)
	}
	foreignPath := filepath.Join(dir, "foreign.safetensors")
	if err := safetensors.WriteFile(foreignPath, foreign); err != nil {
		t.Fatal(err)
	}
	toMFN := ourToMFN(t)
	for _, c := range []struct {
		name, path string
		want       []string
	}{
		{"missing", edit(mfn, toMFN, without("layers.3.layers.2.layers.1.layers.2.weight")),
			[]string{"PyTorch arcface_torch mobilefacenet state_dict: no tensor layers.3.layers.2.layers.1.layers.2.weight (cocotrain's backbone.conv_3.model.2.conv_dw.prelu.weight, [128])"}},
		{"scale 2", edit(mfn, toMFN, wide),
			[]string{"tensor layers.0.layers.0.weight (cocotrain's backbone.conv1.conv.weight) is [128 3 3 3]", "wants [64 3 3 3]", "scale 2"}},
		{"F16", edit(ires, keep, retype("layer2.0.conv1.weight")),
			[]string{"tensor layer2.0.conv1.weight is F16: save the state_dict as float32"}},
		{"iresnet50", edit(ires, keep, with(&safetensors.Tensor{Name: "layer1.2.conv1.weight", DType: safetensors.F32, Shape: []int{64, 64, 3, 3}, Data: block})),
			[]string{"an iresnet with blocks [3 2 2 2] per stage", "cocotrain builds iresnet18"}},
		{"unknown", edit(ires, keep, with(&safetensors.Tensor{Name: "head.weight", DType: safetensors.F32, Shape: []int{2}, Data: block[:8]})),
			[]string{"tensor head.weight is not part of cocotrain's iresnet18"}},
		{"unknown mfn name", edit(mfn, toMFN, with(&safetensors.Tensor{Name: "layers.9.layers.0.weight", DType: safetensors.F32, Shape: []int{2}, Data: block[:8]})),
			[]string{"tensor layers.9.layers.0.weight is not part of arcface_torch mobilefacenet"}},
		{"foreign", foreignPath, []string{"not a cocotrain checkpoint", "nor a PyTorch state_dict of iresnet18 or mobilefacenet"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadModel(c.path, 1)
			if err == nil {
				t.Fatal("loaded")
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.HasPrefix(msg, c.path+": ") || strings.Contains(msg, "\n") {
				t.Errorf("want one line starting with the file: %s", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
		})
	}
}
