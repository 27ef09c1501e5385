// Package onnx is a typed writer for the subset of the ONNX model format
// (onnx.proto, https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) that
// cocotrain exports: a model of one graph of nodes with float tensors as
// initializers. The messages are encoded with
// google.golang.org/protobuf/encoding/protowire; the field numbers are the
// specification's, written in field-number order as the reference
// implementation serialises them.
package onnx

// DataType is TensorProto.DataType.
type DataType int32

// The element types cocotrain writes.
const (
	Float DataType = 1
	Int64 DataType = 7
)

// AttrType is AttributeProto.AttributeType: which value field is in use.
type AttrType int32

// The attribute types cocotrain writes.
const (
	AttrFloat  AttrType = 1
	AttrInt    AttrType = 2
	AttrString AttrType = 3
	AttrFloats AttrType = 6
	AttrInts   AttrType = 7
)

// Model is ModelProto.
type Model struct {
	IRVersion       int64 // ir_version
	ProducerName    string
	ProducerVersion string
	Domain          string
	ModelVersion    int64
	DocString       string
	Graph           *Graph
	OpsetImports    []OperatorSetID
	MetadataProps   []StringStringEntry
}

// OperatorSetID is OperatorSetIdProto: Domain "" is the default ONNX
// operator set ("ai.onnx").
type OperatorSetID struct {
	Domain  string
	Version int64
}

// StringStringEntry is StringStringEntryProto, a metadata key and value.
type StringStringEntry struct{ Key, Value string }

// Graph is GraphProto: Nodes in topological order, Initializers the
// constant tensors (weights), Inputs and Outputs the graph's interface.
type Graph struct {
	Nodes        []*Node
	Name         string
	Initializers []*Tensor
	DocString    string
	Inputs       []*ValueInfo
	Outputs      []*ValueInfo
	ValueInfo    []*ValueInfo
}

// Node is NodeProto: one operator application.
type Node struct {
	Inputs     []string
	Outputs    []string
	Name       string
	OpType     string
	Attributes []*Attribute
	DocString  string
	Domain     string
}

// Attribute is AttributeProto; the field Type names is the one written.
type Attribute struct {
	Name   string
	Type   AttrType
	F      float32
	I      int64
	S      []byte
	Floats []float32
	Ints   []int64
}

// Tensor is TensorProto with its data in RawData (little-endian, row-major).
type Tensor struct {
	Dims     []int64
	DataType DataType
	Name     string
	RawData  []byte
}

// ValueInfo is ValueInfoProto for a tensor: its name, element type and
// shape (TypeProto.Tensor with a TensorShapeProto).
type ValueInfo struct {
	Name     string
	ElemType DataType
	Shape    []Dim
	// DocString is the value's description.
	DocString string
}

// Dim is TensorShapeProto.Dimension: a fixed Value, or a symbolic Param
// (such as "N" for a dynamic batch) when Param is not empty.
type Dim struct {
	Value int64
	Param string
}

// IntAttr is an INT attribute.
func IntAttr(name string, v int64) *Attribute {
	return &Attribute{Name: name, Type: AttrInt, I: v}
}

// IntsAttr is an INTS attribute.
func IntsAttr(name string, v ...int64) *Attribute {
	return &Attribute{Name: name, Type: AttrInts, Ints: v}
}

// FloatAttr is a FLOAT attribute.
func FloatAttr(name string, v float32) *Attribute {
	return &Attribute{Name: name, Type: AttrFloat, F: v}
}
