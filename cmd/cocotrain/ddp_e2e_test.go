//go:build unix

package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// TestTorchDDPRoundTrip hands a run to PyTorch and takes it back: cocotrain
// trains 1 epoch on a small synthetic set, `export --format torch` writes
// the folder, torchrun runs its train_ddp.py for 1 more epoch on 2 CPU
// ranks with gloo (once with the whole CoCo head on every rank, once with
// the head sharded by partial FC sampling half the classes, set from the
// class means as the weights come without their class list), and cocotrain
// reads each checkpoint back: eval-lfw scores it above the raw-pixel
// baseline, export-centers reads its centroids and train --init-from
// starts a run from it. Both read the set as a cocotrain pack. A third run
// reads the image folder itself (with Pillow), shards the head and samples
// every class, which is the whole head: its checkpoint must equal the
// first's.
func TestTorchDDPRoundTrip(t *testing.T) {
	tl := findExportTools(t)
	tl.skipTorch(t)
	if exec.Command(tl.python, "-c", "import torch.distributed as d; assert d.is_gloo_available()").Run() != nil {
		t.Skip("train_ddp.py needs torch.distributed with gloo (Debian's python3-torch has it)")
	}
	dir := t.TempDir()
	faces := filepath.Join(dir, "faces")
	if code, _, errOut := runCmd(t, "synth", "--out", faces, "--identities", "16", "--per-identity", "8",
		"--eval-identities", "40", "--eval-per-identity", "3", "--size", "32", "--channels", "3", "--seed", "5"); code != exitOK {
		t.Fatalf("synth: %d %s", code, errOut)
	}
	ckpt := trainArch(t, faces, filepath.Join(dir, "run"), "tiny", 32, 64)
	folder := filepath.Join(dir, "torch")
	if code, _, errOut := runCmd(t, "export", "--checkpoint", ckpt, "--format", "torch", "--out", folder); code != exitOK {
		t.Fatalf("export: %d %s", code, errOut)
	}
	pack := filepath.Join(dir, "train.pack")
	if code, _, errOut := runCmd(t, "pack", "--data", filepath.Join(faces, "train"), "--out", pack, "--size", "32", "--channels", "3"); code != exitOK {
		t.Fatalf("pack: %d %s", code, errOut)
	}
	// weights without their class list: train_ddp sets the head from the
	// class means then
	w, err := safetensors.ReadFile(filepath.Join(folder, "weights.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	delete(w.Metadata, "classes")
	anon := filepath.Join(dir, "anonymous.safetensors")
	if err := safetensors.WriteFile(anon, w); err != nil {
		t.Fatal(err)
	}
	pil := exec.Command(tl.python, "-c", "import PIL").Run() == nil
	lfw := []string{"--lfw", filepath.Join(faces, "lfw"), "--pairs", filepath.Join(faces, "pairs.txt"), "--json"}
	pixels := evalAccuracy(t, append([]string{"eval-lfw", "--baseline", "pixels", "--size", "32", "--channels", "3"}, lfw...))
	loaded := "head tensors ['head.centroids'] loaded"
	for _, tc := range []struct {
		name, data, init string
		extra            []string
		log              []string
	}{
		{"ddp", pack, "", nil, []string{"coco head over K = 16 classes", loaded}},
		{"partial-fc", pack, anon, []string{"--partial-fc", "--sample-rate", "0.5"}, []string{
			"8 centroids in each step's softmax (more when a rank holds more of a batch's classes); coco scale 5.7234 = alpha auto at K = 8, epsilon 0.99",
			"the head set from the class means of 128 images in 16 classes"}},
		{"partial-fc-all", filepath.Join(faces, "train"), "", []string{"--partial-fc", "--sample-rate", "1"}, []string{"16 centroids in each step's softmax", loaded}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.data != pack && !pil {
				t.Skip("train_ddp reads an image folder with Pillow (apt-get install python3-pil)")
			}
			out := filepath.Join(dir, tc.name)
			got := filepath.Join(out, "checkpoints", "last.safetensors")
			// A static rendezvous on a free port: torch 1.13's --standalone
			// always takes port 29400, which another torchrun on the machine
			// may hold.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a hang, not a speed limit
			defer cancel()
			cmd := exec.CommandContext(ctx, tl.python, append([]string{"-m", "torch.distributed.run", "--nproc_per_node=2",
				"--master_addr=127.0.0.1", "--master_port=" + freePort(t),
				// Debian's torch 1.13 under Python 3.11 fails on the default
				// redirects "0" (an IntFlag lookup): redirect stdout and tee it.
				"--redirects", "1", "--tee", "1", "--log_dir", filepath.Join(dir, tc.name+"-logs"),
				filepath.Join(folder, "train_ddp.py"), "--init-from", cmp.Or(tc.init, filepath.Join(folder, "weights.safetensors")),
				"--data", tc.data, "--out", out, "--epochs", "1", "--workers", "0"}, tc.extra...)...)
			cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1")
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // torchrun and its workers, killed together
			cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
			var buf bytes.Buffer
			cmd.Stdout, cmd.Stderr = &buf, &buf
			err := cmd.Run()
			t.Logf("torchrun:\n%s", buf.String())
			if err != nil {
				t.Fatalf("torchrun: %v", err)
			}
			logText, err := os.ReadFile(filepath.Join(out, "training.log"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range append(tc.log, "(8 per rank × 2 ranks, gloo)") {
				if !strings.Contains(string(logText), want) {
					t.Errorf("training.log lacks %q:\n%s", want, logText)
				}
			}
			if tc.name == "partial-fc-all" {
				// Sampling every class, partial FC is the whole head, and
				// the PNG folder decodes to the pack's pixels: the same
				// training as the first run, in another order of sums.
				compareCheckpoints(t, got, filepath.Join(dir, "ddp", "checkpoints", "last.safetensors"), 1e-4)
				return
			}
			acc := evalAccuracy(t, append([]string{"eval-lfw", "--checkpoint", got}, lfw...))
			t.Logf("eval-lfw accuracy: %.4f after train_ddp, %.4f raw pixels", acc, pixels)
			if acc <= pixels {
				t.Errorf("eval-lfw accuracy %.4f after train_ddp, not above the raw pixels' %.4f", acc, pixels)
			}
			if code, _, errOut := runCmd(t, "export-centers", "--checkpoint", got, "--out", filepath.Join(dir, tc.name+"-centers.npy")); code != exitOK {
				t.Errorf("export-centers: %d %s", code, errOut)
			}
			if code, _, errOut := runCmd(t, "train", "--data", filepath.Join(faces, "train"), "--out", filepath.Join(dir, tc.name+"-ft"), "--no-progress",
				"--init-from", got, "--set", "model.arch=tiny", "--set", "model.input_size=32", "--set", "model.channels=3",
				"--set", "model.embedding_dim=64", "--set", "train.batch_size=16", "--set", "train.epochs=1",
				"--set", "train.threads=2", "--set", "optim.schedule.warmup_steps=2"); code != exitOK {
				t.Errorf("train --init-from the train_ddp checkpoint: %d %s", code, errOut)
			}
		})
	}
}

// evalAccuracy runs an eval-lfw command with --json and returns its mean
// accuracy.
func evalAccuracy(t *testing.T, args []string) float64 {
	t.Helper()
	code, out, errOut := runCmd(t, args...)
	if code != exitOK {
		t.Fatalf("%v: %d %s", args, code, errOut)
	}
	var r struct {
		Accuracy float64 `json:"accuracy_mean"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("eval-lfw --json: %v\n%s", err, out)
	}
	return r.Accuracy
}

// compareCheckpoints fails t unless the checkpoints at got and want hold
// the same tensors, each within tol of want relative to max(|want|,
// rms(want)).
func compareCheckpoints(t *testing.T, got, want string, tol float64) {
	t.Helper()
	g, err := safetensors.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := safetensors.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Tensors) != len(w.Tensors) {
		t.Fatalf("%s has %d tensors, %s %d", got, len(g.Tensors), want, len(w.Tensors))
	}
	worst := 0.0
	for _, wt := range w.Tensors {
		wv, _, err := w.F32(wt.Name)
		if err != nil {
			t.Fatal(err)
		}
		gv, _, err := g.F32(wt.Name)
		if err != nil {
			t.Fatalf("%s: %v", got, err)
		}
		var ss float64
		for _, v := range wv {
			ss += float64(v) * float64(v)
		}
		rms := math.Sqrt(ss / float64(len(wv)))
		for i := range wv {
			d := math.Abs(float64(gv[i])-float64(wv[i])) / math.Max(math.Max(math.Abs(float64(wv[i])), rms), 1e-30)
			worst = max(worst, d)
			if d > tol {
				t.Fatalf("%s: %s[%d] = %g, %g in %s (relative error %.3g)", got, wt.Name, i, gv[i], wv[i], want, d)
			}
		}
	}
	t.Logf("%d tensors agree with %s: max relative error %.3g", len(w.Tensors), want, worst)
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}
