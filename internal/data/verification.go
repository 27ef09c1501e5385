package data

import "fmt"

// VerificationSet is a pair-verification benchmark (LFW and the like): the
// images the pairs refer to, each stored once, and the pairs as indexes into
// them, laid out as Folds contiguous folds of equal size.
type VerificationSet struct {
	// Images holds each referenced image once; Label is its identity.
	Images Source
	// Left[k] and Right[k] are the Images indexes of pair k.
	Left, Right []int
	// Same[k] reports whether pair k shows one identity twice.
	Same []bool
	// Folds is the number of contiguous folds the pairs split into.
	Folds int
}

// NumPairs is the number of pairs.
func (v *VerificationSet) NumPairs() int { return len(v.Same) }

// Refold lays the pairs out again as k contiguous folds of equal size, each
// with an equal share of the matched and of the mismatched pairs, keeping
// the file order within each kind: fold f holds matched pairs
// [f·m/k, (f+1)·m/k) then the mismatched pairs likewise. It turns a
// one-fold file such as LFW View 1's pairsDevTest.txt (500 matched, then 500
// mismatched) into k folds of the View 2 layout, so that each fold is scored
// at a threshold chosen on the others. Both counts must be multiples of k.
func (v *VerificationSet) Refold(k int) error {
	var same, diff []int
	for i, s := range v.Same {
		if s {
			same = append(same, i)
		} else {
			diff = append(diff, i)
		}
	}
	if k < 1 || len(same) < k || len(diff) < k || len(same)%k != 0 || len(diff)%k != 0 {
		return fmt.Errorf("%d matched and %d mismatched pairs do not split evenly into %d folds", len(same), len(diff), k)
	}
	ms, md := len(same)/k, len(diff)/k
	order := make([]int, 0, len(v.Same))
	for f := 0; f < k; f++ {
		order = append(order, same[f*ms:(f+1)*ms]...)
		order = append(order, diff[f*md:(f+1)*md]...)
	}
	left, right, s := make([]int, len(order)), make([]int, len(order)), make([]bool, len(order))
	for i, j := range order {
		left[i], right[i], s[i] = v.Left[j], v.Right[j], v.Same[j]
	}
	v.Left, v.Right, v.Same, v.Folds = left, right, s, k
	return nil
}
