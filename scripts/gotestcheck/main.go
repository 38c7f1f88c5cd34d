// Command gotestcheck reads `go test -json` on stdin and fails on any failed OR skipped test: in CI
// a skipped integration test means a server was missing, which must not pass unnoticed.
//
//	go test -json ./... | go run ./scripts/gotestcheck [-o raw.json]
//
// It prints one line per package as it finishes, then every failed, skipped or unfinished test with
// its output, then "N passed, N failed, N skipped". Exit status 1 when anything failed or was
// skipped, or when no test ran at all.
//
// With -windows (make test-windows) a test skipped by internal/ostest.SkipOnWindows is allowed:
// such tests are listed with their reasons at the end, as are the checks internal/ostest left out
// on Windows (NotCheckedOnWindows); every other skip still fails the run.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

type event struct {
	Action      string
	Package     string
	ImportPath  string // build-output and build-fail events
	FailedBuild string // on a package's fail: the ImportPath of the build that failed
	Test        string
	Elapsed     float64
	Output      string
}

type testKey struct{ pkg, test string }

// windowsNote is a test and what it could not do on Windows.
type windowsNote struct {
	testKey
	reason string
}

// The markers of internal/ostest (SkipMarker, UncheckedMarker): keep both in step.
const (
	windowsSkipMarker      = "not on Windows: "
	windowsUncheckedMarker = "not checked on Windows: "
)

type report struct {
	out                  io.Writer
	windows              bool // -windows: skips with windowsSkipMarker are allowed and listed
	passed, failed, skip int
	windowsSkips         []windowsNote        // allowed skips (-windows), in order
	unchecked            []windowsNote        // checks left out on Windows, once per test and reason
	badPkgs              []string             // packages that failed outside any test (build, TestMain, timeout)
	bad                  []testKey            // failed or skipped tests, in order
	state                map[testKey]string   // last action of each test
	output               map[testKey][]string // output of every test until it ends well
	buildOut             map[string][]string
	pkgOut               map[string][]string
	nonJSON              []string
}

func main() {
	raw := flag.String("o", "", "also write the raw JSON stream to this file")
	windows := flag.Bool("windows", false, "allow and list the skips of internal/ostest.SkipOnWindows (make test-windows)")
	flag.Parse()
	var in io.Reader = os.Stdin
	if *raw != "" {
		f, err := os.Create(*raw)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gotestcheck:", err)
			os.Exit(2)
		}
		defer f.Close()
		in = io.TeeReader(os.Stdin, f)
	}
	r := newReport(os.Stdout)
	r.windows = *windows
	if err := r.read(in); err != nil {
		fmt.Fprintln(os.Stderr, "gotestcheck:", err)
		os.Exit(2)
	}
	if !r.summary() {
		os.Exit(1)
	}
}

func newReport(out io.Writer) *report {
	return &report{out: out, state: map[testKey]string{}, output: map[testKey][]string{},
		buildOut: map[string][]string{}, pkgOut: map[string][]string{}}
}

func (r *report) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			// go test writes some build errors as plain text
			r.nonJSON = append(r.nonJSON, sc.Text())
			continue
		}
		r.add(e)
	}
	return sc.Err()
}

func (r *report) add(e event) {
	k := testKey{e.Package, e.Test}
	switch {
	case e.Action == "build-output":
		r.buildOut[e.ImportPath] = append(r.buildOut[e.ImportPath], e.Output)
	case e.Action == "build-fail":
	case e.Test == "":
		r.pkgEvent(e)
	case e.Action == "output":
		r.output[k] = append(r.output[k], e.Output)
		if _, reason, ok := strings.Cut(e.Output, windowsUncheckedMarker); ok && r.windows {
			n := windowsNote{k, strings.TrimSpace(reason)}
			if !slices.Contains(r.unchecked, n) {
				r.unchecked = append(r.unchecked, n)
			}
		}
	case e.Action == "run":
		r.state[k] = "run"
	case e.Action == "pass":
		r.state[k] = "pass"
		r.passed++
		delete(r.output, k)
	case e.Action == "skip" && r.windows && r.windowsSkip(k) != "":
		r.state[k] = e.Action
		r.windowsSkips = append(r.windowsSkips, windowsNote{k, r.windowsSkip(k)})
		delete(r.output, k)
	case e.Action == "fail", e.Action == "skip":
		r.state[k] = e.Action
		if e.Action == "fail" {
			r.failed++
		} else {
			r.skip++
		}
		r.bad = append(r.bad, k)
	}
}

