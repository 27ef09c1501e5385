package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/cocotrain/cocotrain/internal/kernels"
)

// version is set at link time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the cocotrain version, Go version, platform and kernel path",
		Long: `version prints cocotrain's version, the Go version and platform it was
built with, and the compute kernel path in use (avx512, avx2, neon or go:
the best the CPU runs, or the one COCOTRAIN_KERNELS forces).`,
		Example: "  cocotrain version",
		Args:    argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			v := version
			if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
				v = bi.Main.Version
			}
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "cocotrain %s (%s, %s/%s, %s kernels)\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH, kernels.Path())
			return err
		},
	}
}
