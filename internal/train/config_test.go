package train

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/configs"
)

// TestConfigsLoad loads every bundled config, from disk and embedded.
func TestConfigsLoad(t *testing.T) {
	names, err := fs.Glob(configs.FS, "*.yaml")
	if err != nil || len(names) < 4 {
		t.Fatalf("embedded configs: %v %v", names, err)
	}
	for _, name := range names {
		cfg, err := LoadConfig(filepath.Join("../../configs", name), nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if cfg.Train.Epochs <= 0 || cfg.Model.Arch == "" {
			t.Errorf("%s: loaded %+v", name, cfg.Train)
		}
	}
	def, err := LoadConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	file, err := LoadConfig("../../configs/"+configs.Default, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(def.Train, file.Train) || def.Model != file.Model || def.Data.Path != "" {
		t.Errorf("embedded default %+v differs from configs/%s %+v", def.Train, configs.Default, file.Train)
	}
}

func TestLoadConfigOverridesAndErrors(t *testing.T) {
	cfg, err := LoadConfig("", []string{"train.epochs=7", "optim.lr=0.5", "model.arch=iresnet18"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Train.Epochs != 7 || cfg.Optim.LR != 0.5 || cfg.Model.Arch != "iresnet18" {
		t.Errorf("overrides not applied: %+v %v %v", cfg.Train, cfg.Optim.LR, cfg.Model.Arch)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("train:\n  epochs: 2\n  epoch: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		sets []string
		want string
	}{
		{bad, nil, "epoch"},
		{"", []string{"train.nosuch=1"}, "nosuch"},
		{"", []string{"train.epochs=0"}, "train.epochs"},
		{"", []string{"train.val_dir=x"}, "val_pairs"},
		{filepath.Join(dir, "missing.yaml"), nil, "missing.yaml"},
	} {
		_, err := LoadConfig(tc.path, tc.sets)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LoadConfig(%q, %q) = %v, want an error naming %q", tc.path, tc.sets, err, tc.want)
		}
	}
}
