// Package fileio writes output files so that no reader ever sees a partial
// one: the content goes to a temporary file beside the destination, which is
// renamed over it only once complete. A failed write leaves the previous
// file (or none) and no temporary behind. Every error names the destination.
package fileio

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// File is a temporary file written in place of Path. It is an *os.File
// (Write, WriteAt, ...): fill it, then Commit it to Path, or Abort.
type File struct {
	*os.File
	// Path is the destination.
	Path   string
	target string // Path with symbolic links resolved: what the rename replaces
	direct bool   // Path is a device or pipe written in place (see Create)
	done   bool   // committed or aborted
}

// Create starts a temporary file ".<base>.tmp-*" in path's directory. When
// path is an existing device or pipe (/dev/stdout, a FIFO) there is nothing
// to rename over, and it is opened and written directly. When path is a
// symbolic link, the file it points to is the one replaced (the link stays).
func Create(path string) (*File, error) {
	target := path
	if t, err := filepath.EvalSymlinks(path); err == nil {
		target = t
	}
	if st, err := os.Stat(target); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return nil, fmt.Errorf("%s: is a directory", path)
		}
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		return &File{File: f, Path: path, direct: true}, nil
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &File{File: f, Path: path, target: target}, nil
}

// Commit closes the file and renames it over Path with mode 0644. When
// durable, the file is fsynced before the rename and the directory after
// it, so that the new content survives a crash (checkpoints, packs). On
// error Path is untouched and the temporary file is removed.
func (f *File) Commit(durable bool) (err error) {
	if f.done {
		return fmt.Errorf("%s: committed or aborted already", f.Path)
	}
	f.done = true
	if f.direct {
		return f.wrap(f.Close())
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = f.wrap(err)
		}
	}()
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if durable {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), f.target); err != nil {
		return err
	}
	if durable {
		return syncDir(filepath.Dir(f.target))
	}
	return nil
}

// Abort closes and removes the temporary file; after Commit it does
// nothing, so it can be deferred right after Create.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	if !f.direct {
		os.Remove(f.Name())
	}
}

// wrap names the destination in err (nil stays nil).
func (f *File) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", f.Path, err)
}

// WriteFile writes path with write, which gets a buffered writer over a
// temporary file (see Create) that is committed when write succeeds.
func WriteFile(path string, write func(w io.Writer) error) error {
	return writeFile(path, write, false)
}

// WriteFileDurable is WriteFile with a durable commit (see Commit).
func WriteFileDurable(path string, write func(w io.Writer) error) error {
	return writeFile(path, write, true)
}

// buffers recycles WriteFile's 64 KiB buffers (synth writes thousands of
// small files in parallel).
var buffers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}

// writeFile is WriteFile and WriteFileDurable.
func writeFile(path string, write func(w io.Writer) error, durable bool) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	bw := buffers.Get().(*bufio.Writer)
	bw.Reset(f)
	defer func() { bw.Reset(nil); buffers.Put(bw) }()
	if err := write(bw); err != nil {
		return f.wrap(err)
	}
	if err := bw.Flush(); err != nil {
		return f.wrap(err)
	}
	return f.Commit(durable)
}

// syncDir fsyncs a directory so that a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}
