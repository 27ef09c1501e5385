package synth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

func tinyConfig(channels int) Config {
	c := DefaultConfig()
	c.Identities, c.PerIdentity = 3, 2
	c.EvalIdentities, c.EvalPerIdentity = 20, 3
	c.Size, c.Channels = 16, channels
	return c
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

func TestWriteTreeReadsBack(t *testing.T) {
	for _, ch := range []int{1, 3} {
		c := tinyConfig(ch)
		dir := t.TempDir()
		var out bytes.Buffer
		if err := Run(context.Background(), c, dir, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "3 identities × 2 images = 6") || !strings.Contains(out.String(), "10 folds × (6 matched + 6 mismatched)") {
			t.Fatalf("summary:\n%s", out.String())
		}
		g := newGen(t, c)
		var files []string
		err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := 6 + 60 + 1; len(files) != want {
			t.Fatalf("%d files written, want %d", len(files), want)
		}
		// Training images are the generator's pixels, in the generator's format.
		m := decodePNG(t, filepath.Join(dir, "train", "id00002", "0002.png"))
		if !bytes.Equal(pixels(m), pixels(g.Render(2, 1))) {
			t.Fatalf("channels %d: train/id00002/0002.png differs from Render(2, 1) (%T)", ch, m)
		}
		// Every image of pairs.txt exists and holds its identity's render.
		pairs, err := data.ReadPairsFile(filepath.Join(dir, "pairs.txt"))
		if err != nil {
			t.Fatal(err)
		}
		if pairs.Folds != Folds || pairs.PerFold != c.PairsPerFold() {
			t.Fatalf("pairs.txt header %d×%d", pairs.Folds, pairs.PerFold)
		}
		pr := pairs.Pairs[len(pairs.Pairs)-1]
		path := filepath.Join(dir, "lfw", pr.Name2, fmt.Sprintf("%s_%04d.png", pr.Name2, pr.Index2))
		var j int
		fmt.Sscanf(pr.Name2, "Synth_Person_%d", &j)
		if !bytes.Equal(pixels(decodePNG(t, path)), pixels(g.Render(c.Identities+j-1, pr.Index2-1))) {
			t.Fatalf("%s differs from its render", path)
		}
		for _, pr := range pairs.Pairs {
			for _, x := range []struct {
				n string
				i int
			}{{pr.Name1, pr.Index1}, {pr.Name2, pr.Index2}} {
				if _, err := os.Stat(filepath.Join(dir, "lfw", x.n, fmt.Sprintf("%s_%04d.png", x.n, x.i))); err != nil {
					t.Fatal(err)
				}
			}
		}
		// A second write into the same directory is refused.
		if err := Run(context.Background(), c, dir, &out); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("second write: %v", err)
		}
	}
}

func TestWriteTreeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := tinyConfig(1)
	c.Identities, c.PerIdentity = 50, 20
	if _, err := WriteTree(ctx, c, t.TempDir()); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled write returned %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*Config){
		"channels 2 must be 1 or 3":       func(c *Config) { c.Channels = 2 },
		"size 4 must be in":               func(c *Config) { c.Size = 4 },
		"eval_identities 5":               func(c *Config) { c.EvalIdentities = 5 },
		"eval_per_identity 1":             func(c *Config) { c.EvalPerIdentity = 1 },
		"per_identity 0 must be positive": func(c *Config) { c.PerIdentity = 0 },
		"nuisance.yaw 90 must be in":      func(c *Config) { c.Nuisance.Yaw = 90 },
		"nuisance.noise -1":               func(c *Config) { c.Nuisance.Noise = -1 },
		"difficulty 5 must be in":         func(c *Config) { c.Difficulty = 5 },
		"(after difficulty 3)":            func(c *Config) { c.Difficulty = 3 },
		"texture 1.5 must be in 0..1":     func(c *Config) { c.Texture = 1.5 },
		"nuisance.pitch 50 must be in":    func(c *Config) { c.Nuisance.Pitch = 50 },
		"nuisance.clutter -0.1":           func(c *Config) { c.Nuisance.Clutter = -0.1 },
		"nuisance.grin 2 must be in":      func(c *Config) { c.Nuisance.Grin = 2 },
	} {
		c := DefaultConfig()
		edit(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}
