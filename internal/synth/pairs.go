package synth

import (
	"github.com/cocotrain/cocotrain/internal/data"
)

// PairsPerFold is the number of matched (and of mismatched) pairs in each
// of the 10 folds for the configuration: three per identity of the smallest
// fold, at most LFW's 300 (30 for 100 verification identities, 300 from
// 1000 on), and no more than there are distinct pairs to draw.
func (c Config) PairsPerFold() int {
	g, k := c.EvalIdentities/Folds, c.EvalPerIdentity
	return min(MaxPairsPerFold, 3*g, g*k*(k-1)/2, g*(g-1)/2*k*k)
}

// foldIdentities splits the verification identities 0..E−1, shuffled, into
// Folds groups of sizes differing by at most one.
func (g *Generator) foldIdentities() [][]int {
	e := g.cfg.EvalIdentities
	r := newRand(g.cfg.Seed, streamPairs, 0)
	perm := r.Perm(e)
	groups := make([][]int, Folds)
	for f := range groups {
		groups[f] = perm[f*e/Folds : (f+1)*e/Folds]
	}
	return groups
}

// Pairs returns the verification pairs in LFW View 2 layout: Folds folds of
// PairsPerFold matched then as many mismatched pairs; each fold draws from
// its own identities, so no identity appears in two folds, and no pair
// repeats. Image numbers are 1-based, as in Name_0001.png.
func (g *Generator) Pairs() *data.Pairs {
	c := g.cfg
	per := c.PairsPerFold()
	p := &data.Pairs{Folds: Folds, PerFold: per, Pairs: make([]data.Pair, 0, 2*Folds*per)}
	if c.EvalIdentities == 0 {
		p.Folds, p.PerFold, p.Pairs = 0, 0, nil
		return p
	}
	kk := c.EvalPerIdentity
	for f, ids := range g.foldIdentities() {
		r := newRand(c.Seed, streamPairs, 1+uint64(f))
		seen := map[data.Pair]bool{}
		// Matched: cycle through the fold's identities in random order.
		order := r.Perm(len(ids))
		for n := 0; n < per; {
			j := ids[order[n%len(order)]]
			a, b := r.IntN(kk), r.IntN(kk-1)
			if b >= a {
				b++
			}
			a, b = min(a, b), max(a, b)
			pr := data.Pair{Name1: EvalName(j), Index1: a + 1, Name2: EvalName(j), Index2: b + 1}
			if !seen[pr] {
				seen[pr] = true
				p.Pairs = append(p.Pairs, pr)
				n++
			} else {
				order = r.Perm(len(ids)) // a repeat: draw again
			}
		}
		for n := 0; n < per; {
			a, b := r.IntN(len(ids)), r.IntN(len(ids)-1)
			if b >= a {
				b++
			}
			if a > b {
				a, b = b, a
			}
			pr := data.Pair{Name1: EvalName(ids[a]), Index1: r.IntN(kk) + 1, Name2: EvalName(ids[b]), Index2: r.IntN(kk) + 1}
			if !seen[pr] {
				seen[pr] = true
				p.Pairs = append(p.Pairs, pr)
				n++
			}
		}
	}
	return p
}

// Verification returns the verification set of the Pairs: each image a pair
// refers to rendered on demand, the pairs as indexes into them.
func (g *Generator) Verification() *data.VerificationSet {
	c := g.cfg
	src := &evalSource{g: g, names: make([]string, c.EvalIdentities)}
	index := map[string]int{}
	for j := range src.names {
		src.names[j] = EvalName(j)
		index[src.names[j]] = j
	}
	pairs := g.Pairs()
	v := &data.VerificationSet{Images: src, Folds: pairs.Folds}
	item := map[evalImage]int{}
	ref := func(name string, n int) int {
		it := evalImage{index[name], n - 1}
		i, ok := item[it]
		if !ok {
			i = len(src.items)
			item[it] = i
			src.items = append(src.items, it)
		}
		return i
	}
	for _, pr := range pairs.Pairs {
		v.Left = append(v.Left, ref(pr.Name1, pr.Index1))
		v.Right = append(v.Right, ref(pr.Name2, pr.Index2))
		v.Same = append(v.Same, pr.Same())
	}
	return v
}
