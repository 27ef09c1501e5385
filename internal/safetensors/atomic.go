package safetensors

import (
	"fmt"
	"io"

	"github.com/cocotrain/cocotrain/internal/fileio"
)

// WriteFile writes f to path atomically and durably
// (fileio.WriteFileDurable): into a temporary file in the same directory,
// flushed and fsynced, then renamed over path, and the directory fsynced.
// On any failure the previous file at path is untouched and the temporary
// file is removed.
func WriteFile(path string, f *File) error {
	if err := fileio.WriteFileDurable(path, func(w io.Writer) error { return Encode(w, f) }); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	return nil
}
