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

func TestAllocSharedAliasesTheSource(t *testing.T) {
	src := New()
	src.Declare("head.centroids", Center, 3, 2)
	sw := src.Declare("conv.weight", Weight, 2, 3)
	sm := src.Declare("bn.running_mean", Buffer, 4)
	src.Alloc()
	a := New()
	w := a.Declare("conv.weight", Weight, 2, 3)
	m := a.Declare("bn.running_mean", Buffer, 4)
	if err := a.AllocShared(src); err != nil {
		t.Fatal(err)
	}
	w.W[5], w.G[1], m.W[2] = 7, 8, 9
	if sw.W[5] != 7 || sw.G[1] != 8 || sm.W[2] != 9 {
		t.Fatal("the shared views do not alias the source")
	}
	if a.Data != nil || a.Grad != nil || a.State != nil {
		t.Fatal("AllocShared allocated storage")
	}
}

func TestAllocSharedRejectsMismatches(t *testing.T) {
	src := New()
	src.Declare("conv.weight", Weight, 2, 3)
	src.Alloc()
	for name, declare := range map[string]func(a *Arena){
		"missing": func(a *Arena) { a.Declare("conv.bias", Bias, 2) },
		"shape":   func(a *Arena) { a.Declare("conv.weight", Weight, 3, 2) },
		"kind":    func(a *Arena) { a.Declare("conv.weight", Buffer, 2, 3) },
	} {
		a := New()
		declare(a)
		if err := a.AllocShared(src); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	unalloc := New()
	unalloc.Declare("conv.weight", Weight, 2, 3)
	a := New()
	a.Declare("conv.weight", Weight, 2, 3)
	if err := a.AllocShared(unalloc); err == nil {
		t.Error("unallocated source: no error")
	}
}
