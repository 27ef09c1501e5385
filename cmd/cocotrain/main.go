// Command cocotrain trains face-recognition embedding networks on the CPU with
// the CoCo loss and evaluates them with the LFW pair-verification protocol.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}
