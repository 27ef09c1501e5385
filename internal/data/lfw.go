package data

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// lfwExts is the order in which LoadLFW tries image extensions.
var lfwExts = []string{".jpg", ".png", ".jpeg", ".pgm", ".bmp"}

// LoadLFW reads an LFW-style benchmark: the images dir/Name/Name_0001.jpg
// (or .png, .jpeg, .pgm, .bmp) referenced by the pairs file at pairsPath
// (see ParsePairs). Each referenced image is listed once; labels are the
// names (sorted). Missing images are reported together, with the first
// few paths.
func LoadLFW(dir, pairsPath string) (*VerificationSet, error) {
	pairs, err := ReadPairsFile(pairsPath)
	if err != nil {
		return nil, err
	}
	files := map[string]map[string]string{} // name → file stem → file name
	listing := func(name string) map[string]string {
		if m, ok := files[name]; ok {
			return m
		}
		m := map[string]string{}
		entries, _ := os.ReadDir(filepath.Join(dir, name)) // a missing directory is missing images
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			stem := strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
			if old, ok := m[stem]; isImageFile(e.Name()) && (!ok || extRank(ext) < extRank(filepath.Ext(old))) {
				m[stem] = e.Name()
			}
		}
		files[name] = m
		return m
	}
	type key struct {
		name string
		n    int
	}
	index := map[key]int{}
	var keys []key
	var missing []string
	lookup := func(name string, n int) int {
		k := key{name, n}
		if i, ok := index[k]; ok {
			return i
		}
		stem := fmt.Sprintf("%s_%04d", name, n)
		if _, ok := listing(name)[stem]; !ok {
			missing = append(missing, filepath.Join(dir, name, stem+".jpg"))
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
		return nil, fmt.Errorf("%s: %d of its %d images are missing under %s, e.g. %s", pairsPath, len(missing), len(keys), dir, strings.Join(show, ", "))
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
		paths[i] = filepath.Join(dir, k.name, files[k.name][fmt.Sprintf("%s_%04d", k.name, k.n)])
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
