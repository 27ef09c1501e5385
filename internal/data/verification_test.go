package data

import (
	"slices"
	"testing"
)

func TestRefoldStratifies(t *testing.T) {
	// One fold as View 1 has it: 6 matched pairs, then 4 mismatched ones.
	v := &VerificationSet{Folds: 1}
	for i := 0; i < 10; i++ {
		v.Left = append(v.Left, i)
		v.Right = append(v.Right, 100+i)
		v.Same = append(v.Same, i < 6)
	}
	if err := v.Refold(2); err != nil {
		t.Fatal(err)
	}
	if v.Folds != 2 {
		t.Fatalf("Folds = %d, want 2", v.Folds)
	}
	wantLeft := []int{0, 1, 2, 6, 7, 3, 4, 5, 8, 9}
	if !slices.Equal(v.Left, wantLeft) {
		t.Fatalf("Left = %v, want %v", v.Left, wantLeft)
	}
	for i, l := range v.Left {
		if v.Right[i] != 100+l || v.Same[i] != (l < 6) {
			t.Fatalf("pair %d lost its partner or its kind: %d-%d same=%v", i, l, v.Right[i], v.Same[i])
		}
	}
}

func TestRefoldRefusesUnevenSplit(t *testing.T) {
	v := &VerificationSet{Folds: 1, Left: make([]int, 5), Right: make([]int, 5), Same: []bool{true, true, true, false, false}}
	if err := v.Refold(2); err == nil {
		t.Fatal("3 matched pairs split into 2 folds without an error")
	}
	if v.Folds != 1 {
		t.Fatal("a refused Refold changed the set")
	}
}
