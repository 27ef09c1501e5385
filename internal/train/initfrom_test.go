package train

import (
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/checkpoint"
	"github.com/cocotrain/cocotrain/internal/loss"
)

// pretrained trains smallConfig for one epoch (with extra) and returns its
// last checkpoint: the run the init_from tests start from.
func pretrained(t *testing.T, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := run(t, context.Background(), dir, false, nil, append([]string{"train.epochs=1", "train.val_every=0"}, extra...)...); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, LastFile)
}

// setupSmall builds (without training) a run of smallConfig in a new
// directory with the --set overrides sets.
func setupSmall(t *testing.T, sets ...string) (*runner, error) {
	t.Helper()
	cfgPath := filepath.Join(t.TempDir(), "small.yaml")
	if err := os.WriteFile(cfgPath, []byte(smallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	return setup(context.Background(), Options{ConfigPath: cfgPath, OutDir: filepath.Join(t.TempDir(), "run"), Sets: sets, Stdout: io.Discard, Stderr: io.Discard})
}

// refMeans computes, apart from the trainer, what initHead must set: the
// pretrained network (checkpoint.LoadModel) embeds every image of the run's
// training set one at a time (Source.Image and Preprocess.Apply, not the
// loader), and the statistics are summed per class name in float64: the
// normalised mean of the L2-normalised embeddings of each class (in the
// run's label order), the mean raw embedding, and the mean raw norm.
func refMeans(t *testing.T, r *runner, ckPath string) (unit, raw [][]float64, meanNorm float64) {
	t.Helper()
	m, err := checkpoint.LoadModel(ckPath, 1)
	if err != nil {
		t.Fatal(err)
	}
	pre := r.cfg.Data.Preprocess(r.cfg.Model.InputSize, r.cfg.Model.Channels)
	d, k := m.EmbeddingDim(), len(r.classes)
	unit, raw = make([][]float64, k), make([][]float64, k)
	for c := range k {
		unit[c], raw[c] = make([]float64, d), make([]float64, d)
	}
	count := make([]int, k)
	x := make([]float32, pre.Len())
	for i := 0; i < r.src.Len(); i++ {
		img, err := r.src.Image(i)
		if err != nil {
			t.Fatal(err)
		}
		if err := pre.Apply(x, img); err != nil {
			t.Fatal(err)
		}
		e := m.Infer(x, 1)
		c := slices.Index(r.classes, r.src.Classes()[r.src.Label(i)])
		var ss float64
		for _, v := range e {
			ss += float64(v) * float64(v)
		}
		for j, v := range e {
			unit[c][j] += float64(v) / math.Sqrt(ss)
			raw[c][j] += float64(v)
		}
		count[c]++
		meanNorm += math.Sqrt(ss)
	}
	meanNorm /= float64(r.src.Len())
	for c := range k {
		var ss float64
		for _, v := range unit[c] {
			ss += v * v
		}
		for j := range unit[c] {
			unit[c][j] /= math.Sqrt(ss)
			raw[c][j] /= float64(count[c])
		}
	}
	return unit, raw, meanNorm
}

// checkRows fails unless the K×d tensor name of r's arena holds rows
// scale·want[k], to a relative 1e-5.
func checkRows(t *testing.T, r *runner, name string, want [][]float64, scale float64) {
	t.Helper()
	p := r.arena.Lookup(name)
	if p == nil {
		t.Fatalf("no tensor %s", name)
	}
	d := p.Shape[1]
	for c, row := range want {
		for j, v := range row {
			got, w := float64(p.W[c*d+j]), scale*v
			if math.Abs(got-w) > 1e-5*max(math.Abs(scale), 1) {
				t.Fatalf("%s[%d][%d] = %v, want %v", name, c, j, got, w)
			}
		}
	}
}

// TestInitFrom builds runs on other synthetic identities from a pretrained
// checkpoint, one per kind of head, and checks that the backbone (weights
// and batch-norm statistics) is the checkpoint's bit for bit and that the
// head's class vectors are what refMeans computes: coco's (and arcface's)
// centroids the normalised class means; the softmax classifiers (softmax,
// center, coco's auxiliary one) the same directions scaled by α/m̄ with zero
// bias; center loss's centres the raw class means.
func TestInitFrom(t *testing.T) {
	ckPath := pretrained(t)
	ck, err := checkpoint.Read(ckPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, head := range [][]string{
		{"loss.type=coco"}, {"loss.type=arcface"}, {"loss.type=softmax"}, {"loss.type=center"},
		{"loss.type=coco", "loss.aux_softmax_weight=0.4"},
	} {
		t.Run(strings.Join(head, ","), func(t *testing.T) {
			r, err := setupSmall(t, append([]string{"synth.seed=2", "train.init_from=" + ckPath}, head...)...)
			if err != nil {
				t.Fatal(err)
			}
			defer r.close()
			loaded := 0
			for _, p := range r.arena.Params {
				if !isBackbone(p.Name) {
					continue
				}
				want, _, err := ck.File.F32(p.Name)
				if err != nil || !slices.Equal(p.W, want) {
					t.Errorf("backbone tensor %s is not the checkpoint's (%v)", p.Name, err)
				}
				loaded++
			}
			if loaded == 0 || len(r.arena.State) == 0 {
				t.Fatalf("%d backbone tensors, %d buffer values", loaded, len(r.arena.State))
			}
			unit, raw, meanNorm := refMeans(t, r, ckPath)
			alpha, err := loss.AutoAlpha(len(r.classes), r.cfg.Loss.Epsilon)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, name := range []string{loss.ParamCentroids, loss.ParamWeight, loss.ParamAuxWeight, loss.ParamCenters} {
				if r.arena.Lookup(name) == nil {
					continue
				}
				n++
				switch name {
				case loss.ParamCentroids:
					checkRows(t, r, name, unit, 1)
				case loss.ParamCenters:
					checkRows(t, r, name, raw, 1)
				default:
					checkRows(t, r, name, unit, alpha/meanNorm)
					bias := r.arena.Lookup(strings.TrimSuffix(name, "weight") + "bias")
					if slices.ContainsFunc(bias.W, func(v float32) bool { return v != 0 }) {
						t.Errorf("%s = %v, want 0", bias.Name, bias.W)
					}
				}
			}
			if n == 0 {
				t.Fatal("the head has no class vectors to check")
			}
		})
	}
}

// TestInitFromRefusesOtherNetwork starts runs whose network differs from
// the checkpoint's: the error names the checkpoint and the first tensor
// that differs, with both shapes, and no run directory is made.
func TestInitFromRefusesOtherNetwork(t *testing.T) {
	ckPath := pretrained(t)
	for _, c := range []struct {
		sets []string
		want []string
	}{
		{[]string{"model.embedding_dim=8"}, []string{"tensor backbone.fc.weight is F32 [16 ", "F32 [8 "}},
		{[]string{"model.channels=3", "synth.channels=3", "model.embedding_dim=8"}, []string{"tensor backbone.conv1.weight is F32 [", " 1 3 3]", " 3 3 3] in this network"}},
	} {
		dir := filepath.Join(t.TempDir(), "run")
		cfgPath := filepath.Join(t.TempDir(), "small.yaml")
		if err := os.WriteFile(cfgPath, []byte(smallConfig), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Run(context.Background(), Options{ConfigPath: cfgPath, OutDir: dir, InitFrom: ckPath, Sets: c.sets})
		if err == nil {
			t.Fatalf("%v: no error", c.sets)
		}
		for _, w := range append(c.want, ckPath) {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %q lacks %q", c.sets, err, w)
			}
		}
		if _, serr := os.Stat(dir); !os.IsNotExist(serr) {
			t.Errorf("%v: the refused run made %s (%v)", c.sets, dir, serr)
		}
	}
}

// TestInitFromOptions checks the option and config rules: --init-from does
// not go with --resume, freeze_backbone_steps needs init_from, and
// init_from is saved absolute.
func TestInitFromOptions(t *testing.T) {
	if _, err := Run(context.Background(), Options{OutDir: t.TempDir(), Resume: true, InitFrom: "x.safetensors"}); err == nil || !strings.Contains(err.Error(), "--init-from") {
		t.Errorf("--resume with --init-from: %v", err)
	}
	if _, err := setupSmall(t, "train.freeze_backbone_steps=2"); err == nil || !strings.Contains(err.Error(), "train.init_from") {
		t.Errorf("freeze without init_from: %v", err)
	}
	cfg, _, err := resolveConfig(Options{InitFrom: "runs/a/last.safetensors"})
	if want, _ := filepath.Abs("runs/a/last.safetensors"); err != nil || cfg.Train.InitFrom != want {
		t.Errorf("init_from resolved to %q (%v), want %q", cfg.Train.InitFrom, err, want)
	}
}

// TestInitFromResumeIsExact interrupts a run started from a pretrained
// checkpoint with the backbone frozen for 3 steps, once while frozen (step
// 2) and once after (step 7), with the pretrained checkpoint moved away
// before resuming (a resumed run does not read it again): it ends with the
// same checkpoints and logged losses as the run that went straight through,
// and its training.log says where the backbone came from.
func TestInitFromResumeIsExact(t *testing.T) {
	ckPath := pretrained(t)
	sets := []string{"synth.seed=2", "train.init_from=" + ckPath, "train.freeze_backbone_steps=3"}
	ctx := context.Background()
	straight := t.TempDir()
	if _, err := run(t, ctx, straight, false, nil, sets...); err != nil {
		t.Fatal(err)
	}
	resumed := t.TempDir()
	for i, stop := range []int{2, 7} {
		cctx, cancel := context.WithCancel(ctx)
		extra := sets
		if i > 0 {
			extra = nil
		}
		_, err := run(t, cctx, resumed, i > 0, func(step int) {
			if step == stop {
				cancel()
			}
		}, extra...)
		cancel()
		var ie *InterruptedError
		if !errors.As(err, &ie) || ie.Step != stop {
			t.Fatalf("interrupt at %d: %v", stop, err)
		}
		if i == 0 {
			if err := os.Rename(ckPath, ckPath+".moved"); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := run(t, ctx, resumed, true, nil); err != nil {
		t.Fatal(err)
	}
	tensorsEqual(t, filepath.Join(straight, LastFile), filepath.Join(resumed, LastFile))
	tensorsEqual(t, filepath.Join(straight, BestFile), filepath.Join(resumed, BestFile))
	a, b := stepLosses(t, filepath.Join(straight, MetricsFile)), stepLosses(t, filepath.Join(resumed, MetricsFile))
	if len(a) != 6 || len(a) != len(b) {
		t.Fatalf("logged steps: %v vs %v", a, b)
	}
	for s, l := range a {
		if b[s] != l {
			t.Errorf("step %d: loss %v straight, %v resumed", s, l, b[s])
		}
	}
	log, err := os.ReadFile(filepath.Join(resumed, LogFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"init_from " + ckPath + " (step 6): loaded ", "head.centroids = the normalised class means",
		"train.freeze_backbone_steps 3", "this run started from " + ckPath} {
		if !strings.Contains(string(log), want) {
			t.Errorf("training.log lacks %q:\n%s", want, log)
		}
	}
}
