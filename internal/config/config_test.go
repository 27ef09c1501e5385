package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

type modelCfg struct {
	Arch      string  `yaml:"arch"`
	InputSize int     `yaml:"input_size"`
	Dropout   float64 `yaml:"dropout"`
}

type schedCfg struct {
	Kind       string    `yaml:"kind"`
	Milestones []float64 `yaml:"milestones"`
}

type optimCfg struct {
	Name     string   `yaml:"name"`
	LR       float64  `yaml:"lr"`
	Nesterov bool     `yaml:"nesterov"`
	Schedule schedCfg `yaml:"schedule"`
}

type common struct {
	Seed uint64 `yaml:"seed"`
}

type dataCfg struct {
	Crop   [4]int         `yaml:"crop"`
	Every  time.Duration  `yaml:"every"`
	Labels map[string]int `yaml:"labels"`
	Note   string         `yaml:"note"`
}

// testCfg has the shapes a cocotrain config uses: sections, nested
// sections, lists, arrays, bools, durations, maps, an inline struct and an
// optional section behind a pointer.
type testCfg struct {
	Model  modelCfg  `yaml:"model"`
	Optim  optimCfg  `yaml:"optim"`
	Data   dataCfg   `yaml:"data"`
	Common common    `yaml:",inline"`
	Extra  *modelCfg `yaml:"extra"`
	// hidden is unexported: Load and the key lists in errors must skip it
	// (read only by reflection, hence never by name).
	hidden int
}

func defaults() testCfg {
	return testCfg{
		Model: modelCfg{Arch: "tiny", InputSize: 64},
		Optim: optimCfg{Name: "sgd", LR: 0.1, Schedule: schedCfg{Kind: "cosine", Milestones: []float64{8, 14}}},
		Data:  dataCfg{Crop: [4]int{0, 0, 64, 64}, Every: time.Minute},
	}
}

func write(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	path := write(t, `
model:
  arch: mobilefacenet
  input_size: 112
optim:
  nesterov: true
  schedule: {kind: multistep, milestones: [10, 20.5]}
data:
  crop: [1, 2, 3, 4]
  every: 90s
  labels: {a: 1}
seed: 7
extra:
  arch: x
`)
	got := defaults()
	if err := Load(path, &got); err != nil {
		t.Fatal(err)
	}
	want := defaults()
	want.Model.Arch, want.Model.InputSize = "mobilefacenet", 112
	want.Optim.Nesterov = true
	want.Optim.Schedule = schedCfg{Kind: "multistep", Milestones: []float64{10, 20.5}}
	want.Data = dataCfg{Crop: [4]int{1, 2, 3, 4}, Every: 90 * time.Second, Labels: map[string]int{"a": 1}}
	want.Common.Seed = 7
	want.Extra = &modelCfg{Arch: "x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("loaded\n%+v\nwant\n%+v", got, want)
	}
	merged := defaults()
	if err := Load(write(t, "model: &m {arch: m, input_size: 8}\nextra:\n  <<: *m\n  dropout: 0.5\n"), &merged); err != nil {
		t.Fatal(err)
	}
	if *merged.Extra != (modelCfg{Arch: "m", InputSize: 8, Dropout: 0.5}) {
		t.Errorf("merge key: extra = %+v", *merged.Extra)
	}
	if err := Load(write(t, "model: &m {arch: m, oops: 8}\nextra:\n  <<: *m\n"), &merged); err == nil || !strings.Contains(err.Error(), `"model.oops"`) {
		t.Errorf("merge of a bad mapping: error %v", err)
	}
	empty := defaults()
	if err := Load(write(t, "# nothing\n"), &empty); err != nil || !reflect.DeepEqual(empty, defaults()) {
		t.Errorf("empty file: %v, %+v", err, empty)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"model:\n  arch: x\noptim:\n  schedule:\n    kindd: poly\n", `:5: unknown key "optim.schedule.kindd" (valid keys in optim.schedule: kind, milestones)`},
		{"modle: {}\n", `:1: unknown key "modle" (valid keys in the top level: model, optim, data, seed, extra)`},
		{"model:\n  input_size: big\n", ":2: model.input_size: want int, got !!str `big`"},
		{"optim:\n  schedule:\n    milestones: [1, x]\n", ":3: optim.schedule.milestones[1]: want float64, got !!str `x`"},
		{"optim: 3\n", ":1: optim must be a mapping of keys (name, lr, nesterov, schedule)"},
		{"data:\n  every: soon\n", ":2: data.every:"},
		{"model:\n  arch: [\n", "line"},
		{"model: {}\n---\nmodel: {}\n", "more than one YAML document"},
		{"model:\n  arch: a\n  arch: b\n", `"arch" already defined`},
		{"extra:\n  nope: 1\n", `unknown key "extra.nope"`},
		{"base: &b {arch: x, bad: 1}\n", `unknown key "base"`},
	} {
		path := write(t, tc.text)
		cfg := defaults()
		err := Load(path, &cfg)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q naming the file", tc.text, err, tc.want)
		}
	}
	if err := Load(filepath.Join(t.TempDir(), "none.yaml"), &testCfg{}); err == nil {
		t.Error("no error for a missing file")
	}
}

