// Package plot draws a run's curves (metric against training step) as one
// PNG of stacked panels, with gonum.org/v1/plot.
package plot

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Series is one curve: Y[i] at step X[i].
type Series struct {
	Name string
	X, Y []float64
}

// Panel is one plot of the figure: its title, the label of its y axis and
// its curves (a panel without points says so in its title).
type Panel struct {
	Title, YLabel string
	Series        []Series
}

// Width and PanelHeight size the figure: one PanelHeight per panel.
const (
	Width       = 7 * vg.Inch
	PanelHeight = 2.5 * vg.Inch
)

// palette colours the series of a panel in order.
var palette = []color.Color{
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	color.RGBA{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
	color.RGBA{R: 0xe3, G: 0x77, B: 0xc2, A: 0xff},
	color.RGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff},
}

// WritePNG draws the panels stacked top to bottom, sharing the step axis,
// under title, as a PNG of Width × len(panels)·PanelHeight at 96 dpi.
func WritePNG(w io.Writer, title string, panels []Panel) error {
	if len(panels) == 0 {
		return fmt.Errorf("plot: no panels")
	}
	plots := make([][]*plot.Plot, len(panels))
	for i, pn := range panels {
		p, err := panel(pn)
		if err != nil {
			return err
		}
		if i == 0 {
			p.Title.Text = title + "\n" + p.Title.Text
		}
		plots[i] = []*plot.Plot{p}
	}
	img := vgimg.NewWith(vgimg.UseWH(Width, PanelHeight*vg.Length(len(panels))), vgimg.UseDPI(96))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadX: vg.Points(4), PadY: vg.Points(8),
		PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	canvases := plot.Align(plots, tiles, dc)
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
	_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

// panel builds the plot of one panel.
func panel(pn Panel) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = pn.Title
	p.X.Label.Text = "step"
	p.Y.Label.Text = pn.YLabel
	p.Add(plotter.NewGrid())
	points := 0
	for i, s := range pn.Series {
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("plot: series %q has %d steps and %d values", s.Name, len(s.X), len(s.Y))
		}
		if len(s.X) == 0 {
			continue
		}
		xy := make(plotter.XYs, len(s.X))
		for j := range xy {
			xy[j] = plotter.XY{X: s.X[j], Y: s.Y[j]}
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("plot: %s: %w", s.Name, err)
		}
		line.Color = palette[i%len(palette)]
		line.Width = vg.Points(1.2)
		p.Add(line)
		if len(xy) < 30 { // few points (verifications): mark each
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return nil, fmt.Errorf("plot: %s: %w", s.Name, err)
			}
			sc.Color = line.Color
			p.Add(sc)
		}
		if len(pn.Series) > 1 || s.Name != pn.YLabel {
			p.Legend.Add(s.Name, line)
		}
		points += len(xy)
	}
	if points == 0 {
		p.Title.Text += " (no data)"
	}
	p.Legend.Top = true
	return p, nil
}
