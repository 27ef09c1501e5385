package data

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Open opens the dataset at path by its kind: a directory is an
// ImageFolder tree, a ".rec" file an insightface RecordIO (with its ".idx"
// when present), a ".pack" file a cocotrain pack.
func Open(path string) (Source, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return OpenImageFolder(path)
	}
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".rec":
		return OpenRecordIO(path)
	case ".pack":
		return OpenPack(path)
	default:
		return nil, fmt.Errorf("%s: unknown dataset kind %q (want a directory, a .rec or a .pack file)", path, ext)
	}
}

// Digest returns a short hex fingerprint of a Source's listing (class
// names, item names and labels, not the pixels): a checkpoint records it
// so a resume on different data is noticed.
func Digest(src Source) string {
	h := sha256.New()
	var n [8]byte
	put := func(v int) {
		binary.LittleEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	put(len(src.Classes()))
	for _, c := range src.Classes() {
		put(len(c))
		h.Write([]byte(c))
	}
	put(src.Len())
	for i := 0; i < src.Len(); i++ {
		name := filepath.Base(src.Name(i))
		put(len(name))
		h.Write([]byte(name))
		put(src.Label(i))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// WithSourceCrop returns c with the crop that training on src applies. A
// pack holds its images cropped already (Pack.Preprocessed); when c sets no
// crop, the pack's is the one the model learns from, and it is returned in
// c so that the run's config and checkpoints record it and verification and
// embedding crop raw images the same way. Other sources leave c as it is.
func (c Config) WithSourceCrop(src Source) Config {
	pp, ok := src.(interface{ Preprocessed() Preprocess })
	if !ok || c.Crop != [4]int{} || c.CenterCrop != 0 {
		return c
	}
	made := pp.Preprocessed()
	c.Crop, c.CenterCrop = made.Crop, made.CenterCrop
	return c
}
