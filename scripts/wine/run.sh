#!/usr/bin/env bash
# scripts/wine/run.sh CMD [ARG...]: run CMD where Windows builds of Go programs start under Wine 8
# (make test-windows, make e2e-windows). It builds the ProcessPrng shim (processprng.c,
# bcryptprimitives.def) with mingw into build/wine/bcryptprimitives.dll, makes a Wine prefix in a
# temporary folder with the shim in its system32 (Go loads it from there only), exports
# WINEPREFIX, WINEDEBUG=-all, WINEDLLOVERRIDES="mscoree,mshtml=" and an empty DISPLAY, puts
# scripts/wine/bin (go_windows_amd64_exec, the exec wrapper of GOOS=windows go test) first on
# PATH, runs CMD, and exits with its status. The prefix's wineserver is stopped and the folder
# removed on every path, failure and interrupt included.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
for tool in wine wineserver x86_64-w64-mingw32-gcc; do
	command -v "$tool" >/dev/null || {
		echo "scripts/wine/run.sh: $tool is missing: apt-get install --no-install-recommends wine64 wine gcc-mingw-w64-x86-64-win32" >&2
		exit 1
	}
done
(($#)) || { echo "usage: scripts/wine/run.sh CMD [ARG...]" >&2; exit 2; }

dll=$root/build/wine/bcryptprimitives.dll
if [[ ! -s $dll || $here/processprng.c -nt $dll || $here/bcryptprimitives.def -nt $dll ]]; then
	mkdir -p "$(dirname "$dll")"
	# no C runtime: the DLL needs advapi32 only; no timestamp, so the same source gives the same bytes
	x86_64-w64-mingw32-gcc -shared -nostdlib -O2 -Wall -Wextra -Werror -o "$dll.tmp" \
		"$here/processprng.c" "$here/bcryptprimitives.def" -Wl,--entry,DllMain -Wl,--no-insert-timestamp -ladvapi32
	mv "$dll.tmp" "$dll"
fi

prefix=$(mktemp -d "${TMPDIR:-/tmp}/lyncmigrate-wine.XXXXXX")
# TMPDIR inside it too: wineserver keeps its socket folder there, which -k leaves behind
mkdir "$prefix/tmp"
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY= TMPDIR=$prefix/tmp
cleanup() {
	# -k ends the prefix's wineserver and every Windows process still in it
	wineserver -k 2>/dev/null || true
	rm -rf "$prefix"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start=$EPOCHSECONDS
# One wineserver for the whole run (-p: it stays when no program runs), and the prefix's system
# processes (services.exe, explorer.exe, …) started once here, their output to a file: a
# program that started them would pass them its stderr, and `go test` would wait for that pipe
# to close after the test binary exits ("Test I/O incomplete").
wineserver -p </dev/null >/dev/null 2>&1
if ! wine wineboot -i </dev/null >"$prefix/wineboot.log" 2>&1; then
	echo "scripts/wine/run.sh: wineboot -i in $prefix failed:" >&2
	cat "$prefix/wineboot.log" >&2
	exit 1
fi
cp "$dll" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
echo "wine: $(wine --version) prefix $prefix ready in $((EPOCHSECONDS - start)) s (ProcessPrng shim in system32)"
export PATH=$here/bin:$PATH
set +e
"$@"
status=$?
set -e
exit "$status"
