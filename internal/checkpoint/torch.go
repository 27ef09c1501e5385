package checkpoint

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/loss"
	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/optim"
	"github.com/cocotrain/cocotrain/internal/params"
	"github.com/cocotrain/cocotrain/internal/safetensors"
	"gopkg.in/yaml.v3"
)

// A PyTorch checkpoint, for Read, is a safetensors file without cocotrain's
// format tag holding the state_dict of one of cocotrain's networks
// (safetensors.torch.save_file(net.state_dict(), path)), F32, with these
// names (a "module." prefix, as DistributedDataParallel saves, and a
// "backbone." prefix are dropped; num_batches_tracked is ignored):
//
//   - iresnet18 as insightface's arcface_torch builds it (conv1, bn1,
//     prelu, layer1..layer4 of 2 IBasicBlocks each, bn2, fc, features):
//     cocotrain's names are the same;
//   - mobilefacenet as arcface_torch builds it (layers.0..7, conv_sep,
//     features: torchMFN maps them to cocotrain's TreB1eN names), with
//     blocks (1, 4, 6, 2) and scale 1 (arcface_torch's "mbf" default,
//     scale 2, is twice as wide and does not fit);
//   - any of cocotrain's networks with cocotrain's own names (model.py's
//     state_dict).
//
// The architecture, channels, embedding size and input size come from the
// tensors' names and shapes; the checkpoint Read returns holds the network's
// tensors under cocotrain's names ("backbone.*"), a config with that model
// section and the other sections at their defaults, step 0 and no classes
// (no loss head). A missing, misshapen, non-F32 or unknown tensor is an
// error naming the first one, under both names.

// torchFamily is a layout of PyTorch names Read recognises.
type torchFamily struct {
	name   string                                        // for messages
	arch   string                                        // cocotrain's model.arch
	marker string                                        // a tensor only this layout has
	rename func(string) (string, bool)                   // PyTorch name → cocotrain's (without "backbone.")
	config func(map[string][]int) (int, int, int, error) // channels, embedding_dim, input_size from the shapes (cocotrain names)
}

var torchFamilies = []torchFamily{
	{"arcface_torch iresnet", "iresnet18", "layer1.0.conv1.weight", same, iresnetTorchConfig},
	{"arcface_torch mobilefacenet", "mobilefacenet", "conv_sep.layers.0.weight", torchMFN, mfnTorchConfig},
	{"mobilefacenet (cocotrain's names)", "mobilefacenet", "conv_6_sep.conv.weight", same, mfnTorchConfig},
	{"small (cocotrain's names)", "small", "conv4a.weight", same, smallTorchConfig},
	{"tiny (cocotrain's names)", "tiny", "conv4.weight", same, tinyTorchConfig},
}

func same(name string) (string, bool) { return name, true }

// torchNames maps the names of f's tensors, prefixes dropped, to the
// tensors (num_batches_tracked left out).
func torchNames(f *safetensors.File) map[string]*safetensors.Tensor {
	names := map[string]*safetensors.Tensor{}
	for _, t := range f.Tensors {
		n := strings.TrimPrefix(strings.TrimPrefix(t.Name, "module."), "backbone.")
		if !strings.HasSuffix(n, ".num_batches_tracked") {
			names[n] = t
		}
	}
	return names
}

