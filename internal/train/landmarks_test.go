package train

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/align"
	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/synth"
)

// warpedSet is a synthetic face set written warped, with landmark files.
type warpedSet struct {
	dir            string // holds the files
	train, lfw     string // the warped ImageFolder and LFW-layout trees
	pairs          string // the pairs.txt of lfw
	trainLM, lfwLM string // their landmark files
}

// warpedFaces writes the synthetic set of smallConfig's synth section at
// 32×32 (synth.WriteTree: train/, lfw/, pairs.txt, the faces taken as
// aligned to the arcface template at that size) under dir/faces, then each
// face rotated, enlarged and shifted by its own similarity onto a 64×64
// canvas under dir/warped, and the template's points under each similarity
// as dir/train_landmarks.txt and dir/lfw_landmarks.txt, leaving out the line
// of skip (a path relative to the training tree).
func warpedFaces(t *testing.T, dir, skip string) warpedSet {
	t.Helper()
	cfg, err := decodeConfig([]byte(smallConfig), "smallConfig")
	if err != nil {
		t.Fatal(err)
	}
	const size = 32
	sc := cfg.Synth
	sc.Size = size
	faces := filepath.Join(dir, "faces")
	if _, err := synth.WriteTree(context.Background(), sc, faces); err != nil {
		t.Fatal(err)
	}
	tpl, err := align.NewTemplate(align.ArcFace, size)
	if err != nil {
		t.Fatal(err)
	}
	w := warpedSet{dir: dir, train: filepath.Join(dir, "warped", "train"), lfw: filepath.Join(dir, "warped", "lfw"),
		pairs: filepath.Join(faces, "pairs.txt"), trainLM: filepath.Join(dir, "train_landmarks.txt"), lfwLM: filepath.Join(dir, "lfw_landmarks.txt")}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tree := range []string{"train", "lfw"} {
		src, err := data.OpenImageFolder(filepath.Join(faces, tree))
		if err != nil {
			t.Fatal(err)
		}
		var lm strings.Builder
		for i := range src.Len() {
			img, err := src.Image(i)
			if err != nil {
				t.Fatal(err)
			}
			// ±30°, ×1.3 to ×1.7, the face's centre within 2 pixels of the
			// canvas centre: the whole face stays on the canvas.
			a, s := (rng.Float64()-0.5)*math.Pi/3, 1.3+0.4*rng.Float64()
			m := align.Similarity{s * math.Cos(a), -s * math.Sin(a), 0, s * math.Sin(a), s * math.Cos(a), 0}
			c := m.Apply(align.Point{X: (size - 1) / 2.0, Y: (size - 1) / 2.0})
			m[2], m[5] = 32-c.X+4*(rng.Float64()-0.5), 32-c.Y+4*(rng.Float64()-0.5)
			out, err := align.Warp(img, m, 64, 64)
			if err != nil {
				t.Fatal(err)
			}
			rel, err := filepath.Rel(filepath.Join(faces, tree), src.Name(i))
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "warped", tree, rel)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := png.Encode(&b, out); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			if tree == "train" && rel == skip {
				continue
			}
			lm.WriteString(filepath.ToSlash(rel))
			for _, q := range tpl.Points {
				q = m.Apply(q)
				fmt.Fprintf(&lm, " %.4f %.4f", q.X, q.Y)
			}
			lm.WriteString("\n")
		}
		if err := os.WriteFile(filepath.Join(dir, tree+"_landmarks.txt"), []byte(lm.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// alignTree aligns the ImageFolder root with the landmark file lm to the
// arcface template at smallConfig's model.input_size (16) as `cocotrain
// align` does, into out, and returns the summary.
func alignTree(t *testing.T, root, lm, out string) align.FolderSummary {
	t.Helper()
	l, err := align.ReadLandmarks(lm)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := align.NewTemplate(align.ArcFace, 16)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := align.AlignFolder(context.Background(), align.FolderOptions{Images: root, Landmarks: l, Template: tpl, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestTrainLandmarks trains on warped faces aligned on the fly (--landmarks
// for the training tree, one image of it without a landmark line;
// train.val_landmarks for the verification tree), and on the same faces
// aligned beforehand by align.AlignFolder (`cocotrain align`): the runs
// must be the same to the bit, verifications included; the image without
// landmarks must be left out and counted in training.log, and the saved
// config must hold the landmark files' absolute paths.
func TestTrainLandmarks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	skip := filepath.Join("id00003", "0003.png")
	w := warpedFaces(t, dir, skip)
	cfgPath := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(cfgPath, []byte(smallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	alignedTrain, alignedLFW := filepath.Join(dir, "aligned", "train"), filepath.Join(dir, "aligned", "lfw")
	if sum := alignTree(t, w.train, w.trainLM, alignedTrain); sum.Aligned != 95 || sum.NoLandmarks != 1 {
		t.Fatalf("align train: %+v", sum)
	}
	if sum := alignTree(t, w.lfw, w.lfwLM, alignedLFW); sum.Aligned != 40 || sum.NoLandmarks != 0 {
		t.Fatalf("align lfw: %+v", sum)
	}

	online, offline := filepath.Join(dir, "run-online"), filepath.Join(dir, "run-offline")
	t.Chdir(dir) // relative --data, --landmarks and train.val_landmarks
	_, err := Run(ctx, Options{ConfigPath: cfgPath, DataPath: "warped/train", Landmarks: "train_landmarks.txt", OutDir: online,
		ValDir: "warped/lfw", ValPairs: w.pairs, Sets: []string{"train.val_landmarks=lfw_landmarks.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, Options{ConfigPath: cfgPath, DataPath: alignedTrain, ValDir: alignedLFW, ValPairs: w.pairs, OutDir: offline}); err != nil {
		t.Fatal(err)
	}
	tensorsEqual(t, filepath.Join(online, LastFile), filepath.Join(offline, LastFile))
	tensorsEqual(t, filepath.Join(online, BestFile), filepath.Join(offline, BestFile))
	a, err := ReadMetrics(filepath.Join(online, MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadMetrics(filepath.Join(offline, MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Vals) != 3 || !reflect.DeepEqual(a.Vals, b.Vals) || len(a.Steps) == 0 || len(a.Steps) != len(b.Steps) {
		t.Errorf("verifications aligned on the fly %+v, aligned beforehand %+v", a.Vals, b.Vals)
	}
	for i := range a.Steps {
		if a.Steps[i].Loss != b.Steps[i].Loss {
			t.Errorf("step %d: loss %v aligned on the fly, %v aligned beforehand", a.Steps[i].Step, a.Steps[i].Loss, b.Steps[i].Loss)
		}
	}
	log, err := os.ReadFile(filepath.Join(online, LogFile))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("data.landmarks %s: aligned 95 images, skipped 1 without landmarks: %s", w.trainLM, filepath.Join(w.train, skip))
	if !strings.Contains(string(log), want) {
		t.Errorf("training.log lacks %q:\n%s", want, log)
	}
	saved, err := LoadConfig(filepath.Join(online, ConfigFile), nil)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Data.Landmarks != w.trainLM || saved.Data.Path != w.train || saved.Train.ValLandmarks != w.lfwLM {
		t.Errorf("saved config: data.path %q, data.landmarks %q, train.val_landmarks %q; want %q, %q, %q",
			saved.Data.Path, saved.Data.Landmarks, saved.Train.ValLandmarks, w.train, w.trainLM, w.lfwLM)
	}
}

// TestLandmarkRefusals starts runs whose landmark settings cannot work, each
// into a new run directory: each is refused naming the problem (the
// landmark file and line, the key) and leaves no directory behind.
func TestLandmarkRefusals(t *testing.T) {
	dir := t.TempDir()
	w := warpedFaces(t, dir, "")
	warped, lmPath := w.train, w.trainLM
	good, err := os.ReadFile(lmPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(good), "\n")
	bad := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// One line changed, the others kept: the run has enough images.
	with := func(name string, line int, change func(f []string) []string) string {
		l := slices.Clone(lines)
		l[line-1] = strings.Join(change(strings.Fields(l[line-1])), " ") + "\n"
		return bad(name, strings.Join(l, ""))
	}
	fourPoints := with("four.txt", 2, func(f []string) []string { return f[:9] })
	nan := with("nan.txt", 2, func(f []string) []string { f[1] = "NaN"; return f })
	// On the first image: the one read before training starts (the others
	// are checked as they are read, like an image that does not decode).
	far := with("far.txt", 1, func(f []string) []string { f[1], f[2] = "900", "900"; return f })
	none := bad("none.txt", "elsewhere/0001.png 1 2 3 4 5 6 7 8 9 10\n")
	pack := bad("faces.pack", "")
	cfgPath := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(cfgPath, []byte(smallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		data, landmarks string
		sets            []string
		want            []string
		valDir          bool // verify on w.lfw
	}{
		{warped, fourPoints, nil, []string{fourPoints + ":2"}, false},
		{warped, nan, nil, []string{nan + ":2"}, false},
		{warped, far, nil, []string{far + ":1", "far outside"}, false},
		{warped, none, nil, []string{none, "none of the 96 images"}, false},
		{warped, lmPath, []string{"data.landmark_template=nosuch"}, []string{"data.landmark_template", "nosuch"}, false},
		{"", lmPath, nil, []string{"data.landmarks", "data.path"}, false},
		{warped, "", []string{"data.landmark_template=sphereface"}, []string{"data.landmark_template needs data.landmarks"}, false},
		{pack, lmPath, nil, []string{pack, "ImageFolder"}, false},
		{warped, filepath.Join(dir, "missing.txt"), nil, []string{"missing.txt"}, false},
		{warped, "", []string{"train.val_landmarks=" + w.lfwLM}, []string{"train.val_landmarks", "train.val_dir"}, false},
		{warped, "", []string{"train.val_landmarks=" + lmPath}, []string{lmPath, "no landmarks for 40 of the 40 images", w.lfw}, true},
		{warped, "", []string{"train.val_landmarks=" + nan}, []string{nan + ":2"}, true},
	} {
		run := filepath.Join(t.TempDir(), "run")
		opt := Options{ConfigPath: cfgPath, DataPath: tc.data, Landmarks: tc.landmarks, OutDir: run, Sets: tc.sets}
		if tc.valDir {
			opt.ValDir, opt.ValPairs = w.lfw, w.pairs
		}
		_, err := Run(context.Background(), opt)
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("--data %q --landmarks %q %v: %v, want an error naming %q", tc.data, tc.landmarks, tc.sets, err, w)
			}
		}
		if _, serr := os.Stat(run); !os.IsNotExist(serr) {
			t.Errorf("--data %q --landmarks %q %v: refused (%v) but left %s behind", tc.data, tc.landmarks, tc.sets, err, run)
		}
	}
}

// TestLandmarkFarOutsideDuringTraining puts a landmark far outside an image
// that is not the first: the run stops when it reads the image, naming the
// landmark file and line; with data.skip_bad it passes over the image and
// names it at the end.
func TestLandmarkFarOutsideDuringTraining(t *testing.T) {
	dir := t.TempDir()
	w := warpedFaces(t, dir, "")
	b, err := os.ReadFile(w.trainLM)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	f := strings.Fields(lines[40])
	f[3], f[4] = "-900", "900"
	lines[40] = strings.Join(f, " ") + "\n"
	far := filepath.Join(dir, "far.txt")
	if err := os.WriteFile(far, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(cfgPath, []byte(smallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	opt := Options{ConfigPath: cfgPath, DataPath: w.train, Landmarks: far, OutDir: filepath.Join(dir, "run")}
	if _, err := Run(context.Background(), opt); err == nil || !strings.Contains(err.Error(), far+":41:") || !strings.Contains(err.Error(), "far outside") {
		t.Errorf("a landmark far outside image 41: %v, want an error naming %s:41", err, far)
	}
	opt.OutDir, opt.Sets = filepath.Join(dir, "run-skip"), []string{"data.skip_bad=true"}
	if _, err := Run(context.Background(), opt); err != nil {
		t.Fatalf("with data.skip_bad: %v", err)
	}
	log, err := os.ReadFile(filepath.Join(opt.OutDir, LogFile))
	if err != nil {
		t.Fatal(err)
	}
	if want := "data.skip_bad: skipped 1 images that failed to read: " + filepath.Join(w.train, f[0]); !strings.Contains(string(log), want) {
		t.Errorf("training.log lacks %q:\n%s", want, log)
	}
}
