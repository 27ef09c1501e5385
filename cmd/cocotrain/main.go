// Command cocotrain trains face-recognition embedding networks on the CPU with
// the CoCo loss and evaluates them with the LFW pair-verification protocol.
package main

import (
	"context"
	"os"
)

func main() {
	ctx, stop := signalContext(context.Background())
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}