// windowsSkip is the reason a test gave to internal/ostest.SkipOnWindows, or "".
func (r *report) windowsSkip(k testKey) string {
	for _, line := range r.output[k] {
		if _, reason, ok := strings.Cut(line, windowsSkipMarker); ok {
			return strings.TrimSpace(reason)
		}
	}
	return ""
}

func (r *report) pkgEvent(e event) {
	switch e.Action {
	case "output":
		r.pkgOut[e.Package] = append(r.pkgOut[e.Package], e.Output)
	case "pass":
		fmt.Fprintf(r.out, "ok   %s %.1fs\n", e.Package, e.Elapsed)
	case "skip": // no test files
	case "fail":
		fmt.Fprintf(r.out, "FAIL %s %.1fs\n", e.Package, e.Elapsed)
		if e.FailedBuild != "" {
			r.pkgOut[e.Package] = append(r.buildOut[e.FailedBuild], r.pkgOut[e.Package]...)
		}
		if !slices.ContainsFunc(r.bad, func(k testKey) bool { return k.pkg == e.Package && r.state[k] == "fail" }) {
			r.badPkgs = append(r.badPkgs, e.Package)
		}
	}
}

// summary prints the details and the count line; it reports whether the run is good.
func (r *report) summary() bool {
	for _, k := range r.bad {
		fmt.Fprintf(r.out, "\n--- %s: %s %s\n", strings.ToUpper(r.state[k]), k.pkg, k.test)
		fmt.Fprint(r.out, strings.Join(r.output[k], ""))
	}
	var unfinished []testKey
	for k, s := range r.state {
		if s == "run" {
			unfinished = append(unfinished, k)
		}
	}
	slices.SortFunc(unfinished, func(a, b testKey) int { return strings.Compare(a.pkg+" "+a.test, b.pkg+" "+b.test) })
	for _, k := range unfinished {
		fmt.Fprintf(r.out, "\n--- DID NOT FINISH: %s %s\n", k.pkg, k.test)
		fmt.Fprint(r.out, strings.Join(r.output[k], ""))
	}
	for _, p := range r.badPkgs {
		fmt.Fprintf(r.out, "\n--- PACKAGE FAILED: %s\n", p)
		fmt.Fprint(r.out, strings.Join(r.pkgOut[p], ""))
	}
	if len(r.nonJSON) > 0 {
		fmt.Fprintf(r.out, "\n--- not go test -json:\n%s\n", strings.Join(r.nonJSON, "\n"))
	}
	if r.windows {
		r.windowsLists()
	}
	fmt.Fprintf(r.out, "\n%d passed, %d failed, %d skipped", r.passed, r.failed, r.skip)
	if r.windows {
		fmt.Fprintf(r.out, " (and %d skipped on Windows, listed above)", len(r.windowsSkips))
	}
	fmt.Fprintln(r.out)
	ok := r.failed == 0 && r.skip == 0 && len(r.badPkgs) == 0 && len(unfinished) == 0 && len(r.nonJSON) == 0 && r.passed > 0
	if !ok {
		fmt.Fprintln(r.out, "FAIL: failed, skipped or unfinished tests, failed packages or no tests (see above)")
	}
	return ok
}

// windowsLists prints what make test-windows did not test: the skipped tests and the checks left
// out, each with its reason.
func (r *report) windowsLists() {
	fmt.Fprintf(r.out, "\nSkipped on Windows (%d tests):\n", len(r.windowsSkips))
	for _, n := range r.windowsSkips {
		fmt.Fprintf(r.out, "  %s %s: %s\n", strings.TrimPrefix(n.pkg, modulePrefix(n.pkg)), n.test, n.reason)
	}
	// one line per reason: the same check is left out in many tests
	var reasons []string
	tests := map[string][]string{}
	for _, n := range r.unchecked {
		if _, ok := tests[n.reason]; !ok {
			reasons = append(reasons, n.reason)
		}
		tests[n.reason] = append(tests[n.reason], strings.TrimPrefix(n.pkg, modulePrefix(n.pkg))+" "+n.test)
	}
	fmt.Fprintf(r.out, "Checks left out on Windows (%d):\n", len(reasons))
	for _, reason := range reasons {
		fmt.Fprintf(r.out, "  %s, in %d tests: %s\n", reason, len(tests[reason]), strings.Join(tests[reason], ", "))
	}
}

// modulePrefix is the part of an import path that every package of the module repeats
// ("github.com/owner/repo/"), left out of the lists to keep them short.
func modulePrefix(pkg string) string {
	parts := strings.SplitN(pkg, "/", 4)
	if len(parts) < 4 || !strings.Contains(parts[0], ".") {
		return ""
	}
	return strings.Join(parts[:3], "/") + "/"
}
