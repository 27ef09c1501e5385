package onnx

import (
	"bytes"
	"os"
	"testing"
)

// referenceModel is the model scripts/check_onnx_fixture.py builds with the
// reference ONNX library.
func referenceModel(t *testing.T) *Model {
	t.Helper()
	w := make([]float32, 18)
	for i := range w {
		w[i] = float32(i)/8 - 1
	}
	tensor := func(name string, data []float32, dims ...int) *Tensor {
		tt, err := FloatTensor(name, data, dims...)
		if err != nil {
			t.Fatal(err)
		}
		return tt
	}
	return &Model{
		IRVersion:       6,
		ProducerName:    "cocotrain",
		ProducerVersion: "test",
		ModelVersion:    3,
		DocString:       "model doc",
		Graph: &Graph{
			Nodes: []*Node{
				{Inputs: []string{"data", "w"}, Outputs: []string{"c"}, Name: "conv", OpType: "Conv", Attributes: []*Attribute{
					IntAttr("group", 1), IntsAttr("kernel_shape", 3, 3), IntsAttr("pads", 1, 1, 1, 1), IntsAttr("strides", 1, 1),
				}},
				{Inputs: []string{"c", "slope"}, Outputs: []string{"p"}, Name: "prelu", OpType: "PRelu", DocString: "slopes"},
				{Inputs: []string{"p", "s", "b", "m", "v"}, Outputs: []string{"fc1"}, Name: "bn", OpType: "BatchNormalization", Attributes: []*Attribute{FloatAttr("epsilon", 1e-5)}},
				{Inputs: []string{"fc1"}, Outputs: []string{"fc1_flat"}, Name: "flatten", OpType: "Flatten", Attributes: []*Attribute{IntAttr("axis", 1)}},
			},
			Name: "g",
			Initializers: []*Tensor{
				tensor("w", w, 2, 1, 3, 3),
				tensor("slope", []float32{0.25, -0.5}, 2, 1, 1),
				tensor("s", []float32{1, 2}, 2),
				tensor("b", []float32{0, -1}, 2),
				tensor("m", []float32{0.5, 0}, 2),
				tensor("v", []float32{1, 4}, 2),
			},
			DocString: "graph doc",
			Inputs:    []*ValueInfo{{Name: "data", ElemType: Float, Shape: []Dim{{Param: "N"}, {Value: 1}, {Value: 4}, {Value: 4}}, DocString: "input"}},
			Outputs:   []*ValueInfo{{Name: "fc1_flat", ElemType: Float, Shape: []Dim{{Param: "N"}, {Value: 32}}}},
		},
		OpsetImports:  []OperatorSetID{{Domain: "", Version: 11}},
		MetadataProps: []StringStringEntry{{"normalisation", "(x - 127.5) / 127.5"}},
	}
}

// TestMarshalMatchesReference compares the writer's bytes with the
// reference library's serialisation of the same model
// (testdata/reference.onnx, scripts/check_onnx_fixture.py).
func TestMarshalMatchesReference(t *testing.T) {
	want, err := os.ReadFile("testdata/reference.onnx")
	if err != nil {
		t.Fatal(err)
	}
	got := referenceModel(t).Marshal()
	if !bytes.Equal(got, want) {
		n := 0
		for n < min(len(got), len(want)) && got[n] == want[n] {
			n++
		}
		t.Fatalf("marshalled %d bytes, reference %d; first difference at byte %d", len(got), len(want), n)
	}
}

func TestFloatTensorChecksSize(t *testing.T) {
	if _, err := FloatTensor("x", make([]float32, 5), 2, 3); err == nil {
		t.Fatal("5 values for dims [2 3] accepted")
	}
	tt, err := FloatTensor("x", []float32{1, -2}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0}; !bytes.Equal(tt.RawData, want) {
		t.Fatalf("raw data % x, want % x (little-endian float32)", tt.RawData, want)
	}
}