// fromTorch converts the PyTorch state_dict f read from path.
func fromTorch(path string, f *safetensors.File) (*Checkpoint, error) {
	names := torchNames(f)
	var fam *torchFamily
	for i := range torchFamilies {
		if _, ok := names[torchFamilies[i].marker]; ok {
			fam = &torchFamilies[i]
			break
		}
	}
	if fam == nil {
		return nil, fmt.Errorf("%s: not a cocotrain checkpoint (metadata %q is %q, want %q), nor a PyTorch state_dict of iresnet18 or mobilefacenet (arcface_torch names) or of a cocotrain network", path, MetaFormat, f.Metadata[MetaFormat], Format)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: PyTorch %s state_dict: %s", path, fam.name, fmt.Sprintf(format, args...))
	}
	ours := map[string]*safetensors.Tensor{} // cocotrain name → tensor
	from := map[string]string{}              // cocotrain name → PyTorch name
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		o, ok := fam.rename(n)
		if !ok {
			return nil, bad("tensor %s is not part of %s with blocks (1, 4, 6, 2)", names[n].Name, fam.name)
		}
		ours[o], from[o] = names[n], names[n].Name
	}
	if fam.arch == "iresnet18" {
		if err := iresnetBlocks(ours); err != nil {
			return nil, bad("%v", err)
		}
	}
	shapes := map[string][]int{}
	for n, t := range ours {
		shapes[n] = t.Shape
	}
	channels, dim, size, err := fam.config(shapes)
	if err != nil {
		return nil, bad("%v", err)
	}
	cfg := model.DefaultConfig()
	cfg.Arch, cfg.Channels, cfg.EmbeddingDim, cfg.InputSize = fam.arch, channels, dim, size
	a := params.New()
	if _, err := model.New(cfg, a); err != nil {
		return nil, bad("%v", err)
	}
	out := safetensors.New()
	for _, p := range a.Params {
		name := strings.TrimPrefix(p.Name, "backbone.")
		t := ours[name]
		switch {
		case t == nil:
			return nil, bad("no tensor %s (cocotrain's %s, %v) for %s %d×%d×%d → %d", torchName(fam, name), p.Name, p.Shape, fam.arch, channels, size, size, dim)
		case t.DType != safetensors.F32:
			return nil, bad("tensor %s is %s: save the state_dict as float32 (net.float())", from[name], t.DType)
		case !slices.Equal(t.Shape, p.Shape):
			return nil, bad("tensor %s (cocotrain's %s) is %v, cocotrain's %s %d×%d×%d → %d wants %v%s", from[name], p.Name, t.Shape, fam.arch, channels, size, size, dim, p.Shape, widthHint(fam))
		}
		if err := out.Add(&safetensors.Tensor{Name: p.Name, DType: t.DType, Shape: p.Shape, Data: t.Data}); err != nil {
			return nil, bad("%v", err)
		}
		delete(ours, name)
	}
	if len(ours) > 0 {
		left := make([]string, 0, len(ours))
		for n := range ours {
			left = append(left, from[n])
		}
		sort.Strings(left)
		return nil, bad("tensor %s is not part of cocotrain's %s", left[0], fam.arch)
	}
	conf := struct {
		Model model.Config `yaml:"model"`
		Loss  loss.Config  `yaml:"loss"`
		Optim optim.Config `yaml:"optim"`
		Data  data.Config  `yaml:"data"`
	}{cfg, loss.DefaultConfig(), optim.DefaultConfig(), data.DefaultConfig()}
	y, err := yaml.Marshal(conf)
	if err != nil {
		return nil, err
	}
	out.Metadata[MetaFormat] = Format
	out.Metadata[MetaConfig] = string(y)
	out.Metadata[MetaStep], out.Metadata[MetaEpoch] = "0", "0"
	return &Checkpoint{Path: path, File: out, Meta: Meta{ConfigYAML: string(y), BestVal: math.NaN(), ValAcc: math.NaN()}}, nil
}

// widthHint explains the usual misfit of an arcface_torch MobileFaceNet.
func widthHint(fam *torchFamily) string {
	if fam.name != "arcface_torch mobilefacenet" {
		return ""
	}
	return " (arcface_torch's get_mbf builds scale 2, twice as wide; cocotrain's mobilefacenet is scale 1)"
}

// torchName is the PyTorch name of cocotrain's tensor name in fam's
// layout, for messages.
func torchName(fam *torchFamily, ours string) string {
	if fam.name != "arcface_torch mobilefacenet" {
		return ours
	}
	for _, n := range mfnTorchNames() {
		if o, _ := torchMFN(n); o == ours {
			return n
		}
	}
	return ours
}

