package data

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// lfwExts is the order in which LoadLFW tries image extensions.
var lfwExts = []string{".jpg", ".png", ".jpeg", ".pgm", ".bmp"}

// LoadLFW reads an LFW-style benchmark: the images dir/Name/Name_0001.jpg
// (or .png, .jpeg, .pgm, .bmp) referenced by the pairs file at pairsPath
// (see ParsePairs). In an identity directory with no file named in LFW's
// Name_NNNN way (any ImageFolder, such as those `cocotrain pairs` draws
// from), image n is instead the n-th image file in name order, as
// OpenImageFolder lists them. Each referenced image is listed once; labels
// are the names (sorted). Missing images are reported together, with the
// first few, and the identities that have no directory.
func LoadLFW(dir, pairsPath string) (*VerificationSet, error) {
	pairs, err := ReadPairsFile(pairsPath)
	if err != nil {
		return nil, err
	}
	type identity struct {
		exists bool
		stems  map[string]string // file stem → file name
		images []string          // image files in name order
		lfw    bool              // some file is named Name_NNNN
	}
	files := map[string]*identity{}
	listing := func(name string) *identity {
		if id, ok := files[name]; ok {
			return id
		}
		id := &identity{stems: map[string]string{}}
		entries, err := os.ReadDir(filepath.Join(dir, name))
		id.exists = err == nil
		for _, e := range entries {
			if !isImageFile(e.Name()) || !isKind(e, filepath.Join(dir, name, e.Name()), false) {
				continue
			}
			ext := strings.ToLower(filepath.Ext(e.Name()))
			stem := strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
			if old, ok := id.stems[stem]; !ok || extRank(ext) < extRank(filepath.Ext(old)) {
				id.stems[stem] = e.Name()
			}
			id.images = append(id.images, e.Name())
			if n := strings.TrimPrefix(stem, name+"_"); len(n) == 4 && len(stem) == len(name)+5 && strings.Trim(n, "0123456789") == "" {
				id.lfw = true
			}
		}
		files[name] = id
		return id
	}
	type key struct {
		name string
		n    int
	}
	index := map[key]int{}
	var keys []key
	resolved := map[key]string{}
	var missing, absent []string
	lookup := func(name string, n int) int {
		k := key{name, n}
		if i, ok := index[k]; ok {
			return i
		}
		id := listing(name)
		stem := fmt.Sprintf("%s_%04d", name, n)
		switch {
		case !id.exists:
			if !slices.Contains(absent, name) {
				absent = append(absent, name)
			}
			missing = append(missing, filepath.Join(dir, name, stem+".jpg"))
		case id.lfw || len(id.images) == 0:
			if f, ok := id.stems[stem]; ok {
				resolved[k] = f
			} else {
				missing = append(missing, filepath.Join(dir, name, stem+".jpg"))
			}
		case n <= len(id.images):
			resolved[k] = id.images[n-1]
		default:
			missing = append(missing, fmt.Sprintf("%s (image %d of %d)", filepath.Join(dir, name), n, len(id.images)))
		}
		index[k] = len(keys)
		keys = append(keys, k)
		return index[k]
	}
	v := &VerificationSet{Folds: pairs.Folds}
	for _, p := range pairs.Pairs {
		v.Left = append(v.Left, lookup(p.Name1, p.Index1))
		v.Right = append(v.Right, lookup(p.Name2, p.Index2))
		v.Same = append(v.Same, p.Same())
	}
	if len(missing) > 0 {
		show := missing[:min(len(missing), 5)]
		err := fmt.Errorf("%s: %d of its %d images are missing under %s, e.g. %s", pairsPath, len(missing), len(keys), dir, strings.Join(show, ", "))
		if len(absent) > 0 {
			err = fmt.Errorf("%w; it names %d identities that are not directories there: %s", err, len(absent), strings.Join(absent[:min(len(absent), 5)], ", "))
		}
		return nil, err
	}
	names := map[string]int{}
	for _, k := range keys {
		names[k.name] = 0
	}
	classes := make([]string, 0, len(names))
	for n := range names {
		classes = append(classes, n)
	}
	sort.Strings(classes)
	for i, c := range classes {
		names[c] = i
	}
	paths, labels := make([]string, len(keys)), make([]int, len(keys))
	for i, k := range keys {
		paths[i] = filepath.Join(dir, k.name, resolved[k])
		labels[i] = names[k.name]
	}
	v.Images = NewFileList(paths, labels, classes)
	return v, nil
}

// extRank is the preference of an image extension in LoadLFW.
func extRank(ext string) int {
	for i, e := range lfwExts {
		if strings.EqualFold(e, ext) {
			return i
		}
	}
	return len(lfwExts)
}
