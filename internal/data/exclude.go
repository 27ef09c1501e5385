package data

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Exclusion is the identities named by the pairs files of data.exclude_pairs:
// the people of a verification set, kept out of a training set so that the
// verification measures people the network never saw.
type Exclusion struct {
	// Files are the pairs files in the order given.
	Files []ExcludedFile
	// names are the identities of all the files.
	names map[string]bool
}

// ExcludedFile is one pairs file of an Exclusion and what it names.
type ExcludedFile struct {
	// Path is the file as given.
	Path string
	// Names are the distinct identities of its pairs, in first-seen order.
	Names []string
}

// ReadExclusion parses the pairs files at paths (LFW pairs.txt: View 1's
// pairsDevTrain.txt and pairsDevTest.txt with a single count header, View 2's
// pairs.txt with a "folds pairs-per-fold" header; see ParsePairs) and collects
// the identities they name. A file that does not parse is an error naming
// it and the line. No paths is an empty exclusion.
func ReadExclusion(paths []string) (*Exclusion, error) {
	ex := &Exclusion{names: map[string]bool{}}
	for _, path := range paths {
		p, err := ReadPairsFile(path)
		if err != nil {
			return nil, fmt.Errorf("data.exclude_pairs: %w", err)
		}
		f := ExcludedFile{Path: path}
		seen := map[string]bool{}
		for _, pr := range p.Pairs {
			for _, n := range []string{pr.Name1, pr.Name2} {
				if !seen[n] {
					seen[n] = true
					f.Names = append(f.Names, n)
				}
				ex.names[n] = true
			}
		}
		ex.Files = append(ex.Files, f)
	}
	return ex, nil
}

// Empty reports whether the exclusion names no file.
func (ex *Exclusion) Empty() bool { return ex == nil || len(ex.Files) == 0 }

// Has reports whether identity name is excluded.
func (ex *Exclusion) Has(name string) bool { return ex != nil && ex.names[name] }

// ExcludeStats says what an Exclusion removed from a training set.
type ExcludeStats struct {
	// Files has one entry per pairs file, in order.
	Files []ExcludeFileStats
	// Classes and Images are the identities and images removed (each
	// counted once however many files name it), of SetClasses identities
	// and SetImages images in the set as opened.
	Classes, Images       int
	SetClasses, SetImages int
}

// ExcludeFileStats is what one pairs file named and removed.
type ExcludeFileStats struct {
	Path string
	// Names is the number of distinct identities the file names; Found how
	// many of them the training set has, with Images images.
	Names, Found, Images int
}

// Stats counts what ex removes from a set with the given class names and
// images per class (counts[k] images of classes[k]).
func (ex *Exclusion) Stats(classes []string, counts []int) ExcludeStats {
	st := ExcludeStats{SetClasses: len(classes)}
	index := make(map[string]int, len(classes))
	for k, c := range classes {
		index[c] = k
		st.SetImages += counts[k]
		if ex.Has(c) {
			st.Classes++
			st.Images += counts[k]
		}
	}
	if ex == nil {
		return st
	}
	for _, f := range ex.Files {
		fs := ExcludeFileStats{Path: f.Path, Names: len(f.Names)}
		for _, n := range f.Names {
			if k, ok := index[n]; ok {
				fs.Found++
				fs.Images += counts[k]
			}
		}
		st.Files = append(st.Files, fs)
	}
	return st
}

// Lines describes the exclusion for the training log: the total removed,
// then one line per file (a file that names no identity of the set says
// so: it removed nothing). No lines without pairs files.
func (st ExcludeStats) Lines() []string {
	if len(st.Files) == 0 {
		return nil
	}
	lines := []string{fmt.Sprintf("data.exclude_pairs: removed %d identities and %d images (of %d identities, %d images) named by %d pairs file(s)",
		st.Classes, st.Images, st.SetClasses, st.SetImages, len(st.Files))}
	for _, f := range st.Files {
		if f.Found == 0 {
			lines = append(lines, fmt.Sprintf("  %s: names %d identities, none of them in the training set (0 removed)", f.Path, f.Names))
			continue
		}
		lines = append(lines, fmt.Sprintf("  %s: names %d identities, %d of them in the training set (%d images)", f.Path, f.Names, f.Found, f.Images))
	}
	return lines
}

// checkExcludable refuses an exclusion on a source whose identities have no
// names to match a pairs file's: an insightface RecordIO numbers them.
func checkExcludable(src Source, ex *Exclusion) error {
	if ex.Empty() {
		return nil
	}
	if r, ok := src.(*RecordIO); ok {
		return fmt.Errorf("data.exclude_pairs (%s): %s is a RecordIO set whose identities are numbers, not names, so the pairs file's names cannot be matched: exclude from an ImageFolder tree (or a pack made from one) instead",
			strings.Join(exPaths(ex), ", "), filepath.Clean(r.path))
	}
	return nil
}

// exPaths returns the paths of ex's files.
func exPaths(ex *Exclusion) []string {
	var p []string
	for _, f := range ex.Files {
		p = append(p, f.Path)
	}
	return p
}
