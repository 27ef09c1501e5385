//go:build !noasm

package kernels

// The Winograd dispatch on amd64: the loop tables of each instruction set
// (declared in winograd_avx512_amd64.go and winograd_avx2_amd64.go), the
// table an implementation picks for a tile size and row length, and the
// implementations this CPU runs.

// winoAVX512Loops are the AVX-512 loops by tile size (m = 2, 4) and tile
// row length (4 tiles, 8 tiles, any other).
var winoAVX512Loops = [2][3]winoAsmLoops{
	{
		{cols: [4]winoColLoop{winoColsIn2x4AVX512, winoColsOut2x4AVX512, winoColsOutGrad2x4AVX512, winoColsInGrad2x4AVX512},
			rows: winoRowsAVX512[0]},
		{cols: [4]winoColLoop{winoColsIn2x8AVX512, winoColsOut2x8AVX512, winoColsOutGrad2x8AVX512, winoColsInGrad2x8AVX512},
			rows: winoRowsAVX512[0]},
		{cols: [4]winoColLoop{winoColsInAVX512, winoColsOutAVX512, winoColsOutGradAVX512, winoColsInGradAVX512},
			rows: winoRowsAVX512[0]},
	},
	{
		{cols: [4]winoColLoop{winoColsIn4x4AVX512, winoColsOut4x4AVX512, winoColsOutGrad4x4AVX512, winoColsInGrad4x4AVX512},
			rows: winoRowsAVX512[1]},
		{cols: [4]winoColLoop{winoColsIn4x8AVX512, winoColsOut4x8AVX512, winoColsOutGrad4x8AVX512, winoColsInGrad4x8AVX512},
			rows: winoRowsAVX512[1]},
		{cols: [4]winoColLoop{winoColsIn4AVX512, winoColsOut4AVX512, winoColsOutGrad4AVX512, winoColsInGrad4AVX512},
			rows: winoRowsAVX512[1]},
	},
}

// winoRowsAVX512 are the AVX-512 row loops by tile size, by direction.
var winoRowsAVX512 = [2][4]winoRowLoop{
	{winoRowsInAVX512, winoRowsOutAVX512, winoRowsOutGradAVX512, winoRowsInGradAVX512},
	{winoRowsIn4AVX512, winoRowsOut4AVX512, winoRowsOutGrad4AVX512, winoRowsInGrad4AVX512},
}

// winoAVX2Loops are the AVX2 loops by tile size (m = 2, 4), for any row
// length.
var winoAVX2Loops = [2]winoAsmLoops{
	{cols: [4]winoColLoop{winoColsInAVX2, winoColsOutAVX2, winoColsOutGradAVX2, winoColsInGradAVX2},
		rows: [4]winoRowLoop{winoRowsInAVX2, winoRowsOutAVX2, winoRowsOutGradAVX2, winoRowsInGradAVX2}},
	{cols: [4]winoColLoop{winoColsIn4AVX2, winoColsOut4AVX2, winoColsOutGrad4AVX2, winoColsInGrad4AVX2},
		rows: [4]winoRowLoop{winoRowsIn4AVX2, winoRowsOut4AVX2, winoRowsOutGrad4AVX2, winoRowsInGrad4AVX2}},
}

// winoAVX512 and winoAVX2 run the transforms' loops in assembly.
var (
	winoAVX512 = winoImpl{name: "avx512", asm: func(m, nt int) *winoAsmLoops {
		shape := 2
		switch nt {
		case 4:
			shape = 0
		case 8:
			shape = 1
		}
		return &winoAVX512Loops[m/4][shape]
	}}
	winoAVX2 = winoImpl{name: "avx2", asm: func(m, nt int) *winoAsmLoops { return &winoAVX2Loops[m/4] }}
)

// winoImpls lists the Winograd transform implementations this CPU runs,
// best first.
func winoImpls() []winoImpl {
	var impls []winoImpl
	if hasAVX512 {
		impls = append(impls, winoAVX512)
	}
	if hasAVX2 {
		impls = append(impls, winoAVX2)
	}
	return append(impls, winoGo)
}
