#!/usr/bin/env bash
# `make release`: the release archives in dist/ —
#   lyncmigrate_<version>_linux_amd64.tar.gz, lyncmigrate_<version>_windows_amd64.zip,
#   lyncmigrate_<version>_windows_arm64.zip, each holding the binary and README.md, and SHA256SUMS.
# Static binaries (CGO_ENABLED=0), -trimpath, the version and commit stamped with -X main.version /
# main.commit (`lyncmigrate --version` prints them). Entries carry the commit's time, so the same
# commit gives the same archives. Then each binary is checked: its build information must show the
# platform, CGO_ENABLED=0 and -trimpath, it must hold the stamp, and the Linux one must print it.
# env: VERSION (default: git describe --tags --always --dirty), COMMIT (default: the 12-digit hash),
#      DIST (default: dist)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
COMMIT=${COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
DIST=${DIST:-dist}
mtime=$(git log -1 --format=%ct 2>/dev/null || echo 0)
targets=(linux/amd64 windows/amd64 windows/arm64)

if [[ ! $VERSION =~ ^[A-Za-z0-9._+-]+$ ]]; then
	echo "release: VERSION $VERSION: use letters, digits and . _ + - only (it names the files)" >&2
	exit 1
fi
if [[ $VERSION == *-dirty ]]; then
	echo "release: WARNING: the working tree has uncommitted changes; the binaries are built from them" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$DIST"
mkdir -p "$DIST"
go build -o "$work/mkarchive" ./scripts/mkarchive

ldflags="-s -w -X main.version=$VERSION -X main.commit=$COMMIT"
for t in "${targets[@]}"; do
	goos=${t%/*} goarch=${t#*/}
	name=lyncmigrate_${VERSION}_${goos}_${goarch}
	exe=lyncmigrate
	[[ $goos == windows ]] && exe=lyncmigrate.exe
	mkdir -p "$work/$name"
	CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -buildvcs=false -ldflags "$ldflags" \
		-o "$work/$name/$exe" ./cmd/lyncmigrate

	# the binary is what was asked for (go version -m reads any platform's binary)
	info=$(go version -m "$work/$name/$exe")
	for want in "GOOS=$goos" "GOARCH=$goarch" "CGO_ENABLED=0" "-trimpath=true"; do
		if ! grep -qF -- "$want" <<<"$info"; then
			echo "release: $name/$exe: build information lacks $want:" >&2
			echo "$info" >&2
			exit 1
		fi
	done
	# -trimpath keeps -ldflags out of the build information: look for the stamped strings themselves
	for want in "$VERSION" "$COMMIT"; do
		if ! grep -qaF -- "$want" "$work/$name/$exe"; then
			echo "release: $name/$exe: $want is not stamped in the binary" >&2
			exit 1
		fi
	done
	if [[ $goos == linux && $(go env GOOS)/$(go env GOARCH) == linux/amd64 ]]; then
		got=$("$work/$name/$exe" --version)
		if [[ $got != *"$VERSION"* || $got != *"$COMMIT"* || $got != *linux/amd64* ]]; then
			echo "release: $exe --version printed '$got', want $VERSION, $COMMIT and linux/amd64" >&2
			exit 1
		fi
	fi

	ext=zip
	[[ $goos == linux ]] && ext=tar.gz
	"$work/mkarchive" -o "$DIST/$name.$ext" -dir "$name" -mtime "$mtime" "$work/$name/$exe" README.md
	echo "release: $DIST/$name.$ext"
done

(cd "$DIST" && sha256sum -- *.tar.gz *.zip >SHA256SUMS && sha256sum --quiet -c SHA256SUMS)
echo "release: $DIST/SHA256SUMS"
echo "release: version $VERSION, commit $COMMIT"
