package safetensors

// DType is a safetensors element type, spelled as in the file header ("F32").
type DType string

// The element types of the safetensors format. Decode accepts all of them (so
// a foreign file is read whole); File has typed accessors for F32, I64 and U8.
const (
	BOOL   DType = "BOOL"
	U8     DType = "U8"
	I8     DType = "I8"
	F8E5M2 DType = "F8_E5M2"
	F8E4M3 DType = "F8_E4M3"
	I16    DType = "I16"
	U16    DType = "U16"
	F16    DType = "F16"
	BF16   DType = "BF16"
	I32    DType = "I32"
	U32    DType = "U32"
	F32    DType = "F32"
	F64    DType = "F64"
	I64    DType = "I64"
	U64    DType = "U64"
)

// dtypeRank is the order of the reference implementation's Dtype enum; the
// encoder writes tensors by descending rank (wider types first, so every
// tensor stays aligned to its element size), then by name.
var dtypeRank = map[DType]int{
	BOOL: 0, U8: 1, I8: 2, F8E5M2: 3, F8E4M3: 4, I16: 5, U16: 6, F16: 7,
	BF16: 8, I32: 9, U32: 10, F32: 11, F64: 12, I64: 13, U64: 14,
}

// Size is the number of bytes of one element, or 0 for an unknown type.
func (d DType) Size() int {
	switch d {
	case BOOL, U8, I8, F8E5M2, F8E4M3:
		return 1
	case I16, U16, F16, BF16:
		return 2
	case I32, U32, F32:
		return 4
	case F64, I64, U64:
		return 8
	}
	return 0
}
