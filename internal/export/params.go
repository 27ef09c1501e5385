package export

import "github.com/cocotrain/cocotrain/internal/params"

// values is p's data, nil for an absent tensor.
func values(p *params.Param) []float32 {
	if p == nil {
		return nil
	}
	return p.W
}
