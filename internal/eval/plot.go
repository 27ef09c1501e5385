package eval

import (
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// WriteCSV writes the curve as CSV with the header fpr,tpr,threshold, one
// row per point; threshold is the squared-L2 distance at or below which a
// pair is accepted (the first row, accepting nothing, has -Inf).
func (r ROC) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"fpr", "tpr", "threshold"}); err != nil {
		return err
	}
	for i := range r.FPR {
		row := []string{
			strconv.FormatFloat(r.FPR[i], 'g', -1, 64),
			strconv.FormatFloat(r.TPR[i], 'g', -1, 64),
			strconv.FormatFloat(r.Threshold[i], 'g', -1, 64),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Plot draws the curve (true accept rate against false accept rate, the
// false accept rate on a log scale so that the operating points 1e-3 and
// 1e-4 are visible; the chance diagonal dashed) with gonum.org/v1/plot;
// title heads it and the legend gives the AUC. The axis starts at 1e-4, or
// lower when the curve has smaller non-zero rates; points at rate 0 cannot
// be drawn on it.
func (r ROC) Plot(title string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "false accept rate (log scale)"
	p.Y.Label.Text = "true accept rate"
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 1e-4, 1, 0, 1
	p.Add(plotter.NewGrid())

	var pts plotter.XYs
	for i := range r.FPR {
		if r.FPR[i] > 0 {
			pts = append(pts, plotter.XY{X: r.FPR[i], Y: r.TPR[i]})
			p.X.Min = min(p.X.Min, r.FPR[i])
		}
	}
	if len(pts) == 0 {
		return nil, fmt.Errorf("eval: ROC plot: no point with a non-zero false accept rate")
	}
	curve, err := plotter.NewLine(pts)
	if err != nil {
		return nil, fmt.Errorf("eval: ROC plot: %w", err)
	}
	curve.Color = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	curve.Width = vg.Points(1.5)

	// The diagonal, sampled evenly on the log axis.
	diag := make(plotter.XYs, 101)
	for i := range diag {
		x := math.Pow(10, math.Log10(p.X.Min)*(1-float64(i)/100))
		diag[i] = plotter.XY{X: x, Y: x}
	}
	chance, err := plotter.NewLine(diag)
	if err != nil {
		return nil, fmt.Errorf("eval: ROC plot: %w", err)
	}
	chance.Dashes = []vg.Length{vg.Points(4), vg.Points(4)}
	chance.Color = color.Gray{Y: 0x80}

	p.Add(chance, curve)
	p.Legend.Add(fmt.Sprintf("ROC (AUC %.4f)", r.AUC()), curve)
	p.Legend.Add("chance", chance)
	p.Legend.Left = true
	p.Legend.Top = true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(6), -vg.Points(6)
	return p, nil
}

// WritePNG renders Plot(title) as a 5×5 inch PNG (96 dpi) to w.
func (r ROC) WritePNG(w io.Writer, title string) error {
	p, err := r.Plot(title)
	if err != nil {
		return err
	}
	wt, err := p.WriterTo(5*vg.Inch, 5*vg.Inch, "png")
	if err != nil {
		return fmt.Errorf("eval: ROC plot: %w", err)
	}
	_, err = wt.WriteTo(w)
	return err
}
