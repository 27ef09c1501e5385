package checkpoint

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// FuzzCheckpoint feeds mutated checkpoints to the reader and the parameter
// loader: they must return an error or a usable checkpoint, never panic, and
// never change the arena on error.
func FuzzCheckpoint(f *testing.F) {
	path := filepath.Join(f.TempDir(), "ck.safetensors")
	a, o := smallArena(f, 1)
	if err := Save(path, a, o, smallMeta(3)); err != nil {
		f.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add(raw[:len(raw)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		sf, err := safetensors.Decode(b)
		if err != nil {
			return
		}
		ck, err := Parse("fuzz", sf)
		if err != nil {
			return
		}
		dst, _ := smallArena(t, 5)
		before := append([]float32(nil), dst.Data...)
		if err := ck.LoadParams(dst); err != nil {
			for i, v := range dst.Data {
				if v != before[i] {
					t.Fatalf("failed load changed the arena: %v", err)
				}
			}
		}
	})
}