func TestSet(t *testing.T) {
	cfg := defaults()
	for _, a := range []string{
		"model.arch=iresnet18",
		"model.dropout=0.4",
		"optim.nesterov=true",
		"optim.schedule.milestones=[3, 6.5]",
		"data.crop=[9, 8, 7, 6]",
		"data.every=2m",
		"data.labels.b=2",
		"data.note=",
		"seed=42",
		"extra.input_size=5",
		"optim.schedule={kind: poly}",
		"extra=null",
		"extra.input_size=5",
	} {
		if err := Set(&cfg, a); err != nil {
			t.Fatalf("Set(%q): %v", a, err)
		}
	}
	want := defaults()
	want.Model.Arch, want.Model.Dropout = "iresnet18", 0.4
	want.Optim.Nesterov = true
	want.Optim.Schedule = schedCfg{Kind: "poly", Milestones: []float64{3, 6.5}}
	want.Data.Crop, want.Data.Every, want.Data.Labels = [4]int{9, 8, 7, 6}, 2*time.Minute, map[string]int{"b": 2}
	want.Common.Seed = 42
	want.Extra = &modelCfg{InputSize: 5}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("after Set\n%+v\nwant\n%+v", cfg, want)
	}
}

func TestSetErrors(t *testing.T) {
	for _, tc := range []struct{ a, want string }{
		{"optim.lrr=0.1", `unknown key "optim.lrr" (valid keys in optim: name, lr, nesterov, schedule)`},
		{"optim.lr=fast", "optim.lr: want float64, got !!str `fast`"},
		{"optim.lr=", `optim.lr: empty value "", want a float64`},
		{"optim.schedule=#0", `optim.schedule: empty value "#0"`},
		{"model.input_size=1.5", "model.input_size: want int, got !!float `1.5`"},
		{"seed=-1", "seed: want uint64"},
		{"optim.nesterov=maybe", "optim.nesterov: want bool"},
		{"model.arch.x=1", `"model.arch" is a value, not a section with key "x"`},
		{"optim.schedule={kinds: x}", `unknown key "optim.schedule.kinds"`},
		{"data.crop=[1, 2]", "data.crop"},
		{"optim.lr=[1", "not YAML"},
		{"optim.lr=~", `optim.lr: null value "~", want a float64`},
		{"optim.schedule=null", `optim.schedule: null value "null"`},
		{"optim.lr", "want key=value"},
		{"=3", "want key=value"},
	} {
		cfg := defaults()
		err := Set(&cfg, tc.a)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Set(%q): error %v, want %q", tc.a, err, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	cfg := defaults()
	cfg.Data.Note = "two\nlines: yes"
	cfg.Data.Labels = map[string]int{"z": 1, "a": 2}
	out := Format(&cfg)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, want := range []string{
		"model.arch                 tiny",
		"optim.schedule.milestones  [8, 14]",
		"data.crop                  [0, 0, 64, 64]",
		"data.every                 1m0s",
		`data.note                  "two\nlines: yes"`,
		"extra                      null",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("Format lacks %q:\n%s", want, out)
		}
	}
	// Every printed value, fed back through Set, rebuilds the config.
	var rebuilt testCfg
	for _, l := range lines {
		k, v, _ := strings.Cut(l, " ")
		if err := Set(&rebuilt, k+"="+strings.TrimSpace(v)); err != nil {
			t.Fatalf("Set(%q): %v", l, err)
		}
	}
	if !reflect.DeepEqual(rebuilt, cfg) {
		t.Errorf("rebuilt from Format\n%+v\nwant\n%+v", rebuilt, cfg)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	cfg := defaults()
	cfg.Extra = &modelCfg{Arch: "e", Dropout: 0.5}
	cfg.Common.Seed = 3
	cfg.Data.Labels = map[string]int{"k": 1}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := WriteFile(path, &cfg); err != nil {
		t.Fatal(err)
	}
	var back testCfg
	if err := Load(path, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, cfg) {
		t.Errorf("round trip\n%+v\nwant\n%+v", back, cfg)
	}
}

// FuzzSet: Set never panics, and a config it accepts survives Marshal and
// Decode unchanged.
func FuzzSet(f *testing.F) {
	for _, s := range []string{"optim.lr=0.1", "optim.schedule={kind: poly, milestones: [1]}", "data.labels.x=3",
		"data.every=1h", "model.arch='a: b'", "extra.arch=x", "seed=-1", "optim.lr=.nan", "data.crop=[1,2,3,4]",
		"model=", "a.b.c.d=", "optim.nesterov=~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, a string) {
		cfg := defaults()
		if Set(&cfg, a) != nil {
			return
		}
		b, err := Marshal(&cfg)
		if err != nil {
			t.Fatalf("Marshal after Set(%q): %v", a, err)
		}
		var back testCfg
		if err := Decode(b, "marshalled", &back); err != nil {
			t.Fatalf("Decode after Set(%q): %v\n%s", a, err, b)
		}
		b2, err := Marshal(&back)
		if err != nil || string(b2) != string(b) {
			t.Fatalf("Set(%q): round trip changed\n%s\nto\n%s", a, b, b2)
		}
	})
}

// FuzzDecode: Decode never panics, and a config it accepts survives Marshal
// and Decode unchanged.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"model:\n  arch: x\n", "optim: {schedule: {milestones: [1, 2]}}\n", "data:\n  every: 3s\n  labels: {a: 1}\n",
		"seed: 1\nextra: {dropout: .5}\n", "a: &x 1\nseed: *x\n", "model: [1]\n", "---\n---\n", "model:\n\tarch: x\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg := defaults()
		if Decode(b, "fuzz.yaml", &cfg) != nil {
			return
		}
		m, err := Marshal(&cfg)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		var back testCfg
		if err := Decode(m, "marshalled", &back); err != nil {
			t.Fatalf("Decode of marshalled config: %v\n%s", err, m)
		}
		if m2, _ := Marshal(&back); string(m2) != string(m) {
			t.Fatalf("round trip changed\n%s\nto\n%s", m, m2)
		}
	})
}
