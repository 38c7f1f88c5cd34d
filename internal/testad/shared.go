package testad

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
)

// The shared DC: the one DC per machine (fixed ports) that tests and tools start when no
// DC is named by the environment. A process that uses it holds a shared flock on
// <dir>.users for as long as it lives (the kernel drops it however the process ends,
// killed or timed out included); the process that starts it also starts
// `scripts/samba-ad.sh reap`, which stops the DC once no process has held that lock for
// Linger. So a DC started by `go test` or `make bench` stops after them; a DC named by
// LMTEST_LDAP_URL (make test, .ci/run, a namespace of its own) is never stopped here, nor
// one started by `make ad-up` (it writes <dir>/keep: reuse across runs is opt-in).
const (
	// SharedDir is the shared DC's folder (LMTEST_AD_SHARED_DIR changes it, for the
	// test of this lifecycle).
	SharedDir = "/tmp/lyncmigrate-samba"
	// Linger is how long, in seconds, the shared DC outlives its last user, so that the
	// packages of one `go test ./...` (separate processes, with gaps) share one start
	// (LMTEST_AD_LINGER changes it).
	Linger = "30"
)

func sharedDir() string {
	if d := os.Getenv("LMTEST_AD_SHARED_DIR"); d != "" {
		return d
	}
	return SharedDir
}

// Use returns the test DC: the one the LMTEST_* variables name, else the shared one,
// started if it is not running. log is what a start printed (its timings).
func Use() (e Env, log string, err error) {
	use.once.Do(func() { use.env, use.log, use.err = find() })
	return use.env, use.log, use.err
}

var use struct {
	once sync.Once
	env  Env
	log  string
	err  error
}

func find() (Env, string, error) {
	dir := sharedDir()
	if os.Getenv(EnvURL) != "" {
		e, err := FromEnv(os.Getenv)
		if err == nil && e.Dir == dir {
			err = joinUsers(dir) // a sourced env.sh of the shared DC: its reaper waits for us
		}
		return e, "", err
	}
	if runtime.GOOS == "windows" {
		return Env{}, "", errors.New("the test DC runs only on Linux; set the LMTEST_LDAP_* variables to use another one")
	}
	if os.Geteuid() != 0 {
		return Env{}, "", errors.New("starting Samba needs root (or run `make test`, or source the env.sh of a DC started with scripts/samba-ad.sh up DIR)")
	}
	if !haveSamba() && os.Getenv("CI") == "" {
		// CI is a fresh machine where the script installs Samba; elsewhere do not install behind a developer's back.
		return Env{}, "", errors.New("samba is not installed (`make test` or scripts/samba-ad.sh up DIR installs it)")
	}
	root, err := lyncmigrate.Root()
	if err != nil {
		return Env{}, "", err
	}
	script := filepath.Join(root, "scripts", "samba-ad.sh")
	unlock, err := Lock(dir+".lock", func(string) {})
	if err != nil {
		return Env{}, "", err
	}
	defer unlock()
	// First the shared lock: it waits while a reaper stops the DC, and keeps it from
	// stopping the one this process finds running.
	if err := joinUsers(dir); err != nil {
		return Env{}, "", err
	}
	out := []byte("test DC: the shared one in " + dir + " (running)")
	if exec.Command("bash", script, "status", dir).Run() != nil {
		if out, err = exec.Command("bash", script, "up", dir).CombinedOutput(); err != nil {
			return Env{}, "", fmt.Errorf("%s up %s: %w\n%s", script, dir, err, tail(out, 20))
		}
		if err := startReaper(script, dir); err != nil {
			return Env{}, "", err
		}
	}
	e, err := ReadEnvFile(filepath.Join(dir, "env.sh"))
	return e, strings.TrimSpace(string(out)), err
}

// startReaper starts `samba-ad.sh reap DIR`, in a session of its own (a test binary's
// or make's end does not end it), its output in DIR/log/reap.log.
func startReaper(script, dir string) error {
	linger := Linger
	if v := os.Getenv("LMTEST_AD_LINGER"); v != "" {
		linger = v
	}
	logf, err := os.OpenFile(filepath.Join(dir, "log", "reap.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("test DC reaper: %w", err)
	}
	defer logf.Close()
	cmd := exec.Command("bash", script, "reap", dir, linger)
	cmd.Stdout, cmd.Stderr = logf, logf // never the test binary's pipes: go test would wait for them
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("test DC reaper: %w", err)
	}
	return cmd.Process.Release()
}

func haveSamba() bool {
	if _, err := exec.LookPath("samba"); err == nil {
		return true
	}
	_, err := os.Stat("/usr/sbin/samba")
	return err == nil
}

func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
