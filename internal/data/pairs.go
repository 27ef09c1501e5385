package data

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Pair is one verification pair of LFW's pairs.txt: image Index1 of Name1
// against image Index2 of Name2 (1-based, as in Name_0001.jpg). A matched
// pair has Name1 == Name2.
type Pair struct {
	Name1  string
	Index1 int
	Name2  string
	Index2 int
}

// Same reports whether the pair is a matched (same identity) pair.
func (p Pair) Same() bool { return p.Name1 == p.Name2 }

// Pairs is a parsed pairs file: Folds folds, each of PerFold matched pairs
// followed by PerFold mismatched pairs, in file order. LFW View 2 is 10 folds
// of 300 + 300; a View 1 file (single count header) is one fold.
type Pairs struct {
	Folds, PerFold int
	Pairs          []Pair
}

// Fold returns the pairs of fold i (0-based).
func (p *Pairs) Fold(i int) []Pair {
	n := 2 * p.PerFold
	return p.Pairs[i*n : (i+1)*n]
}

// ReadPairsFile parses the pairs file at path.
func ReadPairsFile(path string) (*Pairs, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParsePairs(f, path)
}

// ParsePairs parses a pairs file from r; name is used in error messages,
// which give the line number and what was expected there.
func ParsePairs(r io.Reader, name string) (*Pairs, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	next := func() ([]string, bool) {
		for sc.Scan() {
			line++
			if f := strings.Fields(sc.Text()); len(f) > 0 {
				return f, true
			}
		}
		return nil, false
	}
	errf := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	head, ok := next()
	if !ok {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return nil, fmt.Errorf("%s: empty pairs file (expected a header such as \"10\\t300\")", name)
	}
	p := &Pairs{Folds: 1}
	switch len(head) {
	case 1:
		n, err := strconv.Atoi(head[0])
		if err != nil || n <= 0 {
			return nil, errf("header %q: expected a positive pair count", head[0])
		}
		p.PerFold = n
	case 2:
		folds, err1 := strconv.Atoi(head[0])
		per, err2 := strconv.Atoi(head[1])
		if err1 != nil || err2 != nil || folds <= 0 || per <= 0 {
			return nil, errf("header %q: expected \"<folds>\\t<pairs per fold>\" with positive numbers", strings.Join(head, " "))
		}
		p.Folds, p.PerFold = folds, per
	default:
		return nil, errf("header has %d fields: expected \"<folds>\\t<pairs per fold>\" or \"<pairs>\"", len(head))
	}
	const maxPairs = 1 << 24
	if p.Folds > maxPairs || p.PerFold > maxPairs || p.Folds*p.PerFold > maxPairs/2 {
		return nil, errf("header announces %d×%d pairs: too many", p.Folds, 2*p.PerFold)
	}
	p.Pairs = make([]Pair, 0, min(2*p.Folds*p.PerFold, 1<<14)) // grows as lines arrive
	index := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && n > 0
	}
	for fold := 0; fold < p.Folds; fold++ {
		for k := 0; k < 2*p.PerFold; k++ {
			matched := k < p.PerFold
			f, ok := next()
			if !ok {
				if err := sc.Err(); err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				return nil, fmt.Errorf("%s: ended after %d pairs, header announces %d (%d folds of %d matched + %d mismatched)",
					name, len(p.Pairs), 2*p.Folds*p.PerFold, p.Folds, p.PerFold, p.PerFold)
			}
			var pr Pair
			if matched {
				n1, ok1 := 0, len(f) == 3
				n2, ok2 := 0, ok1
				if ok1 {
					n1, ok1 = index(f[1])
					n2, ok2 = index(f[2])
				}
				if !ok1 || !ok2 {
					return nil, errf("fold %d pair %d: expected a matched pair \"name n1 n2\" with positive image numbers, got %q",
						fold+1, k+1, strings.Join(f, " "))
				}
				pr = Pair{f[0], n1, f[0], n2}
			} else {
				n1, ok1 := 0, len(f) == 4
				n2, ok2 := 0, ok1
				if ok1 {
					n1, ok1 = index(f[1])
					n2, ok2 = index(f[3])
				}
				if !ok1 || !ok2 || f[0] == f[2] {
					return nil, errf("fold %d pair %d: expected a mismatched pair \"name1 n1 name2 n2\" of two different names, got %q",
						fold+1, k+1, strings.Join(f, " "))
				}
				pr = Pair{f[0], n1, f[2], n2}
			}
			p.Pairs = append(p.Pairs, pr)
		}
	}
	if f, ok := next(); ok {
		return nil, errf("unexpected extra line %q after %d pairs", strings.Join(f, " "), len(p.Pairs))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// Write writes p in the pairs.txt format: a "folds\tperfold" header (a single
// count for a one-fold file), then tab-separated pair lines.
func (p *Pairs) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if p.Folds == 1 {
		fmt.Fprintf(bw, "%d\n", p.PerFold)
	} else {
		fmt.Fprintf(bw, "%d\t%d\n", p.Folds, p.PerFold)
	}
	for _, pr := range p.Pairs {
		if pr.Same() {
			fmt.Fprintf(bw, "%s\t%d\t%d\n", pr.Name1, pr.Index1, pr.Index2)
		} else {
			fmt.Fprintf(bw, "%s\t%d\t%s\t%d\n", pr.Name1, pr.Index1, pr.Name2, pr.Index2)
		}
	}
	return bw.Flush()
}
