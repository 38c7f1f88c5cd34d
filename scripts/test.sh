#!/usr/bin/env bash
# `make test`: one Samba AD DC for the whole run (unless LMTEST_LDAP_URL already names one, or the
# shared DC of internal/testad is up), `go test -json ./...`, and a failure on any failed OR
# skipped test (scripts/gotestcheck). The DC this script starts is stopped on exit, failure included.
# env: GOTESTFLAGS (default "-count=1 -timeout 10m"), GOTESTPKGS (default ./...),
#      GOTEST_JSON (default build/gotest.json), GOTESTCHECKFLAGS (scripts/wine/test.sh: -windows)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
json=${GOTEST_JSON:-build/gotest.json}
read -r -a flags <<<"${GOTESTFLAGS:--count=1 -timeout 10m}"
read -r -a pkgs <<<"${GOTESTPKGS:-./...}"
read -r -a checkflags <<<"${GOTESTCHECKFLAGS:-}"
stderr=${json%.json}.stderr
mkdir -p build "$(dirname "$json")"
shared=/tmp/lyncmigrate-samba # internal/testenv.SharedADDir

dir=
cleanup() {
	if [[ -n $dir ]]; then
		bash scripts/samba-ad.sh down "$dir" || true
		rm -rf "$dir"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -n ${LMTEST_LDAP_URL:-} ]]; then
	echo "test DC: $LMTEST_LDAP_URL (from the environment)"
else
	# The shared DC of internal/testad when it runs (one DC per machine): this run holds a shared
	# lock on its users file until it ends, so that its reaper waits for us. Else a DC of our own.
	exec {users}>>"$shared.users"
	flock -s "$users"
	if bash scripts/samba-ad.sh status "$shared" >/dev/null 2>&1; then
		echo $$ >&"$users"
		echo "test DC: the shared one in $shared (used until this run ends)"
		# shellcheck disable=SC1091
		source "$shared/env.sh"
	else
		exec {users}>&-
		dir=$(mktemp -d /tmp/lyncmigrate-ad.XXXXXX)
		bash scripts/samba-ad.sh up "$dir"
		# shellcheck disable=SC1091
		source "$dir/env.sh"
	fi
fi

# for this machine, whatever GOOS the tests are built for
GOOS= GOARCH= go build -o build/gotestcheck ./scripts/gotestcheck
start=$EPOCHSECONDS
set +e
go test -json "${flags[@]}" "${pkgs[@]}" 2>"$stderr" | build/gotestcheck "${checkflags[@]}" -o "$json"
status=("${PIPESTATUS[@]}")
set -e
if [[ -s $stderr ]]; then
	echo "--- go test stderr:"
	cat "$stderr"
fi
echo "go test: $((EPOCHSECONDS - start)) s; raw events in $json"
((status[0] == 0 && status[1] == 0))
