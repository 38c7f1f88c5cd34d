//go:build gendocs

package main

import (
	"io"
	"os"
	"strings"
)

// Built with -tags gendocs — only by `go run ./tools/gendocs` — the binary
// prints the README's flag reference and exits: a package main cannot be
// imported, and this keeps the generator on the app's own flag definitions.
// Product builds never include this file.
func init() {
	sys := newSystem(strings.NewReader(""), io.Discard, io.Discard)
	if _, err := io.WriteString(os.Stdout, flagReference(newApp(&invocation{sys: sys}))); err != nil {
		os.Exit(1)
	}
	os.Exit(0)
}
