package train

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// StepMetrics is one metrics.jsonl line of a logged training step: means over
// the iterations since the previous line.
type StepMetrics struct {
	Step       int     `json:"step"`
	Epoch      float64 `json:"epoch"` // fractional epochs completed
	LR         float64 `json:"lr"`
	Loss       float64 `json:"loss"`
	Acc        float64 `json:"acc"`
	ImagesPerS float64 `json:"images_per_s"` // over the steps and the waits for data
	// DataWait is the fraction of that time the loop waited for the
	// loader's next batch (0: the loader never held the step back).
	DataWait float64 `json:"data_wait"`
}

// ValMetrics is one metrics.jsonl line of a verification on one set.
type ValMetrics struct {
	Step  int     `json:"step"`
	Epoch float64 `json:"epoch"`
	// ValSet names the verification set (train.best_on's names: lfw for
	// lfw.bin, the directory of train.val_dir, synthetic); "" in the
	// records of runs made before there could be several.
	ValSet       string  `json:"val_set"`
	ValAccuracy  float64 `json:"val_accuracy"`
	ValStd       float64 `json:"val_std"`
	ValThreshold float64 `json:"val_threshold"` // squared L2
}

// logger writes the run's record: RUNDIR/metrics.jsonl (one JSON object per
// line), RUNDIR/training.log (the human lines), and either a progress bar on
// the terminal or the human lines on a non-terminal stderr.
type logger struct {
	metrics, log *os.File
	bar          *progressbar.ProgressBar
	stderr       io.Writer // the human lines when there is no bar
	epochs       int       // the run's length in epochs
}

// openLogger opens (appending) the metrics and log files of a run. With
// resumeStep ≥ 0, metrics lines after that step (written after the
// checkpoint the run resumes from) are dropped first. epochs is the run's
// length, for the bar. bar, when not nil,
// shows progress instead of printing lines to stderr.
func openLogger(metricsPath, logPath string, resumeStep, epochs int, bar *progressbar.ProgressBar, stderr io.Writer) (*logger, error) {
	if resumeStep >= 0 {
		if err := truncateMetrics(metricsPath, resumeStep); err != nil {
			return nil, err
		}
	}
	m, err := os.OpenFile(metricsPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	l, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		m.Close()
		return nil, err
	}
	return &logger{metrics: m, log: l, bar: bar, stderr: stderr, epochs: epochs}, nil
}

// truncateMetrics keeps the metrics lines of steps ≤ step.
func truncateMetrics(path string, step int) error {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		return err
	}
	var kept bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		var l struct {
			Step int `json:"step"`
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Step <= step {
			kept.Write(sc.Bytes())
			kept.WriteByte('\n')
		}
	}
	return os.WriteFile(path, kept.Bytes(), 0o644)
}

// Printf writes one human line to training.log (timestamped) and to stderr
// when there is no progress bar (above the bar otherwise).
func (l *logger) Printf(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	fmt.Fprintf(l.log, "%s %s\n", time.Now().UTC().Format(time.RFC3339), line)
	if l.bar != nil {
		l.bar.Clear()
		fmt.Fprintln(l.stderr, line)
		l.bar.RenderBlank()
		return
	}
	fmt.Fprintln(l.stderr, line)
}

// Metrics appends v as one JSON line to metrics.jsonl.
func (l *logger) Metrics(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = l.metrics.Write(append(b, '\n'))
	return err
}

// Step logs a training step: a metrics line, a log line, and the bar's
// description.
func (l *logger) Step(m StepMetrics) error {
	epochs := l.epochs
	line := fmt.Sprintf("step %d epoch %.2f/%d loss %.4f acc %.3f lr %.4g %.0f img/s data wait %.1f%%", m.Step, m.Epoch, epochs, m.Loss, m.Acc, m.LR, m.ImagesPerS, 100*m.DataWait)
	fmt.Fprintf(l.log, "%s %s\n", time.Now().UTC().Format(time.RFC3339), line)
	if l.bar != nil {
		l.describe(m)
	} else {
		fmt.Fprintln(l.stderr, line)
	}
	return l.Metrics(m)
}

// describe shows m on the bar.
func (l *logger) describe(m StepMetrics) {
	epochs := l.epochs
	l.bar.Describe(fmt.Sprintf("epoch %d/%d loss %.3f acc %.2f lr %.3g %.0f img/s", min(int(m.Epoch)+1, epochs), epochs, m.Loss, m.Acc, m.LR, m.ImagesPerS))
}

// Advance moves the progress bar to step and shows the metrics of the
// steps since the last log line (computed only when there is a bar), so
// that the bar shows the loss and speed from the first step on.
func (l *logger) Advance(step int, live func() StepMetrics) {
	if l.bar != nil {
		l.describe(live())
		l.bar.Set(step)
	}
}

// Verifying shows the progress of a verification's embedding extraction
// on the bar (an eval.Options.Progress callback).
func (l *logger) Verifying(done, total int) {
	if l.bar != nil {
		l.bar.Describe(fmt.Sprintf("verification: %d/%d images", done, total))
	}
}

// Close finishes the bar and closes the files.
func (l *logger) Close() error {
	if l.bar != nil {
		l.bar.Exit()
		fmt.Fprintln(l.stderr)
	}
	err := l.metrics.Close()
	if e := l.log.Close(); err == nil {
		err = e
	}
	return err
}

// barThrottle is the shortest time between two redraws of the bar.
var barThrottle = 200 * time.Millisecond

// newBar returns the progress bar of a run of total iterations starting at
// step on w.
func newBar(w io.Writer, total, step int) *progressbar.ProgressBar {
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("training"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSetWidth(20),
		progressbar.OptionThrottle(barThrottle),
		progressbar.OptionSetItsString("it"),
	)
	bar.Set(step)
	return bar
}

// IsTerminal reports whether w is a character device (a terminal): the
// progress bar is drawn only there.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
