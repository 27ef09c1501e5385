package infer

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/cocotrain/cocotrain/internal/checkpoint"
	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/eval"
	"github.com/cocotrain/cocotrain/internal/npy"
)

// NamesSuffix is appended to the embeddings' .npy path for the file that
// names each row (the convention of export-centers).
const NamesSuffix = ".names.txt"

// EmbedOptions are the inputs of `cocotrain embed`.
type EmbedOptions struct {
	// Checkpoint is the model; Images a directory searched recursively for
	// JPEG, PNG, BMP and PGM files (in sorted path order).
	Checkpoint, Images string
	// Out is the .npy file of the N×d float32 embeddings (row i: image i,
	// L2-normalise(emb(image) + emb(mirror)), as verification scores them);
	// Names the text file of the N image paths relative to Images, one per
	// line (default Out + NamesSuffix).
	Out, Names string
	// Crop or CenterCrop replaces the crop of the checkpoint's config;
	// NoCrop removes it.
	Crop       [4]int
	CenterCrop int
	NoCrop     bool
	// NoFlip writes the embeddings of the images alone, without the mirror.
	NoFlip bool
	// BatchSize is the extraction batch size (0: 64); Threads the
	// network's goroutines (0: all cores).
	BatchSize, Threads int
	// Stdout receives a one-line summary.
	Stdout io.Writer
	// Progress, when set, is called after each batch with the images done
	// and the total.
	Progress func(done, total int)
}

// imageExts are the file extensions the data package decodes.
var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".bmp": true, ".pgm": true}

// listImages returns the image files under dir (relative paths, sorted) as a
// source labelled by their directory.
func listImages(dir string) (data.Source, []string, error) {
	var rel []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && path != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && imageExts[strings.ToLower(filepath.Ext(path))] {
			r, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			rel = append(rel, r)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if len(rel) == 0 {
		return nil, nil, fmt.Errorf("%s: no images found (jpg, jpeg, png, bmp, pgm)", dir)
	}
	paths, labels := make([]string, len(rel)), make([]int, len(rel))
	var classes []string
	index := map[string]int{}
	for i, r := range rel {
		paths[i] = filepath.Join(dir, r)
		c := filepath.Dir(r)
		k, ok := index[c]
		if !ok {
			k = len(classes)
			index[c] = k
			classes = append(classes, c)
		}
		labels[i] = k
	}
	return data.NewFileList(paths, labels, classes), rel, nil
}

// Embed writes the embeddings of every image under opt.Images, and their
// names, as the checkpoint's model computes them.
func Embed(ctx context.Context, opt EmbedOptions) error {
	if opt.Stdout == nil {
		opt.Stdout = io.Discard
	}
	if opt.Names == "" {
		opt.Names = opt.Out + NamesSuffix
	}
	m, err := checkpoint.LoadModel(opt.Checkpoint, opt.Threads)
	if err != nil {
		return err
	}
	src, names, err := listImages(opt.Images)
	if err != nil {
		return err
	}
	pp := usedPreprocess(m.Preprocess(), true, opt.Crop, opt.CenterCrop, opt.NoCrop)
	emb, err := eval.Extract(ctx, m, src, pp.Preprocess, eval.Options{BatchSize: opt.BatchSize, Progress: opt.Progress})
	if err != nil {
		return err
	}
	rows := emb.Flip
	if opt.NoFlip {
		rows = emb.NoFlip
	}
	if err := npy.WriteFile(opt.Out, &npy.Array{Shape: []int{emb.N, emb.Dim}, Data: rows}); err != nil {
		return err
	}
	if err := os.WriteFile(opt.Names, []byte(strings.Join(names, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	_, err = fmt.Fprintf(opt.Stdout, "wrote %d×%d embeddings to %s and their image names to %s\npreprocess: %s (from the %s)\n",
		emb.N, emb.Dim, opt.Out, opt.Names, pp.Describe(), pp.Source)
	return err
}
