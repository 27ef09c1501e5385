package data

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // JPEG decoder for image.Decode
	_ "image/png"  // PNG decoder for image.Decode
	"os"
	"path/filepath"
	"strings"

	_ "golang.org/x/image/bmp" // BMP decoder for image.Decode
)

// imageExts are the file extensions (lower case) ImageFolder and LoadLFW
// read; everything else in a dataset tree is ignored.
var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".bmp": true, ".pgm": true}

// isImageFile reports whether a directory entry name looks like an image
// this package decodes: a known extension and not a hidden file.
func isImageFile(name string) bool {
	return !strings.HasPrefix(name, ".") && imageExts[strings.ToLower(filepath.Ext(name))]
}

// ImageFolder is a Source over image files: in a dataset tree
// root/<identity>/<image> each sub-directory is one identity (sorted by
// name) and its JPEG, PNG, BMP and PGM files are its images (sorted by
// name). Hidden files and directories, other files (".info", ".bad",
// logs...) and identities without images are ignored.
type ImageFolder struct {
	// Root is the tree's directory ("" for a list of files).
	Root    string
	classes []string
	paths   []string
	labels  []int
}

// OpenImageFolder lists the dataset tree at root.
func OpenImageFolder(root string) (*ImageFolder, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	f := &ImageFolder{Root: root}
	for _, e := range entries { // os.ReadDir sorts by name
		dir := filepath.Join(root, e.Name())
		if strings.HasPrefix(e.Name(), ".") || !isKind(e, dir, true) {
			continue
		}
		files, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		label := len(f.classes)
		n := 0
		for _, file := range files {
			p := filepath.Join(dir, file.Name())
			if isImageFile(file.Name()) && isKind(file, p, false) {
				f.paths = append(f.paths, p)
				f.labels = append(f.labels, label)
				n++
			}
		}
		if n > 0 {
			f.classes = append(f.classes, e.Name())
		}
	}
	if len(f.paths) == 0 {
		return nil, fmt.Errorf("%s: no images found (expected %s/<identity>/<image>.{jpg,png,bmp,pgm})", root, root)
	}
	return f, nil
}

// isKind reports whether the entry at path is a directory (dir) or a
// regular file (!dir), following a symbolic link.
func isKind(e os.DirEntry, path string, dir bool) bool {
	mode := e.Type()
	if mode&os.ModeSymlink != 0 {
		st, err := os.Stat(path)
		if err != nil {
			return false
		}
		mode = st.Mode()
	}
	if dir {
		return mode.IsDir()
	}
	return mode.IsRegular()
}

// NewFileList is a Source over the given image files: paths[i] shows
// identity classes[labels[i]].
func NewFileList(paths []string, labels []int, classes []string) *ImageFolder {
	return &ImageFolder{paths: paths, labels: labels, classes: classes}
}

// Len is the number of images.
func (f *ImageFolder) Len() int { return len(f.paths) }

// Classes returns the identity names (the sub-directory names).
func (f *ImageFolder) Classes() []string { return f.classes }

// Label returns the identity of image i.
func (f *ImageFolder) Label(i int) int { return f.labels[i] }

// Name returns the path of image i.
func (f *ImageFolder) Name(i int) string { return f.paths[i] }

// Image reads and decodes image i; errors name the file.
func (f *ImageFolder) Image(i int) (image.Image, error) {
	return decodeFile(f.paths[i])
}

// decodeFile reads and decodes one image file; errors name it.
func decodeFile(path string) (image.Image, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return decodeBytes(b, path)
}

// decodeBytes decodes an encoded image; name appears in the error.
func decodeBytes(b []byte, name string) (image.Image, error) {
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: decoding image: %w", name, err)
	}
	return img, nil
}
