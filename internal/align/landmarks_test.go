package align

import (
	"strings"
	"testing"
)

const listFile = `# path x1 y1 ... x5 y5
a/1.jpg 38.3 51.7 73.5 51.5 56.0 71.7 41.5 92.4 70.7 92.2

b\2.png,30,50,60,50,45,70,33,90,58,90
`

func TestParseLandmarksList(t *testing.T) {
	l, err := ParseLandmarks([]byte(listFile), "lm.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Entries) != 2 {
		t.Fatalf("%d entries, want 2", len(l.Entries))
	}
	e, ok := l.Lookup("a/1.jpg")
	if !ok || e.Line != 2 || e.Points[4] != (Point{70.7, 92.2}) || e.Points[0] != (Point{38.3, 51.7}) {
		t.Errorf("a/1.jpg: %+v, %v", e, ok)
	}
	e, ok = l.Lookup("b/2.png")
	if !ok || e.Line != 4 || e.Points[2] != (Point{45, 70}) {
		t.Errorf("b/2.png (backslash path, commas): %+v, %v", e, ok)
	}
	if _, ok := l.Lookup("c/3.jpg"); ok {
		t.Error("c/3.jpg found")
	}
}

func TestParseLandmarksJSON(t *testing.T) {
	in := `[
  {"path": "a/1.jpg", "landmarks": [[38.3, 51.7], [73.5, 51.5], [56, 71.7], [41.5, 92.4], [70.7, 92.2]]},
  {"path": "./b/2.png",
   "landmarks": [[30, 50], [60, 50], [45, 70], [33, 90], [58, 90]]}
]`
	l, err := ParseLandmarks([]byte(in), "lm.json")
	if err != nil {
		t.Fatal(err)
	}
	e, ok := l.Lookup("b/2.png")
	if !ok || e.Line != 3 || e.Points[3] != (Point{33, 90}) {
		t.Errorf("b/2.png: %+v, %v", e, ok)
	}
	if e, _ := l.Lookup("a/1.jpg"); e.Line != 2 {
		t.Errorf("a/1.jpg on line %d, want 2", e.Line)
	}
}

func TestParseLandmarksErrors(t *testing.T) {
	const ok5 = " 1 2 3 4 5 6 7 8 9 10"
	for _, c := range []struct{ name, in, want string }{
		{"4 points", "a.jpg 1 2 3 4 5 6 7 8\n", "lm:1: expected \"path x1 y1"},
		{"NaN", "a.jpg" + ok5 + "\nb.jpg 1 2 NaN 4 5 6 7 8 9 10\n", "lm:2: landmark 2 of b.jpg is not a finite number"},
		{"Inf", "a.jpg 1 2 3 4 5 6 7 8 9 +Inf\n", "lm:1: landmark 5 of a.jpg is not a finite"},
		{"word", "\n\na.jpg 1 2 3 x 5 6 7 8 9 10\n", "lm:3: coordinate 4 \"x\" is not a number"},
		{"duplicate", "a/b.jpg" + ok5 + "\n./a/b.jpg" + ok5 + "\n", "lm:2: a/b.jpg already has landmarks on line 1"},
		{"escape", "../x.jpg" + ok5 + "\n", "lm:1: image path \"../x.jpg\" must be relative"},
		{"absolute", "/x.jpg" + ok5 + "\n", "lm:1: image path \"/x.jpg\" must be relative"},
		{"empty", "# nothing\n\n", "lm: no landmarks"},
		{"json 4 points", "[\n{\"path\": \"a.jpg\", \"landmarks\": [[1,2],[3,4],[5,6],[7,8]]}]", "lm:2: a.jpg: expected 5 landmarks"},
		{"json 3 coords", "[{\"path\": \"a.jpg\", \"landmarks\": [[1,2],[3,4],[5,6],[7,8],[9,10,11]]}]", "lm:1: a.jpg: landmark 5 has 3 coordinates"},
		{"json no path", "[\n\n{\"landmarks\": []}]", "lm:3: entry has no \"path\""},
		{"json syntax", "[\n{\"path\": \"a.jpg\",\n \"landmarks\": [[1,2],[3,4],[5,6],[7,8],[9,NaN]]}]", "lm:3: invalid JSON"},
		{"json type", "[\n{\"path\": 7, \"landmarks\": []}]", "lm:2: json: cannot unmarshal"},
		{"json open", "[{\"path\": \"a.jpg\", \"landmarks\": [[1,2],[3,4],[5,6],[7,8],[9,10]]}", "the JSON array is not closed"},
		{"json trailing", "[]\n{}", "lm:2: unexpected content after"},
	} {
		_, err := ParseLandmarks([]byte(c.in), "lm")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

func TestLandmarksCheck(t *testing.T) {
	l, err := ParseLandmarks([]byte("a.jpg 10 10 20 10 15 15 -20 30 25 130\nb.jpg 10 10 20 10 15 15 12 20 500 20\n"), "lm")
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Check(l.Entries[0], 100, 100); err != nil {
		t.Errorf("points slightly outside: %v", err)
	}
	err = l.Check(l.Entries[1], 100, 100)
	if err == nil || !strings.Contains(err.Error(), "lm:2: b.jpg: landmark 5 (500, 20) lies far outside the 100×100 image") {
		t.Errorf("far point: %v", err)
	}
}

// FuzzParseLandmarks checks that any input either parses into entries that
// satisfy the documented invariants or fails with an error naming the file.
func FuzzParseLandmarks(f *testing.F) {
	f.Add([]byte(listFile))
	f.Add([]byte(`[{"path": "a/1.jpg", "landmarks": [[1,2],[3,4],[5,6],[7,8],[9,10]]}]`))
	f.Add([]byte("a.jpg 1 2 3 4 5 6 7 8\n"))
	f.Add([]byte("[\n{\"path\": \"a\", \"landmarks\": [[1e309,2],[3,4],[5,6],[7,8],[9,10]]}]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseLandmarks(b, "fuzz.txt")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.txt") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if len(l.Entries) == 0 {
			t.Fatal("no entries and no error")
		}
		for _, e := range l.Entries {
			if e.Line < 1 || e.Path == "" || strings.HasPrefix(e.Path, "../") || strings.HasPrefix(e.Path, "/") {
				t.Fatalf("bad entry %+v", e)
			}
			if got, ok := l.Lookup(e.Path); !ok || got.Line != e.Line {
				t.Fatalf("Lookup(%q) = %+v, %v", e.Path, got, ok)
			}
			for _, p := range e.Points {
				if p.X != p.X || p.Y != p.Y || p.X-p.X != 0 || p.Y-p.Y != 0 {
					t.Fatalf("non-finite point in %+v", e)
				}
			}
		}
	})
}
