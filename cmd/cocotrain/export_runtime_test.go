package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/npy"
)

// exportFull runs TestExportRuntimes at the networks' real input sizes
// (mobilefacenet and iresnet18 at 112×112, as insightface's model zoo wants
// them) instead of small ones:
//
//	go test ./cmd/cocotrain -run ExportRuntimes -v -args -export.full
var exportFull = flag.Bool("export.full", false, "TestExportRuntimes at the real input sizes (slow)")

// exportTools are the external programs the runtime checks use; a field is
// empty when the tool is missing, and skip then says what to install.
type exportTools struct {
	scripts      string // the repository's scripts/ folder
	python       string // /usr/bin/python3
	onnx, torch  bool   // python3 imports onnx; torch and yaml
	node         string
	onnxRuntime  bool // onnxruntime-node is installed for scripts/check_onnx.mjs
	onnxRTPrefix string
}

func findExportTools(t *testing.T) exportTools {
	t.Helper()
	scripts, err := filepath.Abs("../../scripts")
	if err != nil {
		t.Fatal(err)
	}
	tl := exportTools{scripts: scripts, python: "/usr/bin/python3"}
	tl.onnx = exec.Command(tl.python, "-c", "import onnx").Run() == nil
	tl.torch = exec.Command(tl.python, "-c", "import torch, yaml").Run() == nil
	if tl.node, err = exec.LookPath("node"); err != nil {
		tl.node = ""
	}
	tl.onnxRTPrefix = os.Getenv("ONNX_NODE_PREFIX")
	if tl.onnxRTPrefix == "" {
		tl.onnxRTPrefix = filepath.Join(scripts, ".onnx")
	}
	_, err = os.Stat(filepath.Join(tl.onnxRTPrefix, "node_modules", "onnxruntime-node"))
	tl.onnxRuntime = err == nil
	return tl
}

// skipONNX skips t unless the ONNX checks can run, naming what to install.
func (tl exportTools) skipONNX(t *testing.T) {
	t.Helper()
	switch {
	case !tl.onnx:
		t.Skip("the ONNX checker needs Debian's python3-onnx (apt-get install python3-onnx)")
	case tl.node == "":
		t.Skip("the ONNX Runtime check needs Node.js (apt-get install nodejs npm)")
	case !tl.onnxRuntime:
		t.Skip("the ONNX Runtime check needs onnxruntime-node: ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --prefix scripts/.onnx onnxruntime-node")
	}
}

// skipTorch skips t unless PyTorch can run the torch export.
func (tl exportTools) skipTorch(t *testing.T) {
	t.Helper()
	if !tl.torch {
		t.Skip("the torch export check needs Debian's python3-torch and python3-yaml (apt-get install python3-torch python3-yaml)")
	}
}

// TestExportRuntimes exports each architecture, trained for one short epoch
// (so that the running statistics are real ones), and runs the exports on
// 64 synthetic faces at batch 1 and 64: every embedding must have cosine ≥
// 0.99999 with `cocotrain embed --no-flip`'s.
//   - onnx: the reference ONNX checker (full_check) accepts the model
//     (scripts/check_onnx.py) and ONNX Runtime runs it (scripts/check_onnx.mjs);
//   - torch: the folder's own model.py loads its weights and runs in
//     PyTorch (scripts/check_torch_export.py).
func TestExportRuntimes(t *testing.T) {
	tl := findExportTools(t)
	if !(tl.onnx && tl.node != "" && tl.onnxRuntime) && !tl.torch {
		t.Skip("the export checks need python3-onnx, nodejs with onnxruntime-node (see .ci/run), or python3-torch with python3-yaml")
	}
	dir := t.TempDir()
	type arch struct {
		arch      string
		size, dim int
	}
	archs, side := []arch{{"tiny", 32, 64}, {"small", 32, 64}, {"mobilefacenet", 32, 64}, {"iresnet18", 16, 64}}, 32
	if *exportFull {
		archs, side = []arch{{"tiny", 64, 128}, {"small", 64, 128}, {"mobilefacenet", 112, 128}, {"iresnet18", 112, 512}}, 112
	}
	faces := exportFaces(t, dir, side)
	for _, tc := range archs {
		t.Run(tc.arch, func(t *testing.T) {
			d := filepath.Join(dir, tc.arch)
			ckpt := trainArch(t, faces, d, tc.arch, tc.size, tc.dim)
			emb, input := filepath.Join(d, "emb.npy"), filepath.Join(d, "input.npy")
			if code, _, stderr := runCmd(t, "embed", "--checkpoint", ckpt, "--images", filepath.Join(faces, "lfw"), "--out", emb, "--no-flip"); code != exitOK {
				t.Fatalf("embed: %d %s", code, stderr)
			}
			writeInputs(t, input, filepath.Join(faces, "lfw"), emb+".names.txt", data.Preprocess{Size: tc.size, Channels: 3})
			t.Run("onnx", func(t *testing.T) {
				tl.skipONNX(t)
				model := filepath.Join(d, "model.onnx")
				if code, _, stderr := runCmd(t, "export", "--checkpoint", ckpt, "--format", "onnx", "--out", model); code != exitOK {
					t.Fatalf("export: %d %s", code, stderr)
				}
				runChecker(t, tl.python, filepath.Join(tl.scripts, "check_onnx.py"), model)
				runChecker(t, tl.node, filepath.Join(tl.scripts, "check_onnx.mjs"), model, input, emb, "1", "64")
			})
			t.Run("torch", func(t *testing.T) {
				tl.skipTorch(t)
				folder := filepath.Join(d, "torch")
				if code, _, stderr := runCmd(t, "export", "--checkpoint", ckpt, "--format", "torch", "--out", folder); code != exitOK {
					t.Fatalf("export: %d %s", code, stderr)
				}
				runChecker(t, tl.python, filepath.Join(tl.scripts, "check_torch_export.py"), folder, input, emb, "1", "64")
			})
		})
	}
}

// runChecker runs a checker script, logs its output and fails t when it
// fails.
func runChecker(t *testing.T, prog string, args ...string) {
	t.Helper()
	var out bytes.Buffer
	c := exec.Command(prog, args...)
	c.Stdout, c.Stderr = &out, &out
	err := c.Run()
	t.Logf("%s", out.String())
	if err != nil {
		t.Errorf("%s: %v", filepath.Base(args[0]), err)
	}
}

// writeInputs writes the images named in namesFile (relative to dir, in
// that order) as the N×C×S×S float32 tensor the network reads.
func writeInputs(t *testing.T, path, dir, namesFile string, pp data.Preprocess) {
	t.Helper()
	b, err := os.ReadFile(namesFile)
	if err != nil {
		t.Fatal(err)
	}
	names := strings.Fields(string(b))
	paths := make([]string, len(names))
	for i, n := range names {
		paths[i] = filepath.Join(dir, n)
	}
	src := data.NewFileList(paths, make([]int, len(paths)), []string{"all"})
	x := make([]float32, len(paths)*pp.Len())
	for i := range paths {
		img, err := src.Image(i)
		if err != nil {
			t.Fatal(err)
		}
		if err := pp.Apply(x[i*pp.Len():], img); err != nil {
			t.Fatal(err)
		}
	}
	if err := npy.WriteFile(path, &npy.Array{Shape: []int{len(paths), pp.Channels, pp.Size, pp.Size}, Data: x}); err != nil {
		t.Fatal(err)
	}
}
