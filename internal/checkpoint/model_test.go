package checkpoint

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/loss"
	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/optim"
	"github.com/cocotrain/cocotrain/internal/params"
)

// tinyConfig is a training config as a run records it: every section, the
// training-only ones included.
const tinyConfig = `model: {arch: tiny, input_size: 16, channels: 1, embedding_dim: 8}
loss: {type: coco, alpha: auto}
data: {center_crop: 14}
optim: {name: sgd, lr: 0.1}
synth: {identities: 3}
train: {epochs: 1, batch_size: 4}
`

// savedTiny builds and initialises the tiny net and a CoCo head over 3
// classes, saves them with config cfgYAML and returns the file, the net and
// the head.
func savedTiny(t *testing.T, cfgYAML string) (string, *model.Net, loss.Head) {
	t.Helper()
	a := params.New()
	net, err := model.New(model.Config{Arch: "tiny", InputSize: 16, Channels: 1, EmbeddingDim: 8}, a)
	if err != nil {
		t.Fatal(err)
	}
	head, err := loss.New(loss.DefaultConfig(), 8, 3, a)
	if err != nil {
		t.Fatal(err)
	}
	a.Alloc()
	net.Init(1)
	head.Init(2)
	for i := range a.State { // batch-norm statistics other than the initial ones
		a.State[i] += 0.25
	}
	o, err := optim.New(optim.DefaultConfig(), a)
	if err != nil {
		t.Fatal(err)
	}
	m := smallMeta(5)
	m.ConfigYAML = cfgYAML
	path := filepath.Join(t.TempDir(), "tiny.safetensors")
	if err := Save(path, a, o, m); err != nil {
		t.Fatal(err)
	}
	net.SetTraining(false)
	return path, net, head
}

// TestLoadModel checks that a loaded model embeds exactly as the network
// that was saved, with the same head, and the preprocessing of its config.
func TestLoadModel(t *testing.T) {
	path, net, head := savedTiny(t, tinyConfig)
	m, err := LoadModel(path, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 2*16*16)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	want := slices.Clone(net.Infer(x, 2))
	if got := m.Infer(x, 2); !slices.Equal(got, want) {
		t.Errorf("loaded model embeds %v, saved one %v", got[:4], want[:4])
	}
	gotC, err1 := m.Head.Centroids()
	wantC, err2 := head.Centroids()
	if err1 != nil || err2 != nil || !slices.Equal(gotC, wantC) {
		t.Errorf("head centroids differ (%v, %v)", err1, err2)
	}
	if m.Head.Type() != loss.TypeCoCo || math.Abs(m.Head.Scale()-head.Scale()) != 0 {
		t.Errorf("head %s scale %g, want coco %g", m.Head.Type(), m.Head.Scale(), head.Scale())
	}
	if pp := m.Preprocess(); pp.Size != 16 || pp.Channels != 1 || pp.CenterCrop != 14 {
		t.Errorf("preprocess %+v", pp)
	}
	if m.Checkpoint.Step != 5 || len(m.Checkpoint.Classes) != 3 {
		t.Errorf("metadata %+v", m.Checkpoint.Meta)
	}
}

func TestLoadModelRefuses(t *testing.T) {
	for _, tc := range []struct{ cfg, want string }{
		{strings.Replace(tinyConfig, "embedding_dim: 8", "embedding_dim: 9", 1), "does not fit the model"},
		{strings.Replace(tinyConfig, "channels: 1", "chanels: 1", 1), "model.chanels"},
		{strings.Replace(tinyConfig, "arch: tiny", "arch: vgg", 1), "unknown arch"},
		{tinyConfig + "extra: 1\n", `"extra"`},
	} {
		path, _, _ := savedTiny(t, tc.cfg)
		if _, err := LoadModel(path, 1); err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("config %q: %v, want an error naming the file with %q", tc.cfg, err, tc.want)
		}
	}
}
