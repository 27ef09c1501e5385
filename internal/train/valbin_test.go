package train

import (
	"bytes"
	"context"
	"encoding/binary"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

// lfwBin encodes v as insightface's lfw.bin: the pickle (protocol 3) of
// the tuple (bins, issame_list), bins[2k] and bins[2k+1] the PNG bytes of
// pair k, as insightface's lfw2pack.py writes it.
func lfwBin(t *testing.T, v *data.VerificationSet) []byte {
	t.Helper()
	b := []byte{0x80, 3, ']', '('} // PROTO 3, EMPTY_LIST, MARK
	for k := range v.Same {
		for _, i := range []int{v.Left[k], v.Right[k]} {
			img, err := v.Images.Image(i)
			if err != nil {
				t.Fatal(err)
			}
			var p bytes.Buffer
			if err := png.Encode(&p, img); err != nil {
				t.Fatal(err)
			}
			b = append(b, 'B') // BINBYTES
			b = binary.LittleEndian.AppendUint32(b, uint32(p.Len()))
			b = append(b, p.Bytes()...)
		}
	}
	b = append(b, 'e', ']', '(') // APPENDS, EMPTY_LIST, MARK
	for _, s := range v.Same {
		if s {
			b = append(b, 0x88) // NEWTRUE
		} else {
			b = append(b, 0x89) // NEWFALSE
		}
	}
	return append(b, 'e', 0x86, '.') // APPENDS, TUPLE2, STOP
}

// TestTrainValBin trains with --val-bin on an lfw.bin holding the run's own
// synthetic verification pairs: the run must verify on the file (each
// periodic verification and the final one) and score exactly as the same
// pairs served from memory, down to the bytes of best.safetensors.
func TestTrainValBin(t *testing.T) {
	ctx := context.Background()
	cfgPath := filepath.Join(t.TempDir(), "small.yaml")
	if err := os.WriteFile(cfgPath, []byte(smallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	syn, err := newSynthSet(ctx, cfg.Synth)
	if err != nil {
		t.Fatal(err)
	}
	if syn.val.Folds != 10 || syn.val.NumPairs()%10 != 0 {
		t.Fatalf("the synthetic pairs come in %d folds of %d pairs: an lfw.bin splits them otherwise", syn.val.Folds, syn.val.NumPairs())
	}
	bin := filepath.Join(t.TempDir(), "lfw.bin")
	if err := os.WriteFile(bin, lfwBin(t, syn.val), 0o644); err != nil {
		t.Fatal(err)
	}

	inMemory, fromBin := t.TempDir(), t.TempDir()
	want, err := run(t, ctx, inMemory, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	got, err := Run(ctx, Options{ConfigPath: cfgPath, ValBins: []string{bin}, OutDir: fromBin, Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	if got.Report == nil || got.Report.Pairs != syn.val.NumPairs() || got.Report.Folds != 10 {
		t.Fatalf("report %+v, want %d pairs in 10 folds", got.Report, syn.val.NumPairs())
	}
	if !strings.Contains(out.String(), "verification on lfw (") {
		t.Errorf("the final report does not name the set lfw (of %s):\n%s", bin, out.String())
	}
	log, err := os.ReadFile(filepath.Join(fromBin, LogFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"step 4 ", "step 8 ", "step 12 "} {
		if !strings.Contains(string(log), step+"verification on lfw: ") {
			t.Errorf("training.log has no %sverification on lfw", step)
		}
	}
	if got.Report.AccuracyMean != want.Report.AccuracyMean || got.Report.AccuracyStd != want.Report.AccuracyStd {
		t.Errorf("accuracy %v ± %v on the lfw.bin, %v ± %v on the same pairs in memory",
			got.Report.AccuracyMean, got.Report.AccuracyStd, want.Report.AccuracyMean, want.Report.AccuracyStd)
	}
	tensorsEqual(t, filepath.Join(inMemory, BestFile), filepath.Join(fromBin, BestFile))
}
