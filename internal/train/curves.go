package train

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cocotrain/cocotrain/internal/fileio"
	"github.com/cocotrain/cocotrain/internal/plot"
)

// Metrics is a run's metrics.jsonl read back: the logged training steps
// and the verifications, in file order.
type Metrics struct {
	Steps []StepMetrics
	Vals  []ValMetrics
}

// ReadMetrics reads a metrics.jsonl; a line that is not a JSON object is
// an error naming the file and line.
func ReadMetrics(path string) (*Metrics, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := &Metrics{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &keys); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		var err error
		switch {
		case keys["loss"] != nil:
			var s StepMetrics
			err = json.Unmarshal(sc.Bytes(), &s)
			m.Steps = append(m.Steps, s)
		case keys["val_accuracy"] != nil:
			var v ValMetrics
			err = json.Unmarshal(sc.Bytes(), &v)
			m.Vals = append(m.Vals, v)
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Panels returns the curves of m against the step: the training loss, the
// training batch accuracy, the learning rate and the verification
// accuracy, one curve per verification set (named by its val_set).
func (m *Metrics) Panels() []plot.Panel {
	n := len(m.Steps)
	step, loss, acc, lr := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, s := range m.Steps {
		step[i], loss[i], acc[i], lr[i] = float64(s.Step), s.Loss, s.Acc, s.LR
	}
	return []plot.Panel{
		{Title: "training loss (mean over each log window)", YLabel: "loss", Series: []plot.Series{{Name: "loss", X: step, Y: loss}}},
		{Title: "training accuracy (batch, mean over each log window)", YLabel: "accuracy", Series: []plot.Series{{Name: "accuracy", X: step, Y: acc}}},
		{Title: "learning rate", YLabel: "lr", Series: []plot.Series{{Name: "lr", X: step, Y: lr}}},
		{Title: "verification accuracy (10-fold, with mirror)", YLabel: "accuracy", Series: m.valSeries()},
	}
}

// valSeries returns one series of verification accuracy per val_set, in
// the order the sets first appear (a run from before val_set existed has
// one, named "accuracy"; a run without verification none).
func (m *Metrics) valSeries() []plot.Series {
	var out []plot.Series
	index := map[string]int{}
	for _, v := range m.Vals {
		i, ok := index[v.ValSet]
		if !ok {
			name := v.ValSet
			if name == "" {
				name = "accuracy"
			}
			i = len(out)
			index[v.ValSet] = i
			out = append(out, plot.Series{Name: name})
		}
		out[i].X = append(out[i].X, float64(v.Step))
		out[i].Y = append(out[i].Y, v.ValAccuracy)
	}
	return out
}

// PlotRun draws the curves of the run in dir (its metrics.jsonl) as a PNG
// at out, titled with the run directory and its network (config.yaml).
// It reads the run without its lock: a live run may be plotted.
func PlotRun(dir, out string) error {
	m, err := ReadMetrics(filepath.Join(dir, MetricsFile))
	if err != nil {
		return err
	}
	if len(m.Steps) == 0 {
		return fmt.Errorf("%s: no training step logged yet", filepath.Join(dir, MetricsFile))
	}
	title := filepath.Base(filepath.Clean(dir))
	if cfg, err := LoadConfig(filepath.Join(dir, ConfigFile), nil); err == nil {
		title += ": " + describeNet(cfg.Model) + ", " + cfg.Loss.Type + " loss"
	}
	return fileio.WriteFile(out, func(w io.Writer) error { return plot.WritePNG(w, title, m.Panels()) })
}
