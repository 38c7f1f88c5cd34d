package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// benchOU is the bench's own OU (other packages seed theirs on the same DC).
const benchOU = "LyncmigrateBench"

// env is one bench run's servers, binaries and data.
type env struct {
	o         options
	root      string
	self      string // this program, re-run as a child for the plain loops
	lync      string // the built lyncmigrate
	rtcsim    string // the built rtcsim ("" when cmd/rtcsim does not exist yet)
	ad        lab.AD
	ouDN      string
	users     []lab.User
	usersFile string // the users' SIP URIs, one per line
	golden    string // the seeded rtcsim database each SQL row starts from a copy of
	runs      string // one folder per row: logs, backups, CSVs
	shm       string // a tmpfs folder for the "backup on tmpfs" rows ("" without /dev/shm)
	unlock    func()
}

func bench(ctx context.Context, o options) ([]*row, error) {
	e, err := setup(o)
	if err != nil {
		return nil, err
	}
	defer e.cleanup()

	plainLDAP := &row{name: "plain go-ldap loop", measures: "OR-filter lookups of 200, one modify per user", unit: perUser, cisco: true}
	plainSQL := &row{name: "plain database/sql loop", measures: "lookup, then one transaction per user: the Lync 2013 plan", unit: perUser, cisco: true}
	plainRead := &row{name: "plain rtcsim contacts read", measures: "users resolved, groups, contacts and group links read in IN-lists", unit: perContact, cisco: true}
	disableDry := &row{name: "disableaccount --dry-run", measures: "lookups and the plan; no modify, no backup", unit: perUser, plain: plainLDAP, cisco: true}
	disableShm := &row{name: "disableaccount, backup on tmpfs", measures: "the real run; its backup's fsync costs nothing", unit: perUser, plain: plainLDAP, cisco: true}
	disable := &row{name: "disableaccount", measures: "the real run, backup synced to disk before each modify", unit: perUser, plain: plainLDAP, cisco: true}
	deleteDry := &row{name: "deleteaccount --dry-run", measures: "lookups and row counts; no transaction, no backup", unit: perUser, plain: plainSQL, cisco: true}
	deleteShm := &row{name: "deleteaccount, backup on tmpfs", measures: "the real run; its backup's fsync costs nothing", unit: perUser, plain: plainSQL, cisco: true}
	del := &row{name: "deleteaccount", measures: "the real run, backup synced to disk before each commit", unit: perUser, plain: plainSQL, cisco: true}
	export := &row{name: "exportcontacts (rtcsim)", measures: "users resolved in AD, contacts read from rtcsim, CSV written", unit: perContact, plain: plainRead, cisco: true}
	rows := []*row{plainLDAP, plainSQL, plainRead, disableDry, disableShm, disable, deleteDry, deleteShm, del, export}
	var zipRows []*row
	for _, n := range o.zipSizes {
		zr := &row{name: fmt.Sprintf("exportcontacts --from-export (%s users)", group(fmt.Sprint(n))),
			measures: "Export-CsUserData zip streamed, CSV written", unit: perContact, cisco: true}
		zipRows = append(zipRows, zr)
		rows = append(rows, zr)
	}
	skip := func(rs []*row, why string) {
		for _, r := range rs {
			if r.status == "" {
				r.status = why
			}
		}
	}
	if e.shm == "" {
		skip([]*row{disableShm, deleteShm}, "no /dev/shm")
	}
	if !o.want("ldap") {
		skip([]*row{plainLDAP, disableDry, disableShm, disable}, "not run (-only)")
	}
	if !o.want("sql") {
		skip([]*row{plainSQL, deleteDry, deleteShm, del}, "not run (-only)")
	}
	if !o.want("export") {
		skip([]*row{plainRead, export}, "not run (-only)")
	}
	if !o.want("zip") {
		skip(zipRows, "not run (-only)")
	}
	if e.rtcsim == "" {
		skip([]*row{plainSQL, plainRead, deleteDry, deleteShm, del, export}, "no cmd/rtcsim yet")
	}

	type step struct {
		r  *row
		fn func(context.Context, *row) error
	}
	steps := []step{
		// the export reads the users while they are still Lync-enabled in AD
		{plainRead, e.runPlainRead},
		{export, e.runExportRTC},
		{plainLDAP, e.runPlainDisable},
		{disableDry, func(ctx context.Context, r *row) error { return e.runDisable(ctx, r, dryRun) }},
		{disableShm, func(ctx context.Context, r *row) error { return e.runDisable(ctx, r, backupOnTmpfs) }},
		{disable, func(ctx context.Context, r *row) error { return e.runDisable(ctx, r, backupOnDisk) }},
		{plainSQL, e.runPlainDelete},
		{deleteDry, func(ctx context.Context, r *row) error { return e.runDelete(ctx, r, dryRun) }},
		{deleteShm, func(ctx context.Context, r *row) error { return e.runDelete(ctx, r, backupOnTmpfs) }},
		{del, func(ctx context.Context, r *row) error { return e.runDelete(ctx, r, backupOnDisk) }},
	}
	for i, zr := range zipRows {
		n := o.zipSizes[i]
		steps = append(steps, step{zr, func(ctx context.Context, r *row) error { return e.runExportZip(ctx, r, n) }})
	}
	// rounds interleave the rows, so that a noisy minute on a shared machine does not land on one
	// row only; each row keeps its fastest round and its highest peak RSS
	for round := 1; round <= o.repeat; round++ {
		for _, st := range steps {
			r := st.r
			if r.status != "" {
				continue
			}
			if err := ctx.Err(); err != nil {
				return rows, err
			}
			progress("%s (round %d of %d) …", r.name, round, o.repeat)
			m := &row{name: r.name, unit: r.unit}
			if err := st.fn(ctx, m); err != nil {
				r.status = "FAILED: " + firstLine(err.Error())
				progress("%s: %v", r.name, err)
				continue
			}
			if m.status != "" {
				r.status = m.status
				progress("%s: %s", r.name, r.status)
				continue
			}
			progress("%s: %.2f s, peak RSS %s", r.name, m.wall.Seconds(), mib(m.rssKB))
			if r.wall == 0 || m.wall < r.wall {
				r.wall, r.users, r.contacts = m.wall, m.users, m.contacts
			}
			r.rssKB = max(r.rssKB, m.rssKB)
		}
	}
	return rows, nil
}

