package align

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"strconv"
	"strings"
)

// Entry is the five landmarks of one image of a landmark file: left eye,
// right eye, nose tip, left and right mouth corners, in the image's pixels.
type Entry struct {
	// Path is the image path relative to the image root, slash-separated
	// and cleaned.
	Path   string
	Points [5]Point
	// Line is the entry's line in the file (1-based), for messages.
	Line int
}

// Landmarks is a parsed landmark file.
type Landmarks struct {
	// Name is the file the entries came from, for messages.
	Name    string
	Entries []Entry
	index   map[string]int
}

// Lookup returns the entry for the image at rel (relative to the image root,
// either separator).
func (l *Landmarks) Lookup(rel string) (Entry, bool) {
	i, ok := l.index[cleanRel(rel)]
	if !ok {
		return Entry{}, false
	}
	return l.Entries[i], true
}

// Check reports an error, naming the file, the line and the image, when a
// landmark of e lies far outside a w×h image: more than half the image's
// larger side beyond an edge, which no detector output for a face in the
// image does and a swapped coordinate or wrong file usually does.
func (l *Landmarks) Check(e Entry, w, h int) error {
	margin := float64(max(w, h)) / 2
	for i, p := range e.Points {
		if p.X < -margin || p.Y < -margin || p.X > float64(w)+margin || p.Y > float64(h)+margin {
			return fmt.Errorf("%s:%d: %s: landmark %d (%g, %g) lies far outside the %d×%d image", l.Name, e.Line, e.Path, i+1, p.X, p.Y, w, h)
		}
	}
	return nil
}

// ReadLandmarks reads the landmark file at path (see ParseLandmarks).
func ReadLandmarks(path string) (*Landmarks, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseLandmarks(b, path)
}

// ParseLandmarks parses a landmark file; name is used in messages. Two
// formats are read, told apart by the first non-blank character:
//
//   - a list (SphereFace's and insightface's): one image per line,
//     "relative/path x1 y1 x2 y2 x3 y3 x4 y4 x5 y5", fields separated by
//     white space or commas; blank lines and lines starting with # are
//     skipped;
//   - JSON ("["): an array of {"path": "relative/path", "landmarks":
//     [[x1, y1], …, [x5, y5]]}.
//
// Every coordinate must be a finite number, every path relative and inside
// the root (no ".."), and no path may appear twice. Errors name the file and
// the line.
func ParseLandmarks(b []byte, name string) (*Landmarks, error) {
	l := &Landmarks{Name: name, index: map[string]int{}}
	var err error
	if t := bytes.TrimLeft(b, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '[' {
		err = l.parseJSON(b)
	} else {
		err = l.parseList(b)
	}
	if err != nil {
		return nil, err
	}
	if len(l.Entries) == 0 {
		return nil, fmt.Errorf("%s: no landmarks in the file", name)
	}
	return l, nil
}

// add validates and records one entry.
func (l *Landmarks) add(e Entry) error {
	errf := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", l.Name, e.Line, fmt.Sprintf(format, args...))
	}
	for i, p := range e.Points {
		if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) {
			return errf("landmark %d of %s is not a finite number: (%g, %g)", i+1, e.Path, p.X, p.Y)
		}
	}
	if e.Path == "" {
		return errf("empty image path")
	}
	rel := cleanRel(e.Path)
	if path.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, "../") || rel == "." {
		return errf("image path %q must be relative to the image directory and inside it", e.Path)
	}
	if j, ok := l.index[rel]; ok {
		return errf("%s already has landmarks on line %d", rel, l.Entries[j].Line)
	}
	e.Path = rel
	l.index[rel] = len(l.Entries)
	l.Entries = append(l.Entries, e)
	return nil
}

func cleanRel(p string) string {
	return path.Clean(strings.ReplaceAll(p, `\`, "/"))
}

func (l *Landmarks) parseList(b []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		if len(f) != 11 {
			return fmt.Errorf("%s:%d: expected \"path x1 y1 … x5 y5\" (an image path and 5 landmarks, 11 fields), got %d fields", l.Name, line, len(f))
		}
		e := Entry{Path: f[0], Line: line}
		for i := 0; i < 10; i++ {
			v, err := strconv.ParseFloat(f[1+i], 64)
			if err != nil {
				return fmt.Errorf("%s:%d: coordinate %d %q is not a number", l.Name, line, i+1, f[1+i])
			}
			if i%2 == 0 {
				e.Points[i/2].X = v
			} else {
				e.Points[i/2].Y = v
			}
		}
		if err := l.add(e); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", l.Name, line+1, err)
	}
	return nil
}

// jsonEntry is one element of the JSON format; the coordinates are kept as
// raw numbers so that a wrong count is reported rather than truncated.
type jsonEntry struct {
	Path      *string     `json:"path"`
	Landmarks [][]float64 `json:"landmarks"`
}

func (l *Landmarks) parseJSON(b []byte) error {
	lineAt := func(off int64) int { return 1 + bytes.Count(b[:min(int(off), len(b))], []byte{'\n'}) }
	dec := json.NewDecoder(bytes.NewReader(b))
	wrap := func(err error) error {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return fmt.Errorf("%s:%d: invalid JSON: %v", l.Name, lineAt(se.Offset), se)
		case errors.As(err, &te):
			return fmt.Errorf("%s:%d: %s: expected {\"path\": string, \"landmarks\": [[x, y] ×5]}", l.Name, lineAt(te.Offset), te)
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return fmt.Errorf("%s:%d: the JSON array is not closed", l.Name, lineAt(int64(len(b))))
		}
		return fmt.Errorf("%s:%d: %w", l.Name, lineAt(dec.InputOffset()), err)
	}
	if _, err := dec.Token(); err != nil { // "["
		return wrap(err)
	}
	for dec.More() {
		// The element starts after the separator InputOffset points at.
		start := dec.InputOffset()
		for start < int64(len(b)) && strings.ContainsRune(", \t\r\n", rune(b[start])) {
			start++
		}
		line := lineAt(start)
		var je jsonEntry
		if err := dec.Decode(&je); err != nil {
			return wrap(err)
		}
		if je.Path == nil {
			return fmt.Errorf("%s:%d: entry has no \"path\"", l.Name, line)
		}
		e := Entry{Path: *je.Path, Line: line}
		if len(je.Landmarks) != 5 {
			return fmt.Errorf("%s:%d: %s: expected 5 landmarks [x, y], got %d", l.Name, line, *je.Path, len(je.Landmarks))
		}
		for i, p := range je.Landmarks {
			if len(p) != 2 {
				return fmt.Errorf("%s:%d: %s: landmark %d has %d coordinates, expected [x, y]", l.Name, line, *je.Path, i+1, len(p))
			}
			e.Points[i] = Point{p[0], p[1]}
		}
		if err := l.add(e); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // "]"
		return wrap(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s:%d: unexpected content after the JSON array", l.Name, lineAt(dec.InputOffset()))
	}
	return nil
}
