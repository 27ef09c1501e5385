package data

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadLFW(t *testing.T) {
	dir := t.TempDir()
	lfw := filepath.Join(dir, "lfw")
	for _, f := range []string{"Ann/Ann_0001.jpg", "Ann/Ann_0002.png", "Bob/Bob_0001.pgm", "Bob/Bob_0003.png", "Cy/Cy_0001.png"} {
		p := filepath.Join(lfw, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		var buf bytes.Buffer
		if strings.HasSuffix(f, ".pgm") {
			buf.WriteString("P5 2 2 255\n\x01\x02\x03\x04")
		} else {
			png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2))) // a PNG named .jpg decodes too
		}
		os.WriteFile(p, buf.Bytes(), 0o644)
	}
	pairs := &Pairs{Folds: 2, PerFold: 1, Pairs: []Pair{
		{"Ann", 1, "Ann", 2}, {"Ann", 1, "Bob", 3},
		{"Bob", 1, "Bob", 3}, {"Cy", 1, "Ann", 2},
	}}
	pairsPath := filepath.Join(dir, "pairs.txt")
	var buf bytes.Buffer
	pairs.Write(&buf)
	os.WriteFile(pairsPath, buf.Bytes(), 0o644)
	v, err := LoadLFW(lfw, pairsPath)
	if err != nil {
		t.Fatal(err)
	}
	if v.NumPairs() != 4 || v.Folds != 2 || v.Images.Len() != 5 {
		t.Fatalf("%d pairs, %d folds, %d images", v.NumPairs(), v.Folds, v.Images.Len())
	}
	for k, p := range pairs.Pairs {
		l, r := v.Images.Name(v.Left[k]), v.Images.Name(v.Right[k])
		if !strings.Contains(l, fmt.Sprintf("%s_%04d.", p.Name1, p.Index1)) || !strings.Contains(r, fmt.Sprintf("%s_%04d.", p.Name2, p.Index2)) {
			t.Fatalf("pair %d → %s, %s", k, l, r)
		}
		if v.Same[k] != (v.Images.Label(v.Left[k]) == v.Images.Label(v.Right[k])) {
			t.Fatalf("pair %d: Same %v disagrees with the labels", k, v.Same[k])
		}
		if _, err := v.Images.Image(v.Left[k]); err != nil {
			t.Fatal(err)
		}
	}
	// Missing images are reported together, naming the first ones.
	os.Remove(filepath.Join(lfw, "Bob", "Bob_0003.png"))
	os.RemoveAll(filepath.Join(lfw, "Cy"))
	_, err = LoadLFW(lfw, pairsPath)
	if err == nil || !strings.Contains(err.Error(), "2 of its 5 images are missing") || !strings.Contains(err.Error(), filepath.Join("Cy", "Cy_0001")) {
		t.Fatalf("missing images: %v", err)
	}
}

func checkLFWBin(t *testing.T, v *VerificationSet) {
	t.Helper()
	if v.NumPairs() != 10 || v.Folds != 10 || v.Images.Len() != 20 {
		t.Fatalf("%d pairs, %d folds, %d images", v.NumPairs(), v.Folds, v.Images.Len())
	}
	for k := 0; k < 10; k++ {
		if v.Same[k] != (k%2 == 0) || v.Left[k] != 2*k || v.Right[k] != 2*k+1 {
			t.Fatalf("pair %d: same %v, %d–%d", k, v.Same[k], v.Left[k], v.Right[k])
		}
		if v.Same[k] != (v.Images.Label(2*k) == v.Images.Label(2*k+1)) {
			t.Fatalf("pair %d: labels disagree with issame", k)
		}
	}
	for i := 0; i < 20; i++ {
		img, err := v.Images.Image(i)
		if err != nil {
			t.Fatal(err)
		}
		g := img.(*image.Gray)
		for j, p := range g.Pix {
			if want := uint8((i*11 + j*40) % 256); p != want {
				t.Fatalf("image %d pixel %d = %d, want %d", i, j, p, want)
			}
		}
	}
}

