package onnx

import (
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of onnx.proto (proto2: repeated scalars are unpacked unless
// the specification marks them packed).
const (
	modelIRVersion       = 1
	modelProducerName    = 2
	modelProducerVersion = 3
	modelDomain          = 4
	modelModelVersion    = 5
	modelDocString       = 6
	modelGraph           = 7
	modelOpsetImport     = 8
	modelMetadataProps   = 14

	opsetDomain  = 1
	opsetVersion = 2

	entryKey   = 1
	entryValue = 2

	graphNode        = 1
	graphName        = 2
	graphInitializer = 5
	graphDocString   = 10
	graphInput       = 11
	graphOutput      = 12
	graphValueInfo   = 13

	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5
	nodeDocString = 6
	nodeDomain    = 7

	attrName   = 1
	attrF      = 2
	attrI      = 3
	attrS      = 4
	attrFloats = 7
	attrInts   = 8
	attrType   = 20

	tensorDims     = 1
	tensorDataType = 2
	tensorName     = 8
	tensorRawData  = 9

	valueInfoName      = 1
	valueInfoType      = 2
	valueInfoDocString = 3

	typeTensorType = 1 // TypeProto.tensor_type

	tensorTypeElemType = 1 // TypeProto.Tensor
	tensorTypeShape    = 2

	shapeDim = 1 // TensorShapeProto.dim

	dimValue = 1 // TensorShapeProto.Dimension
	dimParam = 2
)

// Marshal encodes m in the protobuf wire format (the bytes of a .onnx file).
func (m *Model) Marshal() []byte {
	var b []byte
	b = appendInt(b, modelIRVersion, m.IRVersion)
	b = appendString(b, modelProducerName, m.ProducerName)
	b = appendString(b, modelProducerVersion, m.ProducerVersion)
	b = appendString(b, modelDomain, m.Domain)
	b = appendInt(b, modelModelVersion, m.ModelVersion)
	b = appendString(b, modelDocString, m.DocString)
	if m.Graph != nil {
		b = appendMessage(b, modelGraph, m.Graph.marshal(nil))
	}
	for _, o := range m.OpsetImports {
		// the domain is written even when empty ("ai.onnx"), as the
		// reference helper make_opsetid does
		ob := protowire.AppendTag(nil, opsetDomain, protowire.BytesType)
		ob = protowire.AppendString(ob, o.Domain)
		ob = protowire.AppendTag(ob, opsetVersion, protowire.VarintType)
		ob = protowire.AppendVarint(ob, uint64(o.Version))
		b = appendMessage(b, modelOpsetImport, ob)
	}
	for _, e := range m.MetadataProps {
		var eb []byte
		eb = appendString(eb, entryKey, e.Key)
		eb = appendString(eb, entryValue, e.Value)
		b = appendMessage(b, modelMetadataProps, eb)
	}
	return b
}

func (g *Graph) marshal(b []byte) []byte {
	for _, n := range g.Nodes {
		b = appendMessage(b, graphNode, n.marshal(nil))
	}
	b = appendString(b, graphName, g.Name)
	for _, t := range g.Initializers {
		b = appendMessage(b, graphInitializer, t.marshal(nil))
	}
	b = appendString(b, graphDocString, g.DocString)
	for _, v := range g.Inputs {
		b = appendMessage(b, graphInput, v.marshal(nil))
	}
	for _, v := range g.Outputs {
		b = appendMessage(b, graphOutput, v.marshal(nil))
	}
	for _, v := range g.ValueInfo {
		b = appendMessage(b, graphValueInfo, v.marshal(nil))
	}
	return b
}

func (n *Node) marshal(b []byte) []byte {
	for _, s := range n.Inputs {
		b = protowire.AppendTag(b, nodeInput, protowire.BytesType)
		b = protowire.AppendString(b, s)
	}
	for _, s := range n.Outputs {
		b = protowire.AppendTag(b, nodeOutput, protowire.BytesType)
		b = protowire.AppendString(b, s)
	}
	b = appendString(b, nodeName, n.Name)
	b = appendString(b, nodeOpType, n.OpType)
	for _, a := range n.Attributes {
		b = appendMessage(b, nodeAttribute, a.marshal(nil))
	}
	b = appendString(b, nodeDocString, n.DocString)
	b = appendString(b, nodeDomain, n.Domain)
	return b
}

// marshal writes the name, the value field Type selects (even when zero)
// and the type.
func (a *Attribute) marshal(b []byte) []byte {
	b = appendString(b, attrName, a.Name)
	switch a.Type {
	case AttrFloat:
		b = protowire.AppendTag(b, attrF, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, math.Float32bits(a.F))
	case AttrInt:
		b = protowire.AppendTag(b, attrI, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(a.I))
	case AttrString:
		b = protowire.AppendTag(b, attrS, protowire.BytesType)
		b = protowire.AppendBytes(b, a.S)
	case AttrFloats:
		for _, f := range a.Floats {
			b = protowire.AppendTag(b, attrFloats, protowire.Fixed32Type)
			b = protowire.AppendFixed32(b, math.Float32bits(f))
		}
	case AttrInts:
		for _, v := range a.Ints {
			b = protowire.AppendTag(b, attrInts, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(v))
		}
	}
	b = protowire.AppendTag(b, attrType, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(a.Type))
}

func (t *Tensor) marshal(b []byte) []byte {
	for _, d := range t.Dims {
		b = protowire.AppendTag(b, tensorDims, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(d))
	}
	b = protowire.AppendTag(b, tensorDataType, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(t.DataType))
	b = appendString(b, tensorName, t.Name)
	b = protowire.AppendTag(b, tensorRawData, protowire.BytesType)
	return protowire.AppendBytes(b, t.RawData)
}

func (v *ValueInfo) marshal(b []byte) []byte {
	b = appendString(b, valueInfoName, v.Name)
	var shape []byte
	for _, d := range v.Shape {
		var db []byte
		if d.Param != "" {
			db = appendString(db, dimParam, d.Param)
		} else {
			db = protowire.AppendTag(db, dimValue, protowire.VarintType)
			db = protowire.AppendVarint(db, uint64(d.Value))
		}
		shape = appendMessage(shape, shapeDim, db)
	}
	var tt []byte
	tt = protowire.AppendTag(tt, tensorTypeElemType, protowire.VarintType)
	tt = protowire.AppendVarint(tt, uint64(v.ElemType))
	tt = appendMessage(tt, tensorTypeShape, shape)
	b = appendMessage(b, valueInfoType, appendMessage(nil, typeTensorType, tt))
	return appendString(b, valueInfoDocString, v.DocString)
}

// appendString writes a string field, or nothing when s is empty (an unset
// optional field).
func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

// appendInt writes an int64 field, or nothing when v is 0 (unset).
func appendInt(b []byte, num protowire.Number, v int64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(v))
}

// appendMessage writes an embedded message's encoding msg as field num.
func appendMessage(b []byte, num protowire.Number, msg []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, msg)
}
