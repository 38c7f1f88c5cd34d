# lyncmigrate: build, test and CI plumbing. `make test` is what CI (.ci/run) runs.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT)
# the DC of `make ad-up`; the folder of the shared DC that tests and tools start (internal/testad.SharedDir)
AD_DIR  ?= /tmp/lyncmigrate-samba

.PHONY: build windows test test-windows e2e-windows vet bench demo release clean ad-up ad-down

build:
	go build -trimpath -buildvcs=false -ldflags '$(LDFLAGS)' -o lyncmigrate ./cmd/lyncmigrate

# static (no cgo), as it runs on a front-end server
windows:
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -buildvcs=false -ldflags '$(LDFLAGS)' -o dist/lyncmigrate.exe ./cmd/lyncmigrate

# starts a Samba AD DC (installing Samba if missing), runs every test, fails on failed or skipped ones
test:
	bash scripts/test.sh

# the same tests as Windows binaries under Wine 8 (scripts/wine: the ProcessPrng shim, a throw-away
# prefix); fails on a failed test or a skip not made for Windows, lists those with their reasons
test-windows:
	bash scripts/wine/run.sh bash scripts/wine/test.sh

# the demo's runbook with lyncmigrate.exe under Wine (outputs beside the exe, CA file as Z:\…), plus the
# offline export, the LDAPS-refused message and CRLF; the end state checked as make demo checks it
e2e-windows:
	bash scripts/wine/run.sh go run ./tools/demo -windows

# gofmt, go vet for Linux and Windows, and Windows test binaries compiled (not run)
vet:
	bash scripts/vet.sh

# SPEC 8: N users (default 2,000, 50 contacts each) in Samba and rtcsim, every command beside the plain
# loops, one markdown table on stdout (root: it starts Samba when none runs)
N ?= 2000
bench:
	go run ./tools/bench -n $(N)

# the README's first command: a throw-away Samba AD and rtcsim, the whole runbook on 50 sample users,
# the end state checked (exit 1 when it does not hold), the servers stopped (root: apt and Samba)
demo:
	go run ./tools/demo

# dist/: linux/amd64 tar.gz, windows/amd64 and windows/arm64 zips and SHA256SUMS; static, -trimpath,
# the version and commit above stamped in (scripts/release.sh checks each binary)
release:
	VERSION='$(VERSION)' COMMIT='$(COMMIT)' bash scripts/release.sh

clean:
	rm -rf lyncmigrate lyncmigrate.exe dist build

# a DC reused by every later run (tests, bench, demo) until `make ad-down`: its keep file tells the
# reaper of internal/testad to leave it running; without it, a DC started by `go test` or `make bench`
# stops 30 s (LMTEST_AD_LINGER) after the last process using it
ad-up:
	bash scripts/samba-ad.sh up $(AD_DIR)
	touch $(AD_DIR)/keep
	@echo "source $(AD_DIR)/env.sh  # to point tests at it (they find it anyway)"

ad-down:
	bash scripts/samba-ad.sh down $(AD_DIR)
	rm -f $(AD_DIR)/keep
