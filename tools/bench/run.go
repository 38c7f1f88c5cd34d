package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// mode is how a disable or delete row runs.
type mode int

const (
	dryRun        mode = iota // --dry-run: no write, no backup
	backupOnTmpfs             // the real run with --log-dir on /dev/shm
	backupOnDisk              // the real run with --log-dir on the work folder's disk
	trial                     // deleteaccount --trial: every transaction run and rolled back, no backup
)

// runDir is a fresh folder for one row's logs and outputs.
func (e *env) runDir(r *row, base string) (string, error) {
	if base == "" {
		base = e.runs
	}
	d := filepath.Join(base, slug(r.name))
	if err := os.RemoveAll(d); err != nil {
		return "", err
	}
	return d, os.MkdirAll(d, 0o700)
}

// product runs lyncmigrate with --json, --log-dir and --workers and measures it; "not
// implemented" (a job whose Run is still the stub) is a status, not a failure.
func (e *env) product(ctx context.Context, r *row, logDir string, envs []string, args ...string) (lab.Run, bool, error) {
	return e.productExit(ctx, r, logDir, envs, 0, args...)
}

// productExit is product for a run that must end with exit code want.
func (e *env) productExit(ctx context.Context, r *row, logDir string, envs []string, want int, args ...string) (lab.Run, bool, error) {
	args = append(args, "--json", "--log-dir", logDir, "--workers", fmt.Sprint(e.o.workers))
	cmd := exec.CommandContext(ctx, e.lync, args...)
	cmd.Env = append(os.Environ(), envs...)
	cmd.Dir = logDir
	run, err := lab.Measure(cmd, lab.Options{PeakRSS: true})
	if err != nil {
		return run, false, err
	}
	if run.Exit == 3 && strings.Contains(run.Stderr, "not implemented") {
		r.status = "not implemented"
		return run, false, nil
	}
	if run.Exit != want {
		return run, false, fmt.Errorf("exit %d, want %d: %s", run.Exit, want, lab.Tail(run.Stderr, 8))
	}
	if run.Summary == nil {
		return run, false, errors.New("no --json summary on stdout")
	}
	return run, true, nil
}

func (e *env) ldapEnv() []string {
	return []string{"LYNCMIGRATE_LDAP_PASSWORD=" + e.ad.Password}
}

func (e *env) ldapArgs() []string {
	return []string{"--ldap-server", e.ad.Server(), "--ldap-ca-file", e.ad.CAFile, "--ldap-bind-dn", e.ad.BindDN}
}

func record(r *row, run lab.Run, users, contacts int) {
	r.wall, r.rssKB, r.users, r.contacts = run.Wall, run.MaxRSSKB, users, contacts
}

// expectOutcomes checks the summary: every user processed, nothing else.
func expectOutcomes(run lab.Run, processed int) error {
	s := run.Summary
	if s == nil {
		return errors.New("no summary")
	}
	if s.Processed != processed || s.Errors != 0 || s.NotFound != 0 || s.NotAttempted != 0 || s.Skipped != 0 {
		return fmt.Errorf("summary: %d processed (want %d), %d errors, %d not found, %d skipped, %d not attempted",
			s.Processed, processed, s.Errors, s.NotFound, s.Skipped, s.NotAttempted)
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

func slug(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func writeLines(path string, lines []string) error {
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
}
