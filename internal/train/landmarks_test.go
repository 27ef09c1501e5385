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
	"slices"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/align"
)

// warpedFaces writes the training faces of smallConfig's synth section at
// 32×32 (taken as aligned to the arcface template at that size), each
// rotated, enlarged and shifted by its own similarity onto a 64×64 canvas,
// as the ImageFolder dir/warped (id<class>/<index>.png), and the template's
// points under each similarity as dir/landmarks.txt, leaving out the line
// of skip (a path relative to the tree). It returns the tree and the
// landmark file.
func warpedFaces(t *testing.T, dir, skip string) (warped, landmarks string) {
	t.Helper()
	cfg, err := decodeConfig([]byte(smallConfig), "smallConfig")
	if err != nil {
		t.Fatal(err)
	}
	const size = 32
	sc := cfg.Synth
	sc.Size = size
	syn, err := newSynthSet(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := align.NewTemplate(align.ArcFace, size)
	if err != nil {
		t.Fatal(err)
	}
	warped = filepath.Join(dir, "warped")
	rng := rand.New(rand.NewPCG(7, 8))
	var lm strings.Builder
	for i := range syn.train.Len() {
		img, err := syn.train.Image(i)
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
		rel := filepath.Join(syn.train.Classes()[syn.train.Label(i)], fmt.Sprintf("%04d.png", i))
		p := filepath.Join(warped, rel)
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
		if rel == skip {
			continue
		}
		lm.WriteString(filepath.ToSlash(rel))
		for _, q := range tpl.Points {
			q = m.Apply(q)
			fmt.Fprintf(&lm, " %.4f %.4f", q.X, q.Y)
		}
		lm.WriteString("\n")
	}
	landmarks = filepath.Join(dir, "landmarks.txt")
	if err := os.WriteFile(landmarks, []byte(lm.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return warped, landmarks
}

// TestTrainLandmarks trains with --landmarks on warped faces, one of them
// without a landmark line, and with the same faces aligned beforehand by
// align.AlignFolder (`cocotrain align`): the runs must be the same to the
// bit, the image without landmarks left out and counted in training.log,
// and the saved config must hold the landmark file's absolute path.
func TestTrainLandmarks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	skip := filepath.Join("id00003", "0026.png")
	warped, lmPath := warpedFaces(t, dir, skip)
	cfgPath := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(cfgPath, []byte(smallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	lm, err := align.ReadLandmarks(lmPath)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := align.NewTemplate(align.ArcFace, 16) // smallConfig's model.input_size
	if err != nil {
		t.Fatal(err)
	}
	aligned := filepath.Join(dir, "aligned")
	sum, err := align.AlignFolder(ctx, align.FolderOptions{Images: warped, Landmarks: lm, Template: tpl, Out: aligned})
	if err != nil || sum.Aligned != 95 || sum.NoLandmarks != 1 {
		t.Fatalf("align: %+v, %v", sum, err)
	}

	online, offline := filepath.Join(dir, "run-online"), filepath.Join(dir, "run-offline")
	t.Chdir(dir) // relative --data and --landmarks
	if _, err := Run(ctx, Options{ConfigPath: cfgPath, DataPath: "warped", Landmarks: "landmarks.txt", OutDir: online}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, Options{ConfigPath: cfgPath, DataPath: aligned, OutDir: offline}); err != nil {
		t.Fatal(err)
	}
	tensorsEqual(t, filepath.Join(online, LastFile), filepath.Join(offline, LastFile))
	if a, b := stepLosses(t, filepath.Join(online, MetricsFile)), stepLosses(t, filepath.Join(offline, MetricsFile)); len(a) == 0 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("losses aligned on the fly %v, aligned beforehand %v", a, b)
	}
	log, err := os.ReadFile(filepath.Join(online, LogFile))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("data.landmarks %s: aligned 95 images, skipped 1 without landmarks: %s", lmPath, filepath.Join(warped, skip))
	if !strings.Contains(string(log), want) {
		t.Errorf("training.log lacks %q:\n%s", want, log)
	}
	saved, err := LoadConfig(filepath.Join(online, ConfigFile), nil)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Data.Landmarks != lmPath || saved.Data.Path != warped {
		t.Errorf("saved config: data.path %q, data.landmarks %q; want %q, %q", saved.Data.Path, saved.Data.Landmarks, warped, lmPath)
	}
}

// TestLandmarkRefusals starts runs whose landmark settings cannot work, each
// into a new run directory: each is refused naming the problem (the
// landmark file and line, the key) and leaves no directory behind.
func TestLandmarkRefusals(t *testing.T) {
	dir := t.TempDir()
	warped, lmPath := warpedFaces(t, dir, "")
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
	}{
		{warped, fourPoints, nil, []string{fourPoints + ":2"}},
		{warped, nan, nil, []string{nan + ":2"}},
		{warped, far, nil, []string{far + ":1", "far outside"}},
		{warped, none, nil, []string{none, "none of the 96 images"}},
		{warped, lmPath, []string{"data.landmark_template=nosuch"}, []string{"data.landmark_template", "nosuch"}},
		{"", lmPath, nil, []string{"data.landmarks", "data.path"}},
		{warped, "", []string{"data.landmark_template=sphereface"}, []string{"data.landmark_template needs data.landmarks"}},
		{pack, lmPath, nil, []string{pack, "ImageFolder"}},
		{warped, filepath.Join(dir, "missing.txt"), nil, []string{"missing.txt"}},
	} {
		run := filepath.Join(t.TempDir(), "run")
		_, err := Run(context.Background(), Options{ConfigPath: cfgPath, DataPath: tc.data, Landmarks: tc.landmarks, OutDir: run, Sets: tc.sets})
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