func setup(o options) (*env, error) {
	e := &env{o: o}
	var err error
	if e.root, err = lab.Root(); err != nil {
		return nil, err
	}
	if e.self, err = os.Executable(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return nil, err
	}
	// one bench at a time: they share the folder, the OU and the users
	if e.unlock, err = lab.Lock(filepath.Join(o.dir, ".lock"), func(s string) { progress("%s", s) }); err != nil {
		return nil, err
	}
	bin := filepath.Join(o.dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return nil, e.fail(err)
	}
	e.runs = filepath.Join(o.dir, "runs")
	if err := os.RemoveAll(e.runs); err != nil {
		return nil, e.fail(err)
	}
	progress("building lyncmigrate and rtcsim into %s", bin)
	if e.lync, err = lab.Build(e.root, "./cmd/lyncmigrate", bin, "lyncmigrate"); err != nil {
		return nil, e.fail(err)
	}
	if _, err := os.Stat(filepath.Join(e.root, "cmd", "rtcsim", "main.go")); err == nil {
		if e.rtcsim, err = lab.Build(e.root, "./cmd/rtcsim", bin, "rtcsim"); err != nil {
			return nil, e.fail(err)
		}
	}
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if e.shm, err = os.MkdirTemp("/dev/shm", "lyncmigrate-bench-"); err != nil {
			e.shm = ""
		}
	}

	progress("Samba AD DC …")
	if e.ad, err = lab.FindAD(e.root, lab.SharedADDir); err != nil {
		return nil, e.fail(err)
	}
	if e.ad.Started {
		// the shared DC of internal/testenv: like the tests, leave it for the next run
		progress("started the shared DC in %s; it is left running (make ad-down stops it)", e.ad.Dir)
		e.ad.Started = false
	}
	e.users = benchUsers(o.users)
	e.usersFile = filepath.Join(o.dir, "users.txt")
	if err := writeLines(e.usersFile, sipsOf(e.users)); err != nil {
		return nil, e.fail(err)
	}
	t0 := time.Now()
	if e.ouDN, err = e.ad.SeedOU(benchOU); err != nil {
		return nil, e.fail(err)
	}
	if err := e.ad.AddUsers(e.ouDN, e.users); err != nil {
		return nil, e.fail(err)
	}
	progress("%d users added under %s in %.1f s", len(e.users), e.ouDN, time.Since(t0).Seconds())
	// Samba answers modifies slowly for a while after a bulk add: one unmeasured pass of
	// modifies over the users, so that the first measured row does not pay for it
	t0 = time.Now()
	if err := e.ad.Reenable(e.ouDN, e.users); err != nil {
		return nil, e.fail(err)
	}
	progress("warm-up: a modify per user in %.1f s", time.Since(t0).Seconds())
	if e.rtcsim != "" {
		t0 = time.Now()
		e.golden = filepath.Join(o.dir, "rtc-golden.sqlite")
		if err := seedRTC(e.golden, e.users, o.contacts); err != nil {
			return nil, e.fail(err)
		}
		progress("rtcsim database of %d users × %d contacts in %.1f s", len(e.users), o.contacts, time.Since(t0).Seconds())
	}
	return e, nil
}

// fail cleans up what setup made so far and returns err.
func (e *env) fail(err error) error {
	e.cleanup()
	return err
}

func (e *env) cleanup() {
	if e.unlock != nil {
		defer e.unlock()
	}
	if e.shm != "" {
		os.RemoveAll(e.shm)
	}
	if !e.o.keep {
		if e.ouDN != "" {
			if err := e.ad.DeleteOU(benchOU); err != nil {
				progress("cleanup: %v", err)
			}
		}
		os.RemoveAll(e.runs)
	}
	if err := e.ad.StopAD(); err != nil {
		progress("cleanup: %v", err)
	}
}

// mode is how a disable or delete row runs.
type mode int

const (
	dryRun        mode = iota // --dry-run: no write, no backup
	backupOnTmpfs             // the real run with --log-dir on /dev/shm
	backupOnDisk              // the real run with --log-dir on the work folder's disk
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
	if run.Exit != 0 {
		return run, false, fmt.Errorf("exit %d: %s", run.Exit, lab.Tail(run.Stderr, 8))
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
