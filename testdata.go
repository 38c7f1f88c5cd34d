// Package lyncmigrate is not the product (that is cmd/lyncmigrate and the job
// packages): it only embeds the test fixtures that Go test servers serve by
// name, because go:embed reaches only files below the embedding package and
// the go tool ignores packages inside testdata/. The product never imports
// it (internal/rtcsim's independence test checks). It also finds the
// repository on disk for the tests and tools (Root).
package lyncmigrate

import (
	"embed"
	"errors"
	"os"
	"path/filepath"
)

// RTCFiles holds testdata/rtc/*.sql: rtcsim's schemas (written from the SPEC
// and the public evidence, never from the product) and its seeds.
//
//go:embed testdata/rtc/*.sql
var RTCFiles embed.FS

// RTCDir is the folder of RTCFiles.
const RTCDir = "testdata/rtc"

// Root is the repository's folder: the folder of go.mod, from the working
// directory up (a test runs in its package's folder, a tool from the repository).
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory: run from the repository")
		}
		dir = parent
	}
}
