package onnx

import (
	"encoding/binary"
	"fmt"
	"math"
)

// FloatTensor is a FLOAT tensor named name of the given dims holding data
// (row-major; len(data) must be the product of dims).
func FloatTensor(name string, data []float32, dims ...int) (*Tensor, error) {
	n := 1
	d := make([]int64, len(dims))
	for i, v := range dims {
		n *= v
		d[i] = int64(v)
	}
	if n != len(data) {
		return nil, fmt.Errorf("onnx: tensor %s: %d values for dims %v", name, len(data), dims)
	}
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	return &Tensor{Dims: d, DataType: Float, Name: name, RawData: raw}, nil
}
