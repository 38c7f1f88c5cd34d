#!/usr/bin/env bash
# `make test-windows` (run through scripts/wine/run.sh): every package's tests built as Windows
# amd64 binaries and run under Wine (go_windows_amd64_exec), against the same Samba DC and
# in-process rtcsim servers as `make test` (scripts/test.sh: the DC on Linux loopback, the
# LMTEST_* variables passed through: Wine hands a program the Linux environment, and the Linux
# paths in it, like the DC's CA file, open as rooted paths on the current drive Z:, which is the
# Linux root). Fails on any failed test or any skip other than
# internal/ostest.SkipOnWindows; the tests skipped on Windows and the checks left out are listed
# with their reasons at the end (scripts/gotestcheck -windows).
# Test binaries only: go test -overlay adds deleteat-fallback.go.overlay to Go's
# internal/syscall/windows, so that os.RemoveAll works under Wine 8 (see that file).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
: "${WINEPREFIX:?scripts/wine/test.sh: run through scripts/wine/run.sh}"
mkdir -p build/wine
overlay=$PWD/build/wine/overlay.json
printf '{"Replace":{"%s":"%s"}}\n' "$(go env GOROOT)/src/internal/syscall/windows/zz_lyncmigrate_wine_test_only.go" \
	"$PWD/scripts/wine/deleteat-fallback.go.overlay" >"$overlay"
export GOOS=windows GOARCH=amd64
export GOTESTFLAGS="-count=1 -timeout 10m -overlay $overlay" GOTESTCHECKFLAGS=-windows GOTEST_JSON=build/gotest-windows.json
exec bash scripts/test.sh
