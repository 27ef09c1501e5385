package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes returned by cocotrain.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// errInterrupted is returned by a command that stopped cleanly on SIGINT or
// SIGTERM (after writing whatever it had to write); it maps to exit code 130.
var errInterrupted = errors.New("interrupted")

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
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newVersionCmd(),
		newExportCentersCmd(),
		newBenchCmd(),
		newPackCmd(),
		newAlignCmd(),
		newPairsCmd(),
		newSynthCmd(),
		newTrainCmd(),
		newModelCmd(),
		newEvalLFWCmd(),
		newEmbedCmd(),
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
