package infer

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/cocotrain/cocotrain/internal/eval"
)

// writeTable prints the reports of several verification sets: a JSON array
// of SetReport objects, or a text table with one row per set.
func writeTable(opt EvalOptions, reps []SetReport) error {
	if opt.JSON {
		b, err := json.Marshal(reps)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(opt.Stdout, "%s\n", b)
		return err
	}
	tw := tabwriter.NewWriter(opt.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "set\tpairs\taccuracy\t± std\tno mirror\tthreshold\tVAL@FAR=1e-3\tAUC\tEER")
	for _, f := range eval.TARFARs {
		fmt.Fprintf(tw, "\tTAR@FAR=%s", f.Key)
	}
	fmt.Fprintln(tw)
	for _, r := range reps {
		fmt.Fprintf(tw, "%s\t%d\t%.2f%%\t%.2f%%\t%.2f%%\t%.4f\t%.2f%%\t%.4f\t%.2f%%",
			r.Set, r.Pairs, 100*r.AccuracyMean, 100*r.AccuracyStd, 100*r.NoFlip.AccuracyMean,
			r.ThresholdL2, 100*r.VAL, r.AUC, 100*r.EER)
		for _, t := range r.TAR {
			fmt.Fprintf(tw, "\t%.2f%%", 100*t)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if p := reps[0].Preprocess; p != nil { // the same for every set
		_, err := fmt.Fprintf(opt.Stdout, "preprocess: %s (from the %s)\n", p.Describe(), p.Source)
		return err
	}
	return nil
}
