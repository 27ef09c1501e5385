package eval

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// ProgressBar returns an Options.Progress callback that draws a progress
// bar titled desc on w (a terminal: the bar redraws itself with carriage
// returns), created at the first call when the total is known and cleared
// when it is reached.
func ProgressBar(w io.Writer, desc string) func(done, total int) {
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription(desc), progressbar.OptionShowCount(),
				progressbar.OptionSetPredictTime(true), progressbar.OptionSetWidth(20),
				progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		}
		bar.Set(done)
	}
}
