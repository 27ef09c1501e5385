package data

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/cocotrain/cocotrain/internal/fileio"
)

// PackOptions configures WritePack.
type PackOptions struct {
	// Preprocess gives the stored size, channels and crop.
	Preprocess Preprocess
	// SkipBad leaves out images that fail to decode (counted in the
	// stats) instead of stopping with an error naming the file.
	SkipBad bool
	// Workers is the number of decode goroutines (0: GOMAXPROCS).
	Workers int
	// Progress, when set, is called after each chunk with the number of
	// images done and the total.
	Progress func(done, total int)
	// Source is the dataset's path, named in errors about the dataset as a
	// whole (PackDataset sets it).
	Source string
}

// PackStats summarises a written pack file.
type PackStats struct {
	// Images is the number of images written, Skipped the unreadable ones
	// left out (with SkipBad), Classes the size of the identity table.
	Images, Skipped, Classes int
	// Bytes is the size of the pack file.
	Bytes int64
}

// packChunk is how many images are decoded in parallel before writing.
const packChunk = 256

// WritePack preprocesses every image of src and writes them, with the
// identity table and labels, as a pack file at path (through a temporary
// file fsynced and renamed into place, fileio.Create, so a failure leaves no
// partial pack).
func WritePack(ctx context.Context, path string, src Source, opt PackOptions) (st PackStats, err error) {
	pre := opt.Preprocess
	if err := pre.Validate(); err != nil {
		return st, err
	}
	for _, c := range src.Classes() {
		if len(c) == 0 || len(c) > 0xffff {
			return st, fmt.Errorf("pack: class name %q must have 1..65535 bytes", c)
		}
	}
	f, err := fileio.Create(path)
	if err != nil {
		return st, err
	}
	defer f.Abort()
	h := &packHeader{channels: pre.Channels, size: pre.Size, crop: pre.Crop, centerCrop: pre.CenterCrop, classes: src.Classes(),
		dataOffset: packDataOffset(src.Classes(), src.Len())}
	per := pre.Len()
	workers := Config{Workers: opt.Workers}.workers()
	buf := make([]uint8, packChunk*per)
	errs := make([]error, packChunk)
	off := h.dataOffset
	var firstBad error // the first image skipped, for the error when none is left
	for start := 0; start < src.Len(); start += packChunk {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		n := min(packChunk, src.Len()-start)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := w; j < n; j += workers {
					errs[j] = packImage(buf[j*per:(j+1)*per], src, start+j, pre)
				}
			}()
		}
		wg.Wait()
		for j := 0; j < n; j++ {
			if errs[j] != nil {
				if !opt.SkipBad {
					return st, errs[j]
				}
				if firstBad == nil {
					firstBad = errs[j]
				}
				st.Skipped++
				continue
			}
			if _, err := f.WriteAt(buf[j*per:(j+1)*per], off); err != nil {
				return st, fmt.Errorf("%s: %w", path, err)
			}
			off += int64(per)
			h.labels = append(h.labels, src.Label(start+j))
		}
		if opt.Progress != nil {
			opt.Progress(start+n, src.Len())
		}
	}
	h.images = len(h.labels)
	if h.images == 0 {
		return st, noImageError(opt.Source, src.Len(), firstBad)
	}
	if _, err := f.WriteAt(appendPackHeader(nil, h), 0); err != nil {
		return st, fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Commit(true); err != nil {
		return st, err
	}
	st.Images, st.Classes, st.Bytes = h.images, len(h.classes), off
	return st, nil
}

// noImageError is WritePack's error when no image of the dataset at source
// was written: tried images were attempted and failed, the first with first.
func noImageError(source string, tried int, first error) error {
	if source == "" {
		source = "the dataset"
	}
	if tried == 0 {
		return fmt.Errorf("pack: %s holds no images", source)
	}
	return fmt.Errorf("pack: no image of %s could be read: all %d tried failed, the first: %w", source, tried, first)
}

// packImage decodes and preprocesses image i of src into dst.
func packImage(dst []uint8, src Source, i int, pre Preprocess) error {
	img, err := src.Image(i)
	if err != nil {
		return err
	}
	if err := pre.Pixels(dst, img); err != nil {
		return fmt.Errorf("%s: %w", src.Name(i), err)
	}
	return nil
}

// PackDataset is `cocotrain pack`: it opens the dataset at dataPath (see
// Open), writes it as a pack file at outPath and prints a summary to w.
func PackDataset(ctx context.Context, dataPath, outPath string, opt PackOptions, w io.Writer) (PackStats, error) {
	src, err := Open(dataPath)
	if err != nil {
		return PackStats{}, err
	}
	if c, ok := src.(io.Closer); ok {
		defer c.Close()
	}
	opt.Source = dataPath
	st, err := WritePack(ctx, outPath, src, opt)
	if err != nil {
		return st, err
	}
	p := opt.Preprocess
	_, err = fmt.Fprintf(w, "packed %d images of %d identities from %s into %s (%d×%d×%d uint8, %d bytes); %d unreadable images skipped\n",
		st.Images, st.Classes, dataPath, outPath, p.Channels, p.Size, p.Size, st.Bytes, st.Skipped)
	return st, err
}
