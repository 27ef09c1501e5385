package train

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/config"
	"github.com/cocotrain/cocotrain/internal/eval"
	"github.com/cocotrain/cocotrain/internal/synth"
)

// twoBins writes smallConfig and two insightface bins of synthetic faces
// beside it: lfw.bin (the run's own synthetic pairs) and cfp_fp.bin (the
// pairs of another synthetic seed). It returns the config's path and the
// two bins.
func twoBins(t *testing.T) (cfgPath, lfw, cfp string) {
	t.Helper()
	dir := t.TempDir()
	cfgPath = filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(cfgPath, []byte(smallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	lfw, cfp = filepath.Join(dir, "lfw.bin"), filepath.Join(dir, "cfp_fp.bin")
	for i, path := range []string{lfw, cfp} {
		sc := cfg.Synth
		sc.Seed += uint64(i)
		syn, err := newSynthSet(context.Background(), sc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, lfwBin(t, syn.val), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return cfgPath, lfw, cfp
}

// TestTrainTwoValBins trains with two --val-bin files and each train.best_on:
// every verification (steps 4, 8 and the final 12) scores both sets, in
// order, as one metrics.jsonl record and one training.log line each; the
// final report lists both; the curves draw one per set; and
// best.safetensors holds the step where best_on's score (a set's accuracy
// or the mean of the two) first peaked.
func TestTrainTwoValBins(t *testing.T) {
	cfgPath, lfw, cfp := twoBins(t)
	var first *Metrics
	for _, bestOn := range []string{"", "lfw", "cfp_fp", "mean"} {
		dir := t.TempDir()
		var out bytes.Buffer
		res, err := Run(context.Background(), Options{ConfigPath: cfgPath, ValBins: []string{lfw, cfp}, OutDir: dir, Stdout: &out,
			Sets: []string{"train.best_on=" + bestOn}})
		if err != nil {
			t.Fatalf("best_on %q: %v", bestOn, err)
		}
		m, err := ReadMetrics(filepath.Join(dir, MetricsFile))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range m.Vals {
			got = append(got, fmt.Sprintf("%d %s", v.Step, v.ValSet))
		}
		if want := []string{"4 lfw", "4 cfp_fp", "8 lfw", "8 cfp_fp", "12 lfw", "12 cfp_fp"}; !slices.Equal(got, want) {
			t.Fatalf("best_on %q: metrics.jsonl verifications %q, want %q", bestOn, got, want)
		}
		if first == nil {
			first = m
		} else if !reflect.DeepEqual(m.Vals, first.Vals) {
			t.Errorf("best_on %q changed the verifications: %+v, before %+v", bestOn, m.Vals, first.Vals)
		}
		log, err := os.ReadFile(filepath.Join(dir, LogFile))
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []int{4, 8, 12} {
			for _, want := range []string{"verification on lfw: ", "verification on cfp_fp: ", "verification: mean accuracy "} {
				if n := strings.Count(string(log), fmt.Sprintf("step %d %s", step, want)); n != 1 {
					t.Errorf("best_on %q: training.log has %d lines \"step %d %s\", want 1", bestOn, n, step, want)
				}
			}
		}
		if len(res.Reports) != 2 || res.Reports[0].Set != "lfw" || res.Reports[1].Set != "cfp_fp" || res.Report != res.Reports[0].Report {
			t.Fatalf("best_on %q: reports %+v", bestOn, res.Reports)
		}
		for i, r := range res.Reports {
			final := m.Vals[4+i]
			if r.AccuracyMean != final.ValAccuracy || r.AccuracyStd != final.ValStd {
				t.Errorf("best_on %q: final report on %s %v ± %v, metrics.jsonl %v ± %v", bestOn, r.Set, r.AccuracyMean, r.AccuracyStd, final.ValAccuracy, final.ValStd)
			}
			if line := fmt.Sprintf("verification on %s (%d pairs, 10 folds): accuracy %.4f", r.Set, r.Pairs, r.AccuracyMean); !strings.Contains(out.String(), line) {
				t.Errorf("best_on %q: the final report lacks %q:\n%s", bestOn, line, out.String())
			}
		}
		if !strings.Contains(out.String(), "mean accuracy over the 2 sets: ") {
			t.Errorf("best_on %q: the final report has no mean:\n%s", bestOn, out.String())
		}

		// best.safetensors: the first step of the highest score.
		bestStep, bestScore := 0, math.Inf(-1)
		for k := 0; k < len(m.Vals); k += 2 {
			a, b := m.Vals[k].ValAccuracy, m.Vals[k+1].ValAccuracy
			score := (a + b) / 2
			switch bestOn {
			case "lfw":
				score = a
			case "cfp_fp":
				score = b
			}
			if score > bestScore {
				bestStep, bestScore = m.Vals[k].Step, score
			}
		}
		best, err := ReadCheckpoint(filepath.Join(dir, BestFile))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("best_on %q: best at step %d, score %v", bestOn, best.Step, best.ValAcc)
		if best.Step != bestStep || best.ValAcc != bestScore {
			t.Errorf("best_on %q: best.safetensors at step %d with %v, want step %d with %v", bestOn, best.Step, best.ValAcc, bestStep, bestScore)
		}

		ps := m.Panels()
		vp := ps[len(ps)-1]
		if len(vp.Series) != 2 || vp.Series[0].Name != "lfw" || vp.Series[1].Name != "cfp_fp" ||
			!slices.Equal(vp.Series[1].X, []float64{4, 8, 12}) || vp.Series[1].Y[2] != res.Reports[1].AccuracyMean {
			t.Errorf("best_on %q: verification curves %+v", bestOn, vp.Series)
		}
	}
}

// TestValSetsScore checks what best.safetensors follows on reports whose
// best set differs from their best mean.
func TestValSetsScore(t *testing.T) {
	rep := func(acc float64) *eval.Report {
		return &eval.Report{Verification: eval.Verification{AccuracyMean: acc}}
	}
	reps := []ValReport{{"lfw", rep(0.9)}, {"cfp_fp", rep(0.6)}, {"agedb_30", rep(0.75)}}
	sets := []namedSet{{name: "lfw"}, {name: "cfp_fp"}, {name: "agedb_30"}}
	for bestOn, want := range map[string]float64{"": 0.75, "mean": 0.75, "lfw": 0.9, "cfp_fp": 0.6, "agedb_30": 0.75} {
		if got := (&valSets{sets: sets, bestOn: bestOn}).score(reps); math.Abs(got-want) > 1e-12 {
			t.Errorf("best_on %q: score %v, want %v", bestOn, got, want)
		}
	}
}

// TestValBinConfig reads train.val_bin as a YAML string (the form configs
// had when a run had one set), a list, and empty; --set takes a list; the
// saved config.yaml reads back; and the printed config sets it again.
func TestValBinConfig(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		yaml string
		want Paths
	}{
		{"val_bin: /data/lfw.bin", Paths{"/data/lfw.bin"}},
		{"val_bin: [/data/lfw.bin, /data/cfp_fp.bin]", Paths{"/data/lfw.bin", "/data/cfp_fp.bin"}},
		{"val_bin:\n    - /data/lfw.bin\n    - /data/agedb_30.bin", Paths{"/data/lfw.bin", "/data/agedb_30.bin"}},
		{`val_bin: ""`, nil},
		{"val_bin: []", Paths{}},
	} {
		path := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(path, []byte("train:\n  "+tc.yaml+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path, nil)
		if err != nil {
			t.Fatalf("%q: %v", tc.yaml, err)
		}
		if len(cfg.Train.ValBin) != len(tc.want) || !slices.Equal(cfg.Train.ValBin, tc.want) {
			t.Errorf("%q: val_bin %q, want %q", tc.yaml, cfg.Train.ValBin, tc.want)
		}
		saved := filepath.Join(dir, "saved.yaml")
		if err := writeConfig(saved, cfg); err != nil {
			t.Fatal(err)
		}
		back, err := LoadConfig(saved, nil)
		if err != nil || !slices.Equal(back.Train.ValBin, cfg.Train.ValBin) {
			t.Errorf("%q: saved and read back: %q, %v", tc.yaml, back.Train.ValBin, err)
		}
	}
	cfg, err := LoadConfig("", []string{"train.val_bin=[a/lfw.bin, b/calfw.bin]", "train.best_on=calfw"})
	if err != nil || !slices.Equal(cfg.Train.ValBin, Paths{"a/lfw.bin", "b/calfw.bin"}) {
		t.Fatalf("--set train.val_bin=[...]: %q, %v", cfg.Train.ValBin, err)
	}
	var line string
	for _, l := range strings.Split(config.Format(cfg), "\n") {
		if strings.HasPrefix(l, "train.val_bin ") {
			line = l
		}
	}
	k, v, _ := strings.Cut(line, " ")
	again, err := LoadConfig("", []string{k + "=" + strings.TrimSpace(v)})
	if err != nil || !slices.Equal(again.Train.ValBin, cfg.Train.ValBin) {
		t.Errorf("the printed %q sets %q, %v", line, again.Train.ValBin, err)
	}
	if _, err := LoadConfig(filepath.Join(dir, "none.yaml"), nil); err == nil {
		t.Error("no error for a missing config")
	}
	path := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(path, []byte("train:\n  val_bin: {a: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(path, nil); err == nil || !strings.Contains(err.Error(), path+":2:") || !strings.Contains(err.Error(), "val_bin") {
		t.Errorf("val_bin as a mapping: %v, want an error naming %s:2 and the key", err, path)
	}
}

// TestValSetRefusals starts runs whose verification sets cannot work, each
// into a new run directory: each is refused naming the problem (the file,
// the clashing names, the bad best_on) and leaves no directory behind.
func TestValSetRefusals(t *testing.T) {
	cfgPath, lfw, cfp := twoBins(t)
	notPickle := filepath.Join(t.TempDir(), "agedb_30.bin")
	if err := os.WriteFile(notPickle, []byte("PK\x03\x04 a zip file, not a pickle"), 0o644); err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(t.TempDir(), "calfw.bin")
	b, err := os.ReadFile(lfw)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	otherLFW := filepath.Join(t.TempDir(), "lfw.bin")
	if err := os.WriteFile(otherLFW, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		bins []string
		sets []string
		want []string
	}{
		{[]string{lfw, notPickle}, nil, []string{notPickle}},
		{[]string{truncated, lfw}, nil, []string{truncated}},
		{[]string{lfw, cfp, otherLFW}, nil, []string{`two verification sets are named "lfw"`, lfw, otherLFW}},
		{[]string{lfw, cfp}, []string{"train.best_on=agedb_30"}, []string{`train.best_on "agedb_30"`, "lfw, cfp_fp"}},
		{nil, []string{"train.best_on=lfw"}, []string{`train.best_on "lfw"`, "synthetic"}},
		{[]string{lfw, filepath.Join(t.TempDir(), "missing.bin")}, nil, []string{"missing.bin"}},
	} {
		dir := filepath.Join(t.TempDir(), "run")
		_, err := Run(context.Background(), Options{ConfigPath: cfgPath, ValBins: tc.bins, OutDir: dir, Sets: tc.sets})
		for _, w := range tc.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%v %v: %v, want an error naming %q", tc.bins, tc.sets, err, w)
			}
		}
		if _, serr := os.Stat(dir); !os.IsNotExist(serr) {
			t.Errorf("%v %v: refused (%v) but left %s behind", tc.bins, tc.sets, err, dir)
		}
	}
}

// TestResumeTwoValBins interrupts a run verified on two bins with
// train.best_on=lfw after step 6 and at step 8 (before its verification,
// which the resumed run owes first), resumes it from the checkpoint's
// config, and checks that it ends as the straight run: the same
// verification records and the same best and last checkpoints.
func TestResumeTwoValBins(t *testing.T) {
	ctx := context.Background()
	cfgPath, lfw, cfp := twoBins(t)
	opt := func(dir string) Options {
		return Options{ConfigPath: cfgPath, ValBins: []string{lfw, cfp}, OutDir: dir, Sets: []string{"train.best_on=lfw"}}
	}
	straight := t.TempDir()
	if _, err := Run(ctx, opt(straight)); err != nil {
		t.Fatal(err)
	}
	resumed := t.TempDir()
	for i, stop := range []int{6, 8} {
		cctx, cancel := context.WithCancel(ctx)
		o := opt(resumed)
		if i > 0 {
			o = Options{OutDir: resumed, Resume: true}
		}
		o.AfterStep = func(step int) {
			if step == stop {
				cancel()
			}
		}
		_, err := Run(cctx, o)
		cancel()
		var ie *InterruptedError
		if !errors.As(err, &ie) || ie.Step != stop {
			t.Fatalf("interrupt at %d: %v", stop, err)
		}
	}
	if _, err := Run(ctx, Options{OutDir: resumed, Resume: true}); err != nil {
		t.Fatal(err)
	}
	a, err := ReadMetrics(filepath.Join(straight, MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadMetrics(filepath.Join(resumed, MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Vals) != 6 || !reflect.DeepEqual(a.Vals, b.Vals) {
		t.Errorf("verifications straight %+v, resumed %+v", a.Vals, b.Vals)
	}
	tensorsEqual(t, filepath.Join(straight, BestFile), filepath.Join(resumed, BestFile))
	tensorsEqual(t, filepath.Join(straight, LastFile), filepath.Join(resumed, LastFile))
}

// TestTrainValBinAndValDir verifies on a bin and an LFW-layout directory at
// once: the bin first, the directory named by its name; a bin of the
// directory's name is refused.
func TestTrainValBinAndValDir(t *testing.T) {
	cfgPath, lfw, cfp := twoBins(t)
	cfg, err := LoadConfig(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	faces := filepath.Join(t.TempDir(), "faces")
	if _, err := synth.WriteTree(context.Background(), cfg.Synth, faces); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := Run(context.Background(), Options{ConfigPath: cfgPath, ValBins: []string{cfp}, ValDir: filepath.Join(faces, "lfw"),
		ValPairs: filepath.Join(faces, "pairs.txt"), OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Reports) != 2 || res.Reports[0].Set != "cfp_fp" || res.Reports[1].Set != "lfw" {
		t.Fatalf("reports %+v, want cfp_fp then lfw", res.Reports)
	}
	m, err := ReadMetrics(filepath.Join(dir, MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Vals) != 6 || m.Vals[4].ValSet != "cfp_fp" || m.Vals[5].ValSet != "lfw" || m.Vals[5].ValAccuracy != res.Reports[1].AccuracyMean {
		t.Errorf("metrics.jsonl verifications %+v", m.Vals)
	}
	_, err = Run(context.Background(), Options{ConfigPath: cfgPath, ValBins: []string{lfw}, ValDir: filepath.Join(faces, "lfw"),
		ValPairs: filepath.Join(faces, "pairs.txt"), OutDir: filepath.Join(t.TempDir(), "run")})
	if err == nil || !strings.Contains(err.Error(), `two verification sets are named "lfw"`) {
		t.Errorf("lfw.bin with an lfw directory: %v, want the clash named", err)
	}
}
