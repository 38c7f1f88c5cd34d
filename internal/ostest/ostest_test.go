package ostest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestNotExistText(t *testing.T) {
	got := NotExistText(t)
	if runtime.GOOS == "linux" && got != "no such file or directory" {
		t.Errorf("NotExistText = %q on Linux", got)
	}
	_, err := os.ReadFile(filepath.Join(t.TempDir(), "nope.txt"))
	if err == nil || !strings.HasSuffix(err.Error(), ": "+got) {
		t.Errorf("error %v does not end with %q", err, got)
	}
}

// OwnerOnly must fail for a file others can read; a recorder stands in for the test.
func TestOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	private, shared := filepath.Join(dir, "private"), filepath.Join(dir, "shared")
	for p, mode := range map[string]os.FileMode{private: 0o600, shared: 0o644} {
		if err := os.WriteFile(p, nil, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // whatever the umask
			t.Fatal(err)
		}
	}
	var ok, bad recorder
	OwnerOnly(&ok, private)
	OwnerOnly(&bad, shared)
	if runtime.GOOS == "windows" {
		if ok.failed || bad.failed || !strings.Contains(bad.logged, UncheckedMarker) {
			t.Errorf("on Windows: failed %v/%v, logged %q; want no failure and the marker", ok.failed, bad.failed, bad.logged)
		}
		return
	}
	if ok.failed || !bad.failed {
		t.Errorf("0600 failed: %v, 0644 failed: %v; want false, true", ok.failed, bad.failed)
	}
}

type recorder struct {
	testing.TB
	failed bool
	logged string
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Log(args ...any)       { r.logged += fmt.Sprint(args...) }
