package train

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

// TestExcludePairsRun trains on identities a, b and c with --exclude-pairs
// naming c (by a relative path, given twice): the checkpoint holds a and b
// only, training.log says what was removed, and the saved config names the
// pairs file once, absolute. A pairs file that does not parse is refused
// naming its line, before the run directory exists.
func TestExcludePairsRun(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "faces")
	writeFaces(t, root)
	if err := os.CopyFS(filepath.Join(root, "c"), os.DirFS(filepath.Join(root, "a"))); err != nil {
		t.Fatal(err)
	}
	t.Chdir(base)
	if err := os.WriteFile("pairsDevTest.txt", []byte("1\nc\t1\t2\nc\t1\tNobody\t1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(base, "small.yaml")
	if err := os.WriteFile(cfgPath, []byte(smallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "run")
	opt := Options{ConfigPath: cfgPath, OutDir: dir, DataPath: root, ExcludePairs: []string{"pairsDevTest.txt", "./pairsDevTest.txt"},
		Sets: []string{"train.epochs=3", "train.val_every=0"}}
	res, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := ReadCheckpoint(res.LastCheckpoint)
	if err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(base, "pairsDevTest.txt")
	if !slices.Equal(ck.Classes, []string{"a", "b"}) || !slices.Equal(ck.Config.Data.ExcludePairs, []string{abs}) {
		t.Errorf("checkpoint classes %v, data.exclude_pairs %v; want [a b] and [%s]", ck.Classes, ck.Config.Data.ExcludePairs, abs)
	}
	log, err := os.ReadFile(filepath.Join(dir, LogFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"data.exclude_pairs: removed 1 identities and 16 images (of 3 identities, 48 images) named by 1 pairs file(s)",
		abs + ": names 2 identities, 1 of them in the training set (16 images)",
	} {
		if !bytes.Contains(log, []byte(want)) {
			t.Errorf("training.log lacks %q:\n%s", want, log)
		}
	}

	if err := os.WriteFile("bad.txt", []byte("1\nc\t1\t2\nc\t1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(base, "refused")
	opt.OutDir, opt.ExcludePairs = bad, []string{"bad.txt"}
	if _, err := Run(context.Background(), opt); err == nil || !strings.Contains(err.Error(), filepath.Join(base, "bad.txt")+":3:") {
		t.Errorf("unparsable pairs file: %v, want an error naming %s:3", err, filepath.Join(base, "bad.txt"))
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("refused run left %s behind", bad)
	}
}

// TestPackCropRecorded trains on a pack made with a centre crop and a config
// that sets none: the checkpoint's config records the pack's crop, which
// eval-lfw and embed then apply to raw images.
func TestPackCropRecorded(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "faces")
	writeFaces(t, root)
	pack := filepath.Join(base, "faces.pack")
	src, err := data.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := data.WritePack(context.Background(), pack, src, data.PackOptions{Preprocess: data.Preprocess{Size: 16, Channels: 1, CenterCrop: 12}}); err != nil {
		t.Fatal(err)
	}
	res, err := run(t, context.Background(), filepath.Join(base, "run"), false, nil, "data.path="+pack, "train.epochs=3", "train.val_every=0")
	if err != nil {
		t.Fatal(err)
	}
	ck, err := ReadCheckpoint(res.LastCheckpoint)
	if err != nil {
		t.Fatal(err)
	}
	if d := ck.Config.Data; d.CenterCrop != 12 || d.Crop != [4]int{} {
		t.Errorf("checkpoint records crop %v, center_crop %d; want the pack's center_crop 12", d.Crop, d.CenterCrop)
	}
}