// iresnetBlocks checks the IBasicBlocks per stage: iresnet18's [2 2 2 2].
func iresnetBlocks(ours map[string]*safetensors.Tensor) error {
	blocks := make([]int, 4)
	for l := range blocks {
		for ours[fmt.Sprintf("layer%d.%d.conv1.weight", l+1, blocks[l])] != nil {
			blocks[l]++
		}
	}
	if !slices.Equal(blocks, []int{2, 2, 2, 2}) {
		return fmt.Errorf("an iresnet with blocks %v per stage (iresnet34: [3 4 6 3], iresnet50: [3 4 14 3], iresnet100: [3 13 30 3]): cocotrain builds iresnet18, [2 2 2 2]", blocks)
	}
	return nil
}

// finalSide is the side s of the last feature map from an input size:
// size = 16·s for the three networks' four stride-2 stages.
const finalSideDiv = 16

func iresnetTorchConfig(s map[string][]int) (channels, dim, size int, err error) {
	c, f, fc := s["conv1.weight"], s["features.running_mean"], s["fc.weight"]
	if len(c) != 4 || len(f) != 1 || len(fc) != 2 {
		return 0, 0, 0, fmt.Errorf("conv1.weight %v, features.running_mean %v and fc.weight %v do not describe an iresnet", c, f, fc)
	}
	side, err := squareSide(fc[1], 512, "fc.weight")
	return c[1], f[0], finalSideDiv * side, err
}

func mfnTorchConfig(s map[string][]int) (channels, dim, size int, err error) {
	c, f, dw := s["conv1.conv.weight"], s["bn.running_mean"], s["conv_6_dw.conv.weight"]
	if len(c) != 4 || len(f) != 1 || len(dw) != 4 {
		return 0, 0, 0, fmt.Errorf("conv1.conv.weight %v, bn.running_mean %v and conv_6_dw.conv.weight %v do not describe a mobilefacenet", c, f, dw)
	}
	return c[1], f[0], finalSideDiv * dw[2], nil
}

func tinyTorchConfig(s map[string][]int) (channels, dim, size int, err error) {
	c, f, fc := s["conv1.weight"], s["features.running_mean"], s["fc.weight"]
	if len(c) != 4 || len(f) != 1 || len(fc) != 2 {
		return 0, 0, 0, fmt.Errorf("conv1.weight %v, features.running_mean %v and fc.weight %v do not describe tiny", c, f, fc)
	}
	side, err := squareSide(fc[1], 256, "fc.weight")
	return c[1], f[0], finalSideDiv * side, err
}

// smallTorchConfig is tinyTorchConfig for small, whose first convolution
// is conv1a (conv1 reads conv1a's output).
func smallTorchConfig(s map[string][]int) (channels, dim, size int, err error) {
	c := s["conv1a.weight"]
	if len(c) != 4 {
		return 0, 0, 0, fmt.Errorf("conv1a.weight %v does not describe small", c)
	}
	_, dim, size, err = tinyTorchConfig(s)
	return c[1], dim, size, err
}

// squareSide returns s with n = ch·s², or an error naming the tensor.
func squareSide(n, ch int, what string) (int, error) {
	s := int(math.Round(math.Sqrt(float64(n) / float64(ch))))
	if s < 1 || ch*s*s != n {
		return 0, fmt.Errorf("%s has %d inputs, not %d channels of a square map", what, n, ch)
	}
	return s, nil
}

// arcface_torch MobileFaceNet(blocks=(1, 4, 6, 2)): its top-level modules
// in order, and cocotrain's names for them.
var mfnTop = []struct {
	ours, kind string
	blocks     int // Residual: DepthWise blocks
}{
	{"conv1", "conv", 0}, {"conv2_dw", "conv", 0}, {"conv_23", "dw", 0}, {"conv_3", "res", 4},
	{"conv_34", "dw", 0}, {"conv_4", "res", 6}, {"conv_45", "dw", 0}, {"conv_5", "res", 2},
}

