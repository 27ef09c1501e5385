package data

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestPairsRoundTrip(t *testing.T) {
	p := &Pairs{Folds: 2, PerFold: 2, Pairs: []Pair{
		{"Ann", 1, "Ann", 2}, {"Bob", 3, "Bob", 1}, {"Ann", 1, "Bob", 2}, {"Cy", 4, "Ann", 1},
		{"Dee", 1, "Dee", 2}, {"Eve", 1, "Eve", 3}, {"Dee", 2, "Eve", 1}, {"Fay", 1, "Dee", 1},
	}}
	var buf bytes.Buffer
	if err := p.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "2\t2\nAnn\t1\t2\n") {
		t.Fatalf("unexpected text:\n%s", buf.String())
	}
	got, err := ParsePairs(&buf, "pairs.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("round trip: got %+v want %+v", got, p)
	}
	if f := got.Fold(1); f[0].Name1 != "Dee" || len(f) != 4 {
		t.Fatalf("fold 1 = %v", f)
	}
}

func TestPairsViewOneHeader(t *testing.T) {
	got, err := ParsePairs(strings.NewReader("1\nA 1 2\nA 1 B 1\n"), "pairsDevTrain.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got.Folds != 1 || got.PerFold != 1 || !got.Pairs[0].Same() || got.Pairs[1].Same() {
		t.Fatalf("%+v", got)
	}
}

func TestPairsErrorsNameTheLine(t *testing.T) {
	cases := map[string]string{
		"":                              "empty pairs file",
		"x\t3\n":                        "pairs.txt:1: header",
		"1\t1\nA 1 2\nA 1 B\n":          "pairs.txt:3: fold 1 pair 2: expected a mismatched pair",
		"1\t1\nA 1 B 2\nA 1 B 1\n":      "pairs.txt:2: fold 1 pair 1: expected a matched pair",
		"1\t1\nA 1 2\n":                 "ended after 1 pairs",
		"1\t1\nA 1 2\nA 1 B 1\nC 1 2\n": "pairs.txt:4: unexpected extra line",
		"1\t1\nA 0 2\nA 1 B 1\n":        "positive image numbers",
		"1\t1\nA 1 2\nA 1 A 2\n":        "two different names",
	}
	for in, want := range cases {
		_, err := ParsePairs(strings.NewReader(in), "pairs.txt")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("input %q: error %v, want it to contain %q", in, err, want)
		}
	}
}

func FuzzParsePairs(f *testing.F) {
	f.Add("10\t300\n")
	f.Add("1\t1\nA 1 2\nA 1 B 1\n")
	f.Add("2\nA 1 2\nB 3 4\nA 1 B 1\nC 1 D 2\n")
	f.Fuzz(func(t *testing.T, in string) {
		p, err := ParsePairs(strings.NewReader(in), "fuzz")
		if err != nil {
			return
		}
		if len(p.Pairs) != 2*p.Folds*p.PerFold {
			t.Fatalf("%d pairs for %d×%d", len(p.Pairs), p.Folds, p.PerFold)
		}
		var buf bytes.Buffer
		if err := p.Write(&buf); err != nil {
			t.Fatal(err)
		}
		q, err := ParsePairs(&buf, "rewritten")
		if err != nil || !reflect.DeepEqual(p, q) {
			t.Fatalf("rewrite does not parse back: %v", err)
		}
	})
}
