#!/usr/bin/env bash
# The project's test command (the README names it; .ci/run calls it).
# Formatting, vet, and the whole test suite twice: with the SIMD kernels and
# with the pure-Go reference paths (-tags noasm).
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
