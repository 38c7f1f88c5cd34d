package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolveVersion(t *testing.T) {
	stamped := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/lyncmigrate/lyncmigrate", Version: "v0.3.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "89abcdef0123456789abcdef0123456789abcdef"},
			{Key: "vcs.modified", Value: "false"},
		},
	}
	dirty := &debug.BuildInfo{
		Main: debug.Module{Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "89abcdef0123456789abcdef0123456789abcdef"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	tests := []struct {
		name         string
		ldV, ldC     string
		bi           *debug.BuildInfo
		ok           bool
		wantV, wantC string
	}{
		{"ldflags win", "v1.0.0", "abc", stamped, true, "v1.0.0", "abc"},
		{"build info", "", "", stamped, true, "v0.3.0", "89abcdef0123"},
		{"devel and dirty", "", "", dirty, true, "devel", "89abcdef0123-dirty"},
		{"ldflags version, vcs commit", "v2.0.0", "", stamped, true, "v2.0.0", "89abcdef0123"},
		{"nothing", "", "", nil, false, "devel", "unknown"},
	}
	for _, tc := range tests {
		v, c := resolveVersion(tc.ldV, tc.ldC, tc.bi, tc.ok)
		if v != tc.wantV || c != tc.wantC {
			t.Errorf("%s: got %q %q, want %q %q", tc.name, v, c, tc.wantV, tc.wantC)
		}
	}
}

// The Makefile's -X main.version/main.commit must reach --version, and a
// binary renamed to Cisco's name must run that command: build it for real.
func TestBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "lyncmigrate")
	build := exec.Command("go", "build", "-o", exe, "-ldflags", "-X main.version=v9.8.7 -X main.commit=feedbee", ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(exe, "--version").Output()
	want := "lyncmigrate v9.8.7 (commit feedbee, " + runtime.GOOS + "/" + runtime.GOARCH + ", " + runtime.Version() + ")\n"
	if err != nil || string(out) != want {
		t.Fatalf("--version = %q, %v; want %q", out, err, want)
	}

	cisco := filepath.Join(dir, "DisableAccount.exe")
	if err := os.Link(exe, cisco); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cisco, "-s/dc1", "-f/u.txt", "stray", "--dry-run")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit = %v, want 2; stderr %s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), `DisableAccount.exe: unexpected argument "stray"`) {
		t.Errorf("stderr = %q", stderr.String())
	}
}
