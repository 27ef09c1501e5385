package data

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// MakePairs draws an LFW-style pairs file for a labelled image set: folds
// folds that share no identity (identities are shuffled and dealt round
// robin), each of perFold matched pairs (an identity with at least two images
// drawn uniformly, then two of its images) followed by perFold mismatched
// pairs (two identities of the fold, one image of each), no pair twice in a
// fold. classes names the identities and counts[i] is the number of images
// of classes[i]; a pair names image n (1-based) of an identity, the n-th of
// its images in the order the source lists them (sorted file names in an
// ImageFolder), which is how LoadLFW resolves it in a directory that does
// not use LFW's Name_NNNN file names. The same seed gives the same file.
// It fails, saying which fold and why, when a fold cannot hold perFold
// distinct pairs of either kind.
func MakePairs(classes []string, counts []int, folds, perFold int, seed uint64) (*Pairs, error) {
	if len(classes) != len(counts) {
		return nil, fmt.Errorf("pairs: %d identities but %d image counts", len(classes), len(counts))
	}
	if folds < 1 || perFold < 1 {
		return nil, fmt.Errorf("pairs: need at least 1 fold of at least 1 pair, got %d folds of %d", folds, perFold)
	}
	for _, c := range classes {
		if c == "" || strings.ContainsAny(c, " \t\r\n") {
			return nil, fmt.Errorf("pairs: identity %q cannot be written in a pairs file (empty or containing white space)", c)
		}
	}
	var ids []int
	for i, n := range counts {
		if n > 0 {
			ids = append(ids, i)
		}
	}
	if len(ids) < 2*folds {
		return nil, fmt.Errorf("pairs: %d identities with images cannot fill %d folds (each needs at least 2 for mismatched pairs)", len(ids), folds)
	}
	rng := rand.New(rand.NewPCG(seed, 0x7061697273)) // "pairs"
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	p := &Pairs{Folds: folds, PerFold: perFold, Pairs: make([]Pair, 0, 2*folds*perFold)}
	for f := 0; f < folds; f++ {
		var members []int
		for k := f; k < len(ids); k += folds {
			members = append(members, ids[k])
		}
		fp, err := foldPairs(classes, counts, members, perFold, rng)
		if err != nil {
			return nil, fmt.Errorf("pairs: fold %d of %d (%d identities): %w", f+1, folds, len(members), err)
		}
		p.Pairs = append(p.Pairs, fp...)
	}
	return p, nil
}

// foldPairs draws perFold matched then perFold mismatched distinct pairs
// among the identities members.
func foldPairs(classes []string, counts []int, members []int, perFold int, rng *rand.Rand) ([]Pair, error) {
	var multi []int
	matched, mismatched, images := 0, 0, 0
	for _, c := range members {
		n := counts[c]
		if n >= 2 {
			multi = append(multi, c)
			matched += n * (n - 1) / 2
		}
		mismatched += images * n
		images += n
		if matched > 1<<30 || mismatched > 1<<30 {
			matched, mismatched = min(matched, 1<<30), min(mismatched, 1<<30)
		}
	}
	if matched < perFold {
		return nil, fmt.Errorf("only %d distinct matched pairs (%d identities with ≥ 2 images) for %d per fold: lower --per-fold or --folds", matched, len(multi), perFold)
	}
	if mismatched < perFold {
		return nil, fmt.Errorf("only %d distinct mismatched pairs for %d per fold: lower --per-fold or --folds", mismatched, perFold)
	}
	type key struct{ a, i, b, j int }
	seen := map[key]bool{}
	out := make([]Pair, 0, 2*perFold)
	// Rejection sampling stays fast while the pairs wanted are at most half
	// of those possible; otherwise list them all and take a random subset.
	draw := func(possible int, sample func() key, all func() []key) {
		if 2*perFold > possible {
			ks := all()
			rng.Shuffle(len(ks), func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
			for _, k := range ks[:perFold] {
				out = append(out, Pair{classes[k.a], k.i + 1, classes[k.b], k.j + 1})
			}
			return
		}
		for n := 0; n < perFold; {
			k := sample()
			if !seen[k] {
				seen[k] = true
				out = append(out, Pair{classes[k.a], k.i + 1, classes[k.b], k.j + 1})
				n++
			}
		}
	}
	draw(matched, func() key {
		c := multi[rng.IntN(len(multi))]
		i, j := rng.IntN(counts[c]), rng.IntN(counts[c]-1)
		if j >= i {
			j++
		}
		return key{c, min(i, j), c, max(i, j)}
	}, func() []key {
		var ks []key
		for _, c := range multi {
			for i := 0; i < counts[c]; i++ {
				for j := i + 1; j < counts[c]; j++ {
					ks = append(ks, key{c, i, c, j})
				}
			}
		}
		return ks
	})
	draw(mismatched, func() key {
		x, y := rng.IntN(len(members)), rng.IntN(len(members)-1)
		if y >= x {
			y++
		}
		a, b := members[min(x, y)], members[max(x, y)]
		return key{a, rng.IntN(counts[a]), b, rng.IntN(counts[b])}
	}, func() []key {
		var ks []key
		for x, a := range members {
			for _, b := range members[x+1:] {
				for i := 0; i < counts[a]; i++ {
					for j := 0; j < counts[b]; j++ {
						ks = append(ks, key{a, i, b, j})
					}
				}
			}
		}
		return ks
	})
	return out, nil
}
