package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/npy"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// TestTorchStateDictIn gives eval-lfw, embed, export and train --init-from
// a PyTorch state_dict (the backbone of a cocotrain run under PyTorch's
// names: no "backbone." prefix, num_batches_tracked beside each batch
// norm, no metadata): each accepts it, embed writes the same embeddings as
// from the run's own checkpoint and eval-lfw scores the same.
func TestTorchStateDictIn(t *testing.T) {
	dir := t.TempDir()
	faces := exportFaces(t, dir, 16)
	ckpt := trainArch(t, faces, filepath.Join(dir, "run"), "tiny", 16, 16)
	f, err := safetensors.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	state := safetensors.New()
	for _, x := range f.Tensors {
		name, ok := strings.CutPrefix(x.Name, "backbone.")
		if !ok {
			continue
		}
		if err := state.Add(&safetensors.Tensor{Name: name, DType: x.DType, Shape: x.Shape, Data: x.Data}); err != nil {
			t.Fatal(err)
		}
		if bn, ok := strings.CutSuffix(name, "running_var"); ok {
			if err := state.AddI64(bn+"num_batches_tracked", []int{}, []int64{8}); err != nil {
				t.Fatal(err)
			}
		}
	}
	torch := filepath.Join(dir, "torch.safetensors")
	if err := safetensors.WriteFile(torch, state); err != nil {
		t.Fatal(err)
	}
	lfw := filepath.Join(faces, "lfw")
	var embs [2]*npy.Array
	for i, c := range []string{ckpt, torch} {
		out := filepath.Join(dir, "emb"+string(rune('0'+i))+".npy")
		if code, _, errOut := runCmd(t, "embed", "--checkpoint", c, "--images", lfw, "--out", out); code != exitOK {
			t.Fatalf("embed --checkpoint %s: %d %s", c, code, errOut)
		}
		a, err := npy.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		embs[i] = a
	}
	if e0, e1 := embs[0].Data.([]float32), embs[1].Data.([]float32); len(e0) == 0 || !slices.Equal(e0, e1) {
		t.Errorf("embed: the PyTorch state_dict's embeddings differ from the checkpoint's")
	}
	args := []string{"--lfw", lfw, "--pairs", filepath.Join(faces, "pairs.txt"), "--json"}
	if a, b := evalAccuracy(t, append([]string{"eval-lfw", "--checkpoint", ckpt}, args...)), evalAccuracy(t, append([]string{"eval-lfw", "--checkpoint", torch}, args...)); a != b {
		t.Errorf("eval-lfw: %v from the PyTorch state_dict, %v from the checkpoint", b, a)
	}
	if code, _, errOut := runCmd(t, "export", "--checkpoint", torch, "--format", "onnx", "--out", filepath.Join(dir, "m.onnx")); code != exitOK {
		t.Errorf("export: %d %s", code, errOut)
	}
	run := filepath.Join(dir, "ft")
	if code, _, errOut := runCmd(t, "train", "--data", filepath.Join(faces, "train"), "--out", run, "--no-progress", "--init-from", torch,
		"--set", "model.arch=tiny", "--set", "model.input_size=16", "--set", "model.channels=3", "--set", "model.embedding_dim=16",
		"--set", "train.batch_size=16", "--set", "train.epochs=1", "--set", "train.threads=2", "--set", "optim.schedule.warmup_steps=2"); code != exitOK {
		t.Fatalf("train --init-from: %d %s", code, errOut)
	}
	log, err := os.ReadFile(filepath.Join(run, "training.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "init_from "+torch+" (step 0): loaded 25 backbone tensors") {
		t.Errorf("training.log does not report the init_from load:\n%s", log)
	}
}
