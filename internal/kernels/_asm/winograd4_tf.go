package main

// tfOps emits the operations of the 1-D F(4×4, 3×3) transforms on vector
// registers named by number: three-operand additions and subtractions,
// scaling by a register holding a constant in every lane, negation. Every
// instruction set's loops emit the same operations in the same order
// (which keeps them bit-identical to the Go loops of winograd_go4.go).
type tfOps interface {
	add(d, x, y int) // d = x + y
	sub(d, x, y int) // d = x − y
	mul(d, x, c int) // d = x · constant c
	neg(d, x int)    // d = −x
	four() int       // the constant 4.0
	eight() int      // the constant 8.0
}

// tf4In emits o = Bᵀ d (in4) with temporaries from register t on (7).
func tf4In(w tfOps, d []int, t int) []int {
	A, B, C, D, E, F, G := t, t+1, t+2, t+3, t+4, t+5, t+6
	w.sub(A, d[4], d[2]) // t3
	w.sub(B, d[0], d[2])
	w.mul(B, B, w.four())
	w.add(B, B, A) // o0
	w.mul(C, d[2], w.four())
	w.sub(C, d[4], C) // t1
	w.mul(D, d[1], w.four())
	w.sub(D, d[3], D) // t2
	w.add(E, C, D)    // o1
	w.sub(C, C, D)    // o2
	w.sub(D, d[3], d[1])
	w.add(D, D, D) // t4
	w.add(F, A, D) // o3
	w.sub(A, A, D) // o4
	w.sub(D, d[1], d[3])
	w.mul(D, D, w.four())
	w.sub(G, d[5], d[3])
	w.add(D, D, G) // o5
	return []int{B, E, C, F, A, D}
}

// tf4Out emits o = Aᵀ d (out4) with temporaries from register t on (7).
func tf4Out(w tfOps, d []int, t int) []int {
	A, B, C, E, F, G, H := t, t+1, t+2, t+3, t+4, t+5, t+6
	w.add(A, d[1], d[2])
	w.sub(B, d[1], d[2])
	w.add(C, d[3], d[4])
	w.sub(E, d[3], d[4])
	w.add(F, d[0], A)
	w.add(F, F, C) // o0
	w.add(G, E, E)
	w.add(G, B, G) // o1
	w.mul(H, C, w.four())
	w.add(H, A, H) // o2
	w.mul(E, E, w.eight())
	w.add(E, B, E)
	w.add(E, E, d[5]) // o3
	return []int{F, G, H, E}
}

// tf4OutGrad emits o = A d (outGrad4) with temporaries from register t on (5).
func tf4OutGrad(w tfOps, d []int, t int) []int {
	P, Q, R, S, T := t, t+1, t+2, t+3, t+4
	w.add(P, d[0], d[2])
	w.add(Q, d[1], d[3])
	w.add(R, P, Q) // o1
	w.sub(P, P, Q) // o2
	w.mul(S, d[2], w.four())
	w.add(S, d[0], S)
	w.mul(T, d[3], w.four())
	w.add(T, d[1], T)
	w.add(T, T, T)
	w.add(Q, S, T) // o3
	w.sub(S, S, T) // o4
	return []int{d[0], R, P, Q, S, d[3]}
}

// tf4InGrad emits o = B d (inGrad4) with temporaries from register t on (8);
// only45: just o4 and o5, by the same operations (2 temporaries; the
// other entries of the result are −1).
func tf4InGrad(w tfOps, d []int, t int, only45 bool) []int {
	A, B, C, E, F, G, I, K := t, t+1, t+2, t+3, t+4, t+5, t+6, t+7
	if only45 {
		C = t + 1
	}
	w.add(A, d[1], d[2])
	if !only45 {
		w.sub(B, d[1], d[2])
	}
	w.add(C, d[3], d[4])
	if only45 {
		w.add(A, d[0], A) // g
		w.add(A, A, C)    // o4
		return []int{-1, -1, -1, -1, A, d[5]}
	}
	w.sub(E, d[3], d[4])
	w.mul(F, d[0], w.four()) // o0
	w.sub(G, d[5], B)
	w.add(G, G, G)
	w.sub(G, G, E)
	w.add(G, G, G)    // o1
	w.add(A, d[0], A) // g
	w.mul(I, A, w.four())
	w.add(K, d[0], C)
	w.add(I, I, K)
	w.neg(I, I) // o2
	w.add(K, d[5], d[5])
	w.sub(K, E, K)
	w.add(K, K, K)
	w.sub(E, B, d[5])
	w.add(E, E, K) // o3
	w.add(A, A, C) // o4
	return []int{F, G, I, E, A, d[5]}
}
