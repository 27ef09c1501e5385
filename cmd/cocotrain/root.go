package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/eval"
	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/train"
)

// Exit codes returned by cocotrain.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitHangup      = 129 // 128 + SIGHUP
	exitInterrupted = 130 // 128 + SIGINT; SIGTERM too
)

// errInterrupted is returned by a command that stopped cleanly on SIGINT,
// SIGTERM or SIGHUP (after writing whatever it had to write); it maps to
// exit code 130 (129 after SIGHUP).
var errInterrupted = errors.New("interrupted")

// signalError is the cause of a context cancelled by a signal.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string { return "received " + e.sig.String() }

// signalContext returns a context cancelled, with a signalError as its
// cause, on the first SIGINT, SIGTERM or SIGHUP (a closed terminal or SSH
// session): commands stop cleanly on any of them. stop releases the signals.
func signalContext(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			cancel(signalError{sig})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// usageError marks an error in the command line itself: only these print usage.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// newRootCmd builds the cobra command tree. stdout and stderr are injected so
// tests can run commands in process.
func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "cocotrain",
		Short: "Train face-embedding networks on the CPU with the CoCo loss",
		Long: `cocotrain trains face-recognition embedding networks on the CPU with the
CoCo loss (congenerous cosine) and evaluates them with the LFW
pair-verification protocol.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// A refused COCOTRAIN_KERNELS stops every command before it starts.
		PersistentPreRunE: func(*cobra.Command, []string) error { return kernels.CheckPath() },
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newVersionCmd(),
		newExportCentersCmd(),
		newExportCmd(),
		newBenchCmd(),
		newPackCmd(),
		newAlignCmd(),
		newPairsCmd(),
		newSynthCmd(),
		newTrainCmd(),
		newModelCmd(),
		newEvalLFWCmd(),
		newEmbedCmd(),
		newPlotCmd(),
	)
	return root
}

// run executes the command line args and maps the outcome to an exit code: the
// one place where errors become exit codes.
func run(ctx context.Context, args []string) int {
	root := newRootCmd(os.Stdout, os.Stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return exitCode(root, err)
}

// exitCode prints err (and the usage for command-line errors) and returns the
// process exit code for it.
func exitCode(root *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	stderr := root.ErrOrStderr()
	if errors.Is(err, errInterrupted) || errors.Is(err, context.Canceled) {
		var se signalError
		if ctx := root.Context(); ctx != nil && errors.As(context.Cause(ctx), &se) && se.sig == syscall.SIGHUP {
			fmt.Fprintln(stderr, "cocotrain: interrupted (hangup)")
			return exitHangup
		}
		fmt.Fprintln(stderr, "cocotrain: interrupted")
		return exitInterrupted
	}
	fmt.Fprintln(stderr, "cocotrain:", err)
	var ue usageError
	if errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command") {
		fmt.Fprintln(stderr, "Run 'cocotrain --help' for usage.")
		return exitUsage
	}
	return exitError
}

// argsUsage wraps a cobra positional-argument validator so that its errors
// count as usage errors (usage is printed, exit code 2).
func argsUsage(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// progress returns a progress callback drawing a bar titled desc on the
// command's stderr when that is a terminal, else nil (no bar: nothing but
// the command's own lines goes to a file or pipe).
func progress(cmd *cobra.Command, desc string) func(done, total int) {
	w := cmd.ErrOrStderr()
	if !train.IsTerminal(w) || os.Getenv("TERM") == "dumb" {
		return nil
	}
	return eval.ProgressBar(w, desc)
}

// stdoutPath resolves an output flag: "-" is /dev/stdout. It reports
// whether the output is stdout, which has no extension to pick a format
// by, so format must be given.
func stdoutPath(out, format string) (path string, toStdout bool, err error) {
	if out == "-" {
		out = "/dev/stdout"
	}
	if out != "/dev/stdout" {
		return out, false, nil
	}
	if format == "" {
		return out, true, errors.New("an output on stdout needs --format")
	}
	return out, true, nil
}
