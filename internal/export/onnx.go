// Package export writes a trained network in formats other tools read:
// ONNX (the backbone, for ONNX Runtime and insightface's model zoo).
package export

import (
	"fmt"

	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/onnx"
)

// The ONNX versions written: operator set 11 of the default domain (the
// one insightface's recognition models use) in IR version 6, the IR of
// ONNX 1.6, which introduced opset 11.
const (
	OpsetVersion = 11
	IRVersion    = 6
)

// InputName and OutputName are the graph's input and output, as in
// insightface's recognition models (which name the input "data").
const (
	InputName  = "data"
	OutputName = "embedding"
)

// Normalisation states the preprocessing the exported model expects, as
// cocotrain's loader applies it (internal/data.Normalize).
const Normalisation = "(v - 127.5) / 127.5"

// ONNX returns net's backbone in eval mode as an ONNX model: input "data"
// N×C×S×S float32 (N dynamic: dim_param "N"; RGB planes, or one grey
// plane), output "embedding" N×D, the embedding before L2 normalisation.
// Batch norms that follow a convolution or the embedding Linear are folded
// into its weights and bias (computed in float64, rounded once); the others
// stay BatchNormalization nodes. doc is appended to the model's doc string,
// metadata to its metadata_props.
func ONNX(net *model.Net, doc string, metadata []onnx.StringStringEntry) (*onnx.Model, error) {
	cfg := net.Config()
	in := net.InShape()
	g := newGraph()
	x := value{InputName, 4}
	var err error
	for _, l := range net.Layers() {
		if x, err = g.layer(l, x); err != nil {
			return nil, err
		}
	}
	colour := "RGB planes in R, G, B order"
	if in.C == 1 {
		colour = "one grey plane (ITU-R 601 luma)"
	}
	desc := fmt.Sprintf("cocotrain %s backbone. Input %q: float32 N×%d×%d×%d (N dynamic), %s, each 8-bit pixel value v normalised as %s (= v/127.5 - 1, in -1..1). "+
		"Output %q: float32 N×%d, the embedding before L2 normalisation (compare faces by the cosine of the embeddings).",
		cfg.Arch, InputName, in.C, in.H, in.W, colour, Normalisation, OutputName, cfg.EmbeddingDim)
	if doc != "" {
		desc += " " + doc
	}
	input := &onnx.ValueInfo{Name: InputName, ElemType: onnx.Float, Shape: []onnx.Dim{{Param: "N"}, {Value: int64(in.C)}, {Value: int64(in.H)}, {Value: int64(in.W)}}}
	output := &onnx.ValueInfo{Name: OutputName, ElemType: onnx.Float, Shape: []onnx.Dim{{Param: "N"}, {Value: int64(cfg.EmbeddingDim)}}}
	gr, err := g.finish("cocotrain_"+cfg.Arch, "", input, output, x)
	if err != nil {
		return nil, err
	}
	md := append([]onnx.StringStringEntry{
		{Key: "arch", Value: cfg.Arch},
		{Key: "input_size", Value: fmt.Sprint(cfg.InputSize)},
		{Key: "channels", Value: fmt.Sprint(cfg.Channels)},
		{Key: "embedding_dim", Value: fmt.Sprint(cfg.EmbeddingDim)},
		{Key: "normalisation", Value: Normalisation},
	}, metadata...)
	return &onnx.Model{
		IRVersion:     IRVersion,
		ProducerName:  "cocotrain",
		DocString:     desc,
		Graph:         gr,
		OpsetImports:  []onnx.OperatorSetID{{Version: OpsetVersion}},
		MetadataProps: md,
	}, nil
}
