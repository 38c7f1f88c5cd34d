package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// runScript runs scripts/samba-ad.sh and returns its output and exit code.
func runScript(t *testing.T, args ...string) (string, int) {
	t.Helper()
	root, err := lyncmigrate.Root()
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(root, "scripts", "samba-ad.sh")
	out, err := exec.Command("bash", append([]string{script}, args...)...).CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// The script's guards, against the running DC (which they must leave alone).
func TestScriptGuards(t *testing.T) {
	ostest.SkipOnWindows(t, "runs scripts/samba-ad.sh with bash")
	e := AD(t)
	if e.Dir == "" {
		t.Skip("this DC was not started by scripts/samba-ad.sh (no LMTEST_AD_DIR)")
	}
	pidText, err := os.ReadFile(filepath.Join(e.Dir, "samba.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid := strings.TrimSpace(string(pidText))

	t.Run("status of the running DC", func(t *testing.T) {
		out, code := runScript(t, "status", e.Dir)
		if code != 0 || !strings.Contains(out, "running pid "+pid) {
			t.Errorf("exit %d: %s", code, out)
		}
	})
	t.Run("up again is a no-op", func(t *testing.T) {
		out, code := runScript(t, "up", e.Dir)
		if code != 0 || !strings.Contains(out, "already running pid "+pid) {
			t.Errorf("exit %d: %s", code, out)
		}
	})
	t.Run("status and down of a folder without a DC", func(t *testing.T) {
		dir := t.TempDir()
		if out, code := runScript(t, "status", dir); code != 1 || !strings.Contains(out, "not running") {
			t.Errorf("status: exit %d: %s", code, out)
		}
		if out, code := runScript(t, "down", dir); code != 0 || !strings.Contains(out, "not running") {
			t.Errorf("down: exit %d: %s", code, out)
		}
	})
	t.Run("down never kills a PID that is not the folder's samba", func(t *testing.T) {
		dir := t.TempDir()
		me := strconv.Itoa(os.Getpid())
		if err := os.WriteFile(filepath.Join(dir, "samba.pid"), []byte(me+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		out, code := runScript(t, "down", dir)
		if code != 0 || !strings.Contains(out, "not running") {
			t.Errorf("exit %d: %s", code, out)
		}
		if b, err := os.ReadFile(filepath.Join(dir, "samba.pid")); err != nil || strings.TrimSpace(string(b)) != me {
			t.Errorf("the PID file of a live process was removed or changed: %q %v", b, err)
		}
	})
	t.Run("up refuses a second DC", func(t *testing.T) {
		out, code := runScript(t, "up", filepath.Join(t.TempDir(), "second"))
		if code == 0 || !strings.Contains(out, "already in use") {
			t.Errorf("exit %d: %s", code, out)
		}
	})
	t.Run("up never wipes a folder it did not make", func(t *testing.T) {
		dir := t.TempDir()
		keep := filepath.Join(dir, "precious.txt")
		if err := os.WriteFile(keep, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		out, code := runScript(t, "up", dir)
		if code == 0 || !strings.Contains(out, "not made by this script") {
			t.Errorf("exit %d: %s", code, out)
		}
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("folder wiped: %v", err)
		}
	})
	// still the same DC, answering
	if out, code := runScript(t, "status", e.Dir); code != 0 || !strings.Contains(out, "running pid "+pid) {
		t.Errorf("after the guards: exit %d: %s", code, out)
	}
}
