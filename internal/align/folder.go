package align

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"

	"github.com/cocotrain/cocotrain/internal/data"
)

// FolderOptions says what AlignFolder does.
type FolderOptions struct {
	// Images is the ImageFolder tree to align (root/<identity>/<image>).
	Images string
	// Landmarks gives each image's five points by its path relative to Images.
	Landmarks *Landmarks
	// Template is where the points go.
	Template Template
	// Out is the directory to create (with its parents); it must not exist
	// or be empty.
	Out string
	// Report receives one line per image without landmarks (nil: discarded).
	Report io.Writer
}

// FolderSummary counts what AlignFolder did.
type FolderSummary struct {
	// Aligned images were written; NoLandmarks images had no entry in the
	// landmark file and were skipped; Unused entries named no image.
	Aligned, NoLandmarks, Unused int
}

// AlignFolder aligns every image of opt.Images that has landmarks and writes
// it under opt.Out at the same relative path, in the same format (Encode).
// The tree is written into a temporary directory beside opt.Out and renamed
// to it only when every image succeeded, so an error (an unreadable image,
// landmarks far outside their image, a degenerate set of points, a write
// failure, ctx cancelled) leaves no opt.Out. Errors name the image and, for
// landmark problems, the landmark file and line.
func AlignFolder(ctx context.Context, opt FolderOptions) (FolderSummary, error) {
	var sum FolderSummary
	report := opt.Report
	if report == nil {
		report = io.Discard
	}
	if err := checkOut(opt.Out); err != nil {
		return sum, err
	}
	src, err := data.OpenImageFolder(opt.Images)
	if err != nil {
		return sum, err
	}
	var paths, rels []string
	var labels []int
	used := map[string]bool{}
	for i := 0; i < src.Len(); i++ {
		rel, err := filepath.Rel(opt.Images, src.Name(i))
		if err != nil {
			return sum, err
		}
		e, ok := opt.Landmarks.Lookup(rel)
		if !ok {
			sum.NoLandmarks++
			fmt.Fprintf(report, "no landmarks: %s\n", src.Name(i))
			continue
		}
		used[e.Path] = true
		paths, rels, labels = append(paths, src.Name(i)), append(rels, rel), append(labels, src.Label(i))
	}
	sum.Unused = len(opt.Landmarks.Entries) - len(used)
	if len(paths) == 0 {
		return sum, fmt.Errorf("%s: none of the %d images of %s has landmarks in it", opt.Landmarks.Name, src.Len(), opt.Images)
	}
	faces, err := NewSource(data.NewFileList(paths, labels, src.Classes()), opt.Images, opt.Landmarks, opt.Template)
	if err != nil {
		return sum, err
	}
	parent, base := filepath.Split(filepath.Clean(opt.Out))
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return sum, err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return sum, fmt.Errorf("%s: %w", opt.Out, err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	for i, rel := range rels {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		out, err := faces.Image(i)
		if err != nil {
			return sum, err
		}
		dst := filepath.Join(tmp, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return sum, err
		}
		if err := writeImage(dst, out); err != nil {
			return sum, fmt.Errorf("%s: %w", filepath.Join(opt.Out, rel), err)
		}
		sum.Aligned++
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return sum, err
	}
	if st, err := os.Stat(opt.Out); err == nil && st.IsDir() {
		if err := os.Remove(opt.Out); err != nil { // empty, checked above
			return sum, fmt.Errorf("%s: %w", opt.Out, err)
		}
	}
	if err := os.Rename(tmp, opt.Out); err != nil {
		return sum, fmt.Errorf("%s: %w", opt.Out, err)
	}
	ok = true
	return sum, nil
}

// checkOut refuses an output path that exists and is not an empty directory.
func checkOut(out string) error {
	if out == "" {
		return errors.New("align: no output directory")
	}
	st, err := os.Stat(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s: exists and is not a directory", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s: exists and is not empty; give a new --out", out)
	}
	return nil
}

func writeImage(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := Encode(f, img, path); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
