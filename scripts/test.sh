#!/usr/bin/env bash
# The project's test command (the README names it; .ci/run calls it).
# Formatting, vet, and the whole test suite twice: with the SIMD kernels and
# with the pure-Go reference paths (-tags noasm); then the internal packages
# built for arm64 (the NEON kernels) under qemu user-mode emulation.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
go vet -tags noasm ./...
go test -count=1 -timeout 20m ./...
go test -count=1 -timeout 20m -tags noasm ./...

# The arm64 build (NEON kernels) under qemu user-mode emulation: the tests
# are built for arm64 and each test binary runs under qemu-aarch64-static
# (.ci/run installs Debian's qemu-user-static; this script installs nothing).
# Emulation runs the tests several times slower, hence the longer timeout.
if ! command -v qemu-aarch64-static >/dev/null; then
  echo "qemu-aarch64-static not found: install Debian's qemu-user-static (.ci/run does)"; exit 1
fi
GOARCH=arm64 go vet ./...
GOARCH=arm64 go test -count=1 -v -run TestNEONPathsSelected -exec qemu-aarch64-static ./internal/kernels/
GOARCH=arm64 go test -count=1 -timeout 60m -exec qemu-aarch64-static ./internal/...
