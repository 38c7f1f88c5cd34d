// Package ostest is TEST ONLY: what a test may assume of the operating system, so that the same
// tests run on Linux and as Windows binaries under Wine (make test-windows). Product code never
// imports it.
//
// What a test cannot check on Windows is never dropped silently: SkipOnWindows skips with a
// reason and NotCheckedOnWindows logs one, both behind a marker that scripts/gotestcheck
// -windows collects into the skip list printed at the end of make test-windows.
package ostest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// The markers scripts/gotestcheck looks for (it repeats them: keep both in step).
const (
	SkipMarker      = "not on Windows: "
	UncheckedMarker = "not checked on Windows: "
)

// SkipOnWindows skips the test on Windows, saying why (e.g. "runs go build").
func SkipOnWindows(t testing.TB, why string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip(SkipMarker + why)
	}
}

// NotCheckedOnWindows reports whether the test runs on Windows, where one of its checks cannot
// be made; it then logs why, so that the check left out is listed.
func NotCheckedOnWindows(t testing.TB, why string) bool {
	t.Helper()
	if runtime.GOOS != "windows" {
		return false
	}
	t.Log(UncheckedMarker + why)
	return true
}

// OwnerOnly fails the test unless path is mode 0600: its owner reads and writes it, nobody else
// can. Windows has no mode bits (Go reports 0666 there; the folder's ACL applies): there the
// check is listed as left out.
func OwnerOnly(t testing.TB, path string) {
	t.Helper()
	if NotCheckedOnWindows(t, "owner-only file mode (no mode bits on Windows: the folder's ACL applies)") {
		return
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Errorf("mode of %s: %v", path, err)
		return
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s: mode %v, want 0600 (owner only)", path, fi.Mode().Perm())
	}
}

// NotExistText is this system's message for a missing file, as an error names it after the
// path: "no such file or directory" on Linux, "The system cannot find the file specified." on
// Windows ("File not found." under Wine).
func NotExistText(t testing.TB) string {
	t.Helper()
	_, err := os.Open(filepath.Join(t.TempDir(), "missing"))
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("opening a missing file: %v, want a not-exist path error", err)
	}
	return pe.Err.Error()
}
