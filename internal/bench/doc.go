// Package bench holds the run logic of `cocotrain bench`: measurements of
// cocotrain's kernels against peers, printed as a table or JSON. It knows
// nothing of the command line.
package bench
