package data

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
