// Command gendocs writes the flag reference of README.md from the CLI's own
// flag definitions: it runs the lyncmigrate package built with -tags gendocs,
// which prints the reference (cmd/lyncmigrate/flagdoc.go), and puts it
// between the README's GENERATED FLAGS markers.
//
//	go run ./tools/gendocs          rewrite README.md if the reference changed
//	go run ./tools/gendocs -check   only report whether README.md is current (exit 1 if not)
//
// cmd/lyncmigrate's flagdoc_test.go makes the same comparison in `make test`.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
	"github.com/lyncmigrate/lyncmigrate/tools/gendocs/mdblock"
)

func main() {
	check := flag.Bool("check", false, "only check that README.md is current; exit 1 if not")
	flag.Parse()
	if err := run(*check); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func run(check bool) error {
	root, err := lyncmigrate.Root()
	if err != nil {
		return err
	}
	ref, err := render(root)
	if err != nil {
		return err
	}
	readme := filepath.Join(root, "README.md")
	old, err := os.ReadFile(readme)
	if err != nil {
		return err
	}
	doc := strings.ReplaceAll(string(old), "\r\n", "\n")
	updated, err := mdblock.Replace(doc, mdblock.FlagsBegin, mdblock.FlagsEnd, ref)
	if err != nil {
		return fmt.Errorf("%s: %w", readme, err)
	}
	switch {
	case updated == string(old):
		fmt.Println("README.md: flag reference is current")
		return nil
	case check:
		return fmt.Errorf("README.md: the flag reference differs from the CLI's flags: run go run ./tools/gendocs")
	}
	if err := os.WriteFile(readme, []byte(updated), 0o644); err != nil {
		return err
	}
	fmt.Println("README.md: flag reference rewritten")
	return nil
}

// render runs the documentation build of the CLI and returns what it prints.
func render(root string) (string, error) {
	cmd := exec.Command("go", "run", "-tags", "gendocs", "./cmd/lyncmigrate")
	cmd.Dir = root
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go run -tags gendocs ./cmd/lyncmigrate: %w\n%s", err, errb.String())
	}
	if out.Len() == 0 {
		return "", fmt.Errorf("go run -tags gendocs ./cmd/lyncmigrate printed nothing")
	}
	return out.String(), nil
}
