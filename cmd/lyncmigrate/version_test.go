package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
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
	ostest.SkipOnWindows(t, "runs go build (make e2e-windows runs the built exe)")
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
	// Issue 2's acceptance lines, run from the binary's folder with no
	// LYNCMIGRATE_* settings (and, second, with the Linux credentials the
	// Windows default sspi does not need): exit 2, missing.txt named, no
	// job started (no log file).
	bare := withoutLyncmigrateEnv(os.Environ())
	withCreds := append(bare[:len(bare):len(bare)], "LYNCMIGRATE_LDAP_BIND_DN=admin@ad.example.com", "LYNCMIGRATE_LDAP_PASSWORD=pw")
	for _, tc := range []struct {
		name string
		exe  string
		args []string
		env  []string
		want string
	}{
		{"Cisco name, missing file", "./DisableAccount.exe", []string{"-s/ad.example.com", "-f/missing.txt", "-l/debug"}, bare,
			`DisableAccount.exe: -f/: open users file "missing.txt": no such file or directory`},
		{"Cisco name, missing file, credentials set", "./DisableAccount.exe", []string{"-s/ad.example.com", "-f/missing.txt", "-l/debug"}, withCreds,
			`DisableAccount.exe: -f/: open users file "missing.txt": no such file or directory`},
		{"Cisco name, stray argument", "./DisableAccount.exe", []string{"-s/dc1", "-f/u.txt", "stray", "--dry-run"}, withCreds,
			`DisableAccount.exe: unexpected argument "stray"`},
		{"flag after a positional", "./lyncmigrate", []string{"disableaccount", "-s/ad.example.com", "-f", "users.txt", "extra", "--dry-run"}, withCreds,
			`lyncmigrate disableaccount: unexpected argument "extra": disableaccount takes only flags, and nothing after it was read (--dry-run)`},
	} {
		cmd := exec.Command(tc.exe, tc.args...)
		cmd.Dir, cmd.Env = dir, tc.env
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err = cmd.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("%s: exit = %v, want 2; stderr %s", tc.name, err, stderr.String())
		}
		if !strings.Contains(stderr.String(), tc.want) || stdout.String() != "" {
			t.Errorf("%s: stderr %q lacks %q (stdout %q)", tc.name, stderr.String(), tc.want, stdout.String())
		}
		if logs, _ := filepath.Glob(filepath.Join(dir, "*Log*.txt")); len(logs) > 0 {
			t.Errorf("%s: a job ran and wrote %v", tc.name, logs)
		}
	}
}

func withoutLyncmigrateEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "LYNCMIGRATE_") {
			out = append(out, kv)
		}
	}
	return out
}
