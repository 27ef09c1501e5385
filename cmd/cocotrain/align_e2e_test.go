package main

import (
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/align"
	"github.com/cocotrain/cocotrain/internal/data"
)

// TestAlignEndToEnd: synthetic faces are taken as aligned to the arcface
// template at their size; each is rotated, enlarged and shifted by its own
// known similarity onto a larger canvas, its landmarks are the template's
// points under that similarity, and `cocotrain align` must undo it well
// enough that the network trained on the original faces scores about the
// same on the aligned test faces, and one trained and scored on the aligned
// trees about the same as the original (see the tolerances below).
func TestAlignEndToEnd(t *testing.T) {
	const size = 48 // aligned at 48, trained at 16 (trainSets): the resize to 16 filters resampling detail finer than the network sees
	dir := t.TempDir()
	faces := filepath.Join(dir, "faces")
	if code, _, errOut := runCmd(t, "synth", "--out", faces, "--identities", "24", "--per-identity", "16",
		"--eval-identities", "100", "--eval-per-identity", "6", "--size", fmt.Sprint(size), "--seed", "4"); code != exitOK {
		t.Fatalf("synth: %d %s", code, errOut)
	}
	tpl, err := align.NewTemplate(align.ArcFace, size)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tree := range []string{"train", "lfw"} {
		src, err := data.OpenImageFolder(filepath.Join(faces, tree))
		if err != nil {
			t.Fatal(err)
		}
		var lm strings.Builder
		for i := 0; i < src.Len(); i++ {
			img, err := src.Image(i)
			if err != nil {
				t.Fatal(err)
			}
			// ±45°, ×2 to ×3, the face's centre moved to within 4 pixels of
			// the canvas centre: the whole face stays on the 240×240 canvas.
			a, s := (rng.Float64()-0.5)*math.Pi/2, 2+rng.Float64()
			m := align.Similarity{s * math.Cos(a), -s * math.Sin(a), 0, s * math.Sin(a), s * math.Cos(a), 0}
			c := m.Apply(align.Point{X: (size - 1) / 2.0, Y: (size - 1) / 2.0})
			m[2], m[5] = 120-c.X+8*(rng.Float64()-0.5), 120-c.Y+8*(rng.Float64()-0.5)
			warped, err := align.Warp(img, m, 240, 240)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(filepath.Join(faces, tree), src.Name(i))
			p := filepath.Join(dir, "warped", tree, rel)
			os.MkdirAll(filepath.Dir(p), 0o755)
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(f, warped); err != nil {
				t.Fatal(err)
			}
			f.Close()
			lm.WriteString(filepath.ToSlash(rel))
			for _, q := range tpl.Points {
				q = m.Apply(q)
				fmt.Fprintf(&lm, " %.4f %.4f", q.X, q.Y)
			}
			lm.WriteString("\n")
		}
		lmPath := filepath.Join(dir, tree+"_landmarks.txt")
		os.WriteFile(lmPath, []byte(lm.String()), 0o644)
		code, out, errOut := runCmd(t, "align", "--images", filepath.Join(dir, "warped", tree), "--landmarks", lmPath,
			"--out", filepath.Join(dir, "aligned", tree), "--size", fmt.Sprint(size))
		if code != exitOK || !strings.Contains(out, fmt.Sprintf("aligned %d images", src.Len())) {
			t.Fatalf("align %s: %d %s %s", tree, code, out, errOut)
		}
	}
	// eval-lfw --landmarks aligns the warped test faces on the fly exactly
	// as `cocotrain align` did (the raw-pixel baseline at the aligned size
	// sees the same pixels).
	pairs := filepath.Join(faces, "pairs.txt")
	_, offline, _ := runCmd(t, "eval-lfw", "--baseline", "pixels", "--size", fmt.Sprint(size), "--lfw", filepath.Join(dir, "aligned", "lfw"), "--pairs", pairs, "--json")
	code, online, errOut := runCmd(t, "eval-lfw", "--baseline", "pixels", "--size", fmt.Sprint(size), "--lfw", filepath.Join(dir, "warped", "lfw"), "--pairs", pairs,
		"--landmarks", filepath.Join(dir, "lfw_landmarks.txt"), "--json")
	if code != exitOK || online != offline || !strings.Contains(online, "accuracy_mean") {
		t.Errorf("eval-lfw --landmarks: code %d, %s\n%s\nwant the report on the aligned tree:\n%s", code, errOut, online, offline)
	}

	// The aligned copy of one face against its original.
	orig := decodePNG(t, filepath.Join(faces, "lfw"))
	back := decodePNG(t, filepath.Join(dir, "aligned", "lfw"))
	t.Logf("first lfw face, original against aligned back: PSNR %.1f dB", psnr(orig, back))

	trainOn := func(root, name string) string {
		run := filepath.Join(dir, "run-"+name)
		args := append([]string{"train", "--data", filepath.Join(root, "train"), "--val-dir", filepath.Join(root, "lfw"),
			"--val-pairs", filepath.Join(faces, "pairs.txt"), "--out", run, "--no-progress",
			"--set", "train.epochs=6", "--set", "train.val_every=1000", "--set", "data.augment.scale=0"}, trainSets...)
		if code, _, errOut := runCmd(t, args...); code != exitOK {
			t.Fatalf("train on %s: %d\n%s", name, code, errOut)
		}
		return filepath.Join(run, "checkpoints", "best.safetensors")
	}
	type score struct{ acc, auc float64 }
	accuracy := func(ckpt, root, name string) score {
		code, out, errOut := runCmd(t, "eval-lfw", "--checkpoint", ckpt,
			"--lfw", filepath.Join(root, "lfw"), "--pairs", filepath.Join(faces, "pairs.txt"), "--json")
		var rep struct {
			Accuracy float64 `json:"accuracy_mean"`
			AUC      float64 `json:"auc"`
			Pairs    int     `json:"pairs"`
		}
		if code != exitOK || json.Unmarshal([]byte(out), &rep) != nil {
			t.Fatalf("eval-lfw on %s: %d %s %s", name, code, out, errOut)
		}
		t.Logf("%s: %d pairs, accuracy %.2f%%, AUC %.4f", name, rep.Pairs, 100*rep.Accuracy, rep.AUC)
		return score{rep.Accuracy, rep.AUC}
	}
	alignedRoot := filepath.Join(dir, "aligned")
	plainCkpt, alignedCkpt := trainOn(faces, "original"), trainOn(alignedRoot, "aligned")
	plain := accuracy(plainCkpt, faces, "original")
	// The same network on the aligned copies of the test faces: alignment
	// fidelity alone, free of training noise.
	sameNet := accuracy(plainCkpt, alignedRoot, "original network, aligned test faces")
	// A network trained and tested on aligned faces: the user's path.
	aligned := accuracy(alignedCkpt, alignedRoot, "aligned")
	if plain.acc < 0.7 {
		t.Errorf("accuracy on the original faces %.2f%%: want well above chance", 100*plain.acc)
	}
	// The same network on the aligned test faces: alignment fidelity alone.
	// Accuracy within 1 point, AUC (which no threshold quantises) within
	// 0.01: resampling twice (PSNR about 36 dB here) flips a few borderline
	// pairs of the 600.
	if math.Abs(sameNet.auc-plain.auc) > 0.01 || math.Abs(sameNet.acc-plain.acc) > 0.01 {
		t.Errorf("the original network on the aligned test faces: accuracy %.2f%%, AUC %.4f; on the originals %.2f%%, %.4f: want within 1 point and 0.01",
			100*sameNet.acc, sameNet.auc, 100*plain.acc, plain.auc)
	}
	// Retrained, the score moves by training noise too: two training seeds
	// on the same original faces differed by about 1.4 points at this size,
	// so 2 points, not 1.
	if math.Abs(aligned.acc-plain.acc) > 0.02 {
		t.Errorf("trained and tested on aligned faces %.2f%%, on the original faces %.2f%%: want within 2 points", 100*aligned.acc, 100*plain.acc)
	}
}

// decodePNG decodes the first image of the ImageFolder at root.
func decodePNG(t *testing.T, root string) image.Image {
	t.Helper()
	src, err := data.OpenImageFolder(root)
	if err != nil {
		t.Fatal(err)
	}
	img, err := src.Image(0)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// psnr compares two images of one size by their grey values.
func psnr(a, b image.Image) float64 {
	var se float64
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ar, _, _, _ := a.At(x, y).RGBA()
			br, _, _, _ := b.At(x, y).RGBA()
			d := float64(ar>>8) - float64(br>>8)
			se += d * d
		}
	}
	return 10 * math.Log10(255*255*float64(r.Dx()*r.Dy())/se)
}
