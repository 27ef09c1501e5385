//go:build !unix

package data

import (
	"io"
	"os"
)

// mapFile reads the size bytes of f into memory (no mmap on this system).
func mapFile(f *os.File, size int64) (data []byte, unmap func() error, err error) {
	data = make([]byte, size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, nil, err
	}
	return data, func() error { return nil }, nil
}