// torchMFN maps an arcface_torch MobileFaceNet name to cocotrain's:
//
//	layers.0, layers.1 (ConvBlock)          conv1, conv2_dw
//	layers.2, .4, .6 (DepthWise)            conv_23, conv_34, conv_45
//	layers.3, .5, .7 (Residual): layers.i   conv_3, conv_4, conv_5: model.i
//	conv_sep (ConvBlock)                    conv_6_sep
//	features.layers.0 (LinearBlock)         conv_6_dw
//	features.layers.2 (Linear)              linear
//	features.layers.3 (BatchNorm1d)         bn
//	ConvBlock layers.0, .1, .2              conv, bn, prelu
//	LinearBlock layers.0, .1                conv, bn
//	DepthWise layers.0, .1, .2              conv, conv_dw, project
func torchMFN(name string) (string, bool) {
	p := strings.Split(name, ".")
	switch {
	case len(p) >= 3 && p[0] == "layers":
		i, err := strconv.Atoi(p[1])
		if err != nil || i < 0 || i >= len(mfnTop) {
			return "", false
		}
		top := mfnTop[i]
		var rest string
		var ok bool
		switch top.kind {
		case "conv":
			rest, ok = mfnBlock(p[2:], []string{"conv", "bn", "prelu"})
		case "dw":
			rest, ok = mfnDepthWise(p[2:])
		case "res":
			if len(p) < 5 || p[2] != "layers" {
				return "", false
			}
			j, err := strconv.Atoi(p[3])
			if err != nil || j < 0 || j >= top.blocks {
				return "", false
			}
			rest, ok = mfnDepthWise(p[4:])
			rest = "model." + p[3] + "." + rest
		}
		return top.ours + "." + rest, ok
	case len(p) >= 2 && p[0] == "conv_sep":
		rest, ok := mfnBlock(p[1:], []string{"conv", "bn", "prelu"})
		return "conv_6_sep." + rest, ok
	case len(p) >= 4 && p[0] == "features" && p[1] == "layers":
		switch p[2] {
		case "0":
			rest, ok := mfnBlock(p[3:], []string{"conv", "bn"})
			return "conv_6_dw." + rest, ok
		case "2":
			return "linear." + strings.Join(p[3:], "."), len(p) == 4 && p[3] == "weight"
		case "3":
			return "bn." + strings.Join(p[3:], "."), len(p) == 4
		}
	}
	return "", false
}

// mfnBlock maps "layers.<i>.<tensor>" of a ConvBlock or LinearBlock.
func mfnBlock(p []string, parts []string) (string, bool) {
	if len(p) != 3 || p[0] != "layers" {
		return "", false
	}
	i, err := strconv.Atoi(p[1])
	if err != nil || i < 0 || i >= len(parts) {
		return "", false
	}
	return parts[i] + "." + p[2], true
}

// mfnDepthWise maps "layers.<i>.<ConvBlock or LinearBlock name>" of a
// DepthWise.
func mfnDepthWise(p []string) (string, bool) {
	if len(p) < 2 || p[0] != "layers" {
		return "", false
	}
	switch p[1] {
	case "0", "1":
		rest, ok := mfnBlock(p[2:], []string{"conv", "bn", "prelu"})
		return []string{"conv", "conv_dw"}[p[1][0]-'0'] + "." + rest, ok
	case "2":
		rest, ok := mfnBlock(p[2:], []string{"conv", "bn"})
		return "project." + rest, ok
	}
	return "", false
}

// mfnTorchNames lists arcface_torch MobileFaceNet's tensor names (for
// messages and tests), in module order.
func mfnTorchNames() []string {
	bn := []string{"weight", "bias", "running_mean", "running_var"}
	var out []string
	block := func(prefix string, prelu bool) {
		out = append(out, prefix+"layers.0.weight")
		for _, t := range bn {
			out = append(out, prefix+"layers.1."+t)
		}
		if prelu {
			out = append(out, prefix+"layers.2.weight")
		}
	}
	dw := func(prefix string) {
		block(prefix+"layers.0.", true)
		block(prefix+"layers.1.", true)
		block(prefix+"layers.2.", false)
	}
	for i, top := range mfnTop {
		prefix := fmt.Sprintf("layers.%d.", i)
		switch top.kind {
		case "conv":
			block(prefix, true)
		case "dw":
			dw(prefix)
		case "res":
			for j := range top.blocks {
				dw(fmt.Sprintf("%slayers.%d.", prefix, j))
			}
		}
	}
	block("conv_sep.", true)
	block("features.layers.0.", false)
	out = append(out, "features.layers.2.weight")
	for _, t := range bn {
		out = append(out, "features.layers.3."+t)
	}
	return out
}
