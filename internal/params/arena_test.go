package params

import "testing"

func TestAllocLaysOutViews(t *testing.T) {
	a := New()
	w := a.Declare("conv.weight", Weight, 2, 3)
	rm := a.Declare("bn.running_mean", Buffer, 4)
	b := a.Declare("conv.bias", Bias, 2)
	a.Alloc()
	if len(a.Data) != 8 || len(a.Grad) != 8 || len(a.State) != 4 {
		t.Fatalf("sizes: data %d grad %d state %d", len(a.Data), len(a.Grad), len(a.State))
	}
	if w.Offset != 0 || b.Offset != 6 || rm.Offset != 0 {
		t.Fatalf("offsets: %d %d %d", w.Offset, b.Offset, rm.Offset)
	}
	b.W[1] = 5
	b.G[0] = 7
	rm.W[3] = 9
	if a.Data[7] != 5 || a.Grad[6] != 7 || a.State[3] != 9 || rm.G != nil {
		t.Fatal("views do not alias the arenas")
	}
	if a.Lookup("conv.bias") != b || a.Lookup("nope") != nil {
		t.Fatal("lookup")
	}
	// Views are capped: appending must not write into a neighbour.
	if cap(w.W) != 6 {
		t.Fatalf("cap %d", cap(w.W))
	}
}

func TestDeclarePanicsOnDuplicate(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	a := New()
	a.Declare("x", Weight, 1)
	a.Declare("x", Weight, 1)
}
