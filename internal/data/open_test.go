package data

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenByKind(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.tar")
	os.WriteFile(p, []byte("x"), 0o644)
	if _, err := Open(p); err == nil || !strings.Contains(err.Error(), "unknown dataset kind") {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "absent")); err == nil {
		t.Fatal("missing path accepted")
	}
	p = filepath.Join(dir, "foreign.pack")
	os.WriteFile(p, make([]byte, 100), 0o644)
	if _, err := Open(p); err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "not a cocotrain pack") {
		t.Fatalf("foreign pack: %v", err)
	}
}

func TestDigest(t *testing.T) {
	a := testSource{n: 10, classes: 2, w: 4, h: 4, bad: -1}
	b := a
	b.classes = 3
	da, again, db := Digest(a), Digest(a), Digest(b)
	if da != again || da == db || len(da) != 16 {
		t.Fatalf("digests %s, again %s, other classes %s", da, again, db)
	}
}

// TestPackORL packs the real ORL faces and checks that training batches
// read from the pack equal those decoded from the PGM files.
func TestPackORL(t *testing.T) {
	root := skipWithout(t, "orl")
	folder, err := OpenImageFolder(root)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.CenterCrop = 92
	pre := cfg.Preprocess(32, 1)
	path, st := writeTestPack(t, folder, pre, false)
	if st.Images != 400 || st.Classes != 40 {
		t.Fatalf("stats %+v", st)
	}
	p, err := OpenPack(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	lf, err := NewLoader(folder, cfg, pre, 50, 3)
	if err != nil {
		t.Fatal(err)
	}
	cfg.CenterCrop = 0
	lp, err := NewLoader(p, cfg, cfg.Preprocess(32, 1), 50, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBatches(epochBatches(t, lf, 0, 0), epochBatches(t, lp, 0, 0)) {
		t.Fatal("ORL batches from the pack differ from the decoded ones")
	}
}
