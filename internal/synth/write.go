package synth

import (
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/cocotrain/cocotrain/internal/fileio"
)

// Summary describes a tree written by WriteTree.
type Summary struct {
	Dir                 string        // the --out directory
	TrainIdentities     int           // identities under train/
	TrainImages         int           // images under train/
	EvalIdentities      int           // identities under lfw/
	EvalImages          int           // images under lfw/
	Folds, PairsPerFold int           // pairs.txt layout (0 without verification identities)
	Size, Channels      int           // image size and channels
	Seed                uint64        // the generator seed
	Elapsed             time.Duration // wall time of rendering and writing
	TrainDir, LFWDir    string        // dir/train and dir/lfw
	PairsFile           string        // dir/pairs.txt
}

// Print writes the summary as a few aligned lines.
func (s *Summary) Print(w io.Writer) error {
	rate := float64(s.TrainImages+s.EvalImages) / max(s.Elapsed.Seconds(), 1e-9)
	pairs := "none (no verification identities)"
	if s.Folds > 0 {
		pairs = fmt.Sprintf("%s  %d folds × (%d matched + %d mismatched)", s.PairsFile, s.Folds, s.PairsPerFold, s.PairsPerFold)
	}
	_, err := fmt.Fprintf(w, `synthetic faces written to %s (seed %d, %d×%d, %d channel(s)) in %.1fs, %.0f images/s
  train:      %s  %d identities × %d images = %d
  lfw:        %s  %d identities, %d images
  pairs.txt:  %s
`, s.Dir, s.Seed, s.Size, s.Size, s.Channels, s.Elapsed.Seconds(), rate,
		s.TrainDir, s.TrainIdentities, s.TrainImages/max(s.TrainIdentities, 1), s.TrainImages,
		s.LFWDir, s.EvalIdentities, s.EvalImages, pairs)
	return err
}

// Run writes the synthetic set of cfg under dir and prints its summary to w:
// the `cocotrain synth` command.
func Run(ctx context.Context, cfg Config, dir string, w io.Writer) error {
	s, err := WriteTree(ctx, cfg, dir)
	if err != nil {
		return err
	}
	return s.Print(w)
}

// WriteTree writes the synthetic set of cfg as PNG files: dir/train/<id>/NNNN.png
// (training identities, "id00042/0001.png"), dir/lfw/<Name>/<Name>_NNNN.png
// (verification identities) and dir/pairs.txt (LFW View 2). It refuses to
// write over an existing tree. Rendering runs on all cores; the files do not
// depend on the number of cores. On cancellation it stops and returns
// ctx.Err(), leaving the files written so far.
func WriteTree(ctx context.Context, cfg Config, dir string) (*Summary, error) {
	g, err := NewGenerator(cfg)
	if err != nil {
		return nil, err
	}
	s := &Summary{
		Dir: dir, TrainIdentities: cfg.Identities, TrainImages: cfg.Identities * cfg.PerIdentity,
		EvalIdentities: cfg.EvalIdentities, EvalImages: cfg.EvalIdentities * cfg.EvalPerIdentity,
		Size: cfg.Size, Channels: cfg.Channels, Seed: cfg.Seed,
		TrainDir: filepath.Join(dir, "train"), LFWDir: filepath.Join(dir, "lfw"), PairsFile: filepath.Join(dir, "pairs.txt"),
	}
	for _, p := range []string{s.TrainDir, s.LFWDir, s.PairsFile} {
		if _, err := os.Stat(p); err == nil {
			return nil, fmt.Errorf("synth: %s already exists: choose a new --out directory", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	start := time.Now()

	type job struct{ id, k int }
	var paths []string
	var jobs []job
	mkdir := func(d string) error { return os.MkdirAll(d, 0o755) }
	for i := 0; i < cfg.Identities; i++ {
		d := filepath.Join(s.TrainDir, TrainName(i))
		if err := mkdir(d); err != nil {
			return nil, err
		}
		for k := 0; k < cfg.PerIdentity; k++ {
			paths = append(paths, filepath.Join(d, fmt.Sprintf("%04d.png", k+1)))
			jobs = append(jobs, job{i, k})
		}
	}
	for j := 0; j < cfg.EvalIdentities; j++ {
		name := EvalName(j)
		d := filepath.Join(s.LFWDir, name)
		if err := mkdir(d); err != nil {
			return nil, err
		}
		for k := 0; k < cfg.EvalPerIdentity; k++ {
			paths = append(paths, filepath.Join(d, fmt.Sprintf("%s_%04d.png", name, k+1)))
			jobs = append(jobs, job{cfg.Identities + j, k})
		}
	}

	next := make(chan int)
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range next {
				if err := writePNG(paths[n], g, jobs[n].id, jobs[n].k); err != nil {
					select {
					case errc <- err:
					default:
					}
				}
			}
		}()
	}
	var sendErr error
feed:
	for n := range jobs {
		select {
		case next <- n:
		case err := <-errc:
			sendErr = err
			break feed
		case <-ctx.Done():
			sendErr = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	if sendErr == nil {
		select {
		case sendErr = <-errc:
		default:
		}
	}
	if sendErr != nil {
		return nil, sendErr
	}

	if cfg.EvalIdentities > 0 {
		pairs := g.Pairs()
		s.Folds, s.PairsPerFold = pairs.Folds, pairs.PerFold
		if err := fileio.WriteFile(s.PairsFile, pairs.Write); err != nil {
			return nil, err
		}
	}
	s.Elapsed = time.Since(start)
	return s, nil
}

// writePNG renders image k of identity id into the PNG file path.
func writePNG(path string, g *Generator, id, k int) error {
	return fileio.WriteFile(path, func(w io.Writer) error { return png.Encode(w, g.Render(id, k)) })
}