// The fixtures are written by scripts/make_lfwbin_fixtures.py with CPython's pickle.
func TestLoadLFWBinPython3Protocols(t *testing.T) {
	for _, p := range []int{2, 3, 4, 5} {
		v, err := LoadLFWBin(fmt.Sprintf("testdata/lfwbin_p%d.bin", p))
		if err != nil {
			t.Fatalf("protocol %d: %v", p, err)
		}
		checkLFWBin(t, v)
	}
}

// py2LFWBin builds the pickle Python 2's pickle.dump((bins, issame), f, 2)
// writes: str as SHORT_BINSTRING/BINSTRING, BINPUT memo entries, APPENDS,
// and a repeated object as BINGET.
func py2LFWBin(bins [][]byte, issame []bool) []byte {
	b := []byte{0x80, 2, ']', 'q', 0, '('}
	memo := byte(1)
	for i, d := range bins {
		if i%2 == 0 {
			b = append(b, 'T')
			b = binary.LittleEndian.AppendUint32(b, uint32(len(d)))
		} else {
			b = append(b, 'U', byte(len(d)))
		}
		b = append(append(b, d...), 'q', memo)
		memo++
	}
	b = append(b, 'e', ']', 'q', memo, '(')
	for _, s := range issame {
		if s {
			b = append(b, 0x88)
		} else {
			b = append(b, 0x89)
		}
	}
	return append(b, 'e', 0x86, 'q', memo+1, '.')
}

func TestLoadLFWBinPython2(t *testing.T) {
	v3, err := LoadLFWBin("testdata/lfwbin_p3.bin")
	if err != nil {
		t.Fatal(err)
	}
	m := v3.Images.(*memImages)
	data := py2LFWBin(m.data, v3.Same)
	v, err := parseLFWBin(data, "py2.bin")
	if err != nil {
		t.Fatal(err)
	}
	checkLFWBin(t, v)
	// A memo reference (BINGET) to an earlier image object.
	ref := bytes.Replace(data, append([]byte{'U', byte(len(m.data[1]))}, m.data[1]...), []byte{'h', 1}, 1)
	v, err = parseLFWBin(ref, "py2.bin")
	if err != nil || !bytes.Equal(v.Images.(*memImages).data[1], m.data[0]) {
		t.Fatalf("BINGET: %v", err)
	}
}

func TestLoadLFWBinErrors(t *testing.T) {
	cases := map[string]string{
		"\x80\x02cos\nsystem\n":             "global os.system refused",
		"\x80\x02]q\x00(U\x05ab":            "wants 5 bytes",
		"\x80\x02]\x88\x86.":                "want two lists",
		"\x80\x02\x88.":                     "want the tuple",
		"\x80\x02](C\x01ae](\x88\x88e\x86.": "1 images for 2 pairs",
		"\x80\x02]":                         "ends without STOP",
		"\x80\x02}.":                        "unsupported opcode 0x7d",
		"\x80\x09":                          "protocol 9",
		"\x80\x02a":                         "stack underflow",
	}
	for in, want := range cases {
		_, err := parseLFWBin([]byte(in), "x.bin")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", in, err, want)
		}
	}
}

func FuzzLFWBin(f *testing.F) {
	for _, p := range []int{2, 4} {
		b, err := os.ReadFile(fmt.Sprintf("testdata/lfwbin_p%d.bin", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(py2LFWBin([][]byte{{1}, {2}}, []bool{true}))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := parseLFWBin(b, "fuzz")
		if err != nil {
			return
		}
		if v.Images.Len() != 2*v.NumPairs() || len(v.Left) != v.NumPairs() {
			t.Fatalf("%d images for %d pairs", v.Images.Len(), v.NumPairs())
		}
		for k := range v.Same {
			if v.Same[k] != (v.Images.Label(v.Left[k]) == v.Images.Label(v.Right[k])) {
				t.Fatalf("pair %d labels disagree with issame", k)
			}
		}
	})
}
