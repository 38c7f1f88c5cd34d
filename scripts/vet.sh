#!/usr/bin/env bash
# `make vet`: gofmt, go vet on Linux and Windows, and every package's tests compiled for Windows
# (vet type-checks test files too; the compile also links them, which vet does not).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
unformatted=$(find . -name '*.go' -not -path './build/*' -not -path '*/testdata/*' -print0 | xargs -0 gofmt -l)
if [[ -n $unformatted ]]; then
	echo "gofmt needed:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
GOOS=windows go vet ./...

GOOS=windows go test -c -o /dev/null ./...
echo "vet: ok (gofmt; go vet linux and windows; windows test binaries compiled)"
