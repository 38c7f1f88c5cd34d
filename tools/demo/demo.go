package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/testad"
	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// options of one demo run. The demo and its test use different OU, account prefix and SIP
// domain, so that they can share a DC with each other and with the other test packages.
type options struct {
	root    string
	out     string // output folder: logs, CSVs, backups of each step
	ou      string // OU=<ou> under the domain
	prefix  string // sAMAccountName prefix
	domain  string // SIP domain
	skip    string // a step to leave out ("delete"): the end-state check must then fail
	w       io.Writer
	keepOU  bool
	windows bool // run lyncmigrate.exe under Wine (make e2e-windows; see windows.go)
}

// errEndState is the demo's failure when the servers do not end as a migration must leave them.
var errEndState = errors.New("end-state check failed")

// step is one lyncmigrate command of the runbook.
type step struct {
	name  string // "exportcontacts", "disableaccount --dry-run", …
	dir   string // its --log-dir, under the output folder
	args  []string
	dry   bool
	why   string // one line for the reader
	run   lab.Run
	files []string
}

func demo(ctx context.Context, o options) (err error) {
	w := o.w
	people, err := loadPeople(fixture(o.root, "users.csv"))
	if err != nil {
		return err
	}
	var migrating []person
	for _, p := range people {
		if p.Migrates {
			migrating = append(migrating, p)
		}
	}
	// one demo per output folder at a time
	if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
		return err
	}
	unlock, err := testad.Lock(o.out+".lock", func(s string) { fmt.Fprintln(w, "   "+s) })
	if err != nil {
		return err
	}
	defer unlock()
	if err := freshDir(o.out); err != nil {
		return err
	}

	fmt.Fprintf(w, "== building lyncmigrate and rtcsim\n")
	bin := filepath.Join(o.out, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	lync, err := lab.Build(o.root, "./cmd/lyncmigrate", bin, "lyncmigrate")
	if err != nil {
		return err
	}
	rtcsimBin, err := lab.Build(o.root, "./cmd/rtcsim", bin, "rtcsim")
	if err != nil {
		return err
	}
	cwd := filepath.Join(o.out, "cwd")
	if o.windows {
		if err := lab.CheckWine(); err != nil {
			return err
		}
		linux := lync
		if lync, err = lab.BuildWindows(o.root, "./cmd/lyncmigrate", bin, exeName); err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s, run under %s from each step's folder (no --log-dir); working folder %s\n", exeName, wineVersion(), cwd)
		dir := filepath.Join(o.out, "0-ldaps-refused")
		for _, d := range []string{dir, cwd} {
			if err := os.MkdirAll(d, 0o700); err != nil {
				return err
			}
		}
		fmt.Fprintf(w, "\n== 0. %s and the Linux build, refused on the LDAPS port (WSAECONNREFUSED on Windows)\n", exeName)
		msg, err := checkRefused(ctx, lync, linux, dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   both exit 3 and say: %s\n", msg)
	}

	fmt.Fprintf(w, "== starting a Samba AD DC (scripts/samba-ad.sh) unless one runs\n")
	t0 := time.Now()
	ad, err := lab.FindAD()
	if err != nil {
		return err
	}
	defer func() {
		if !o.keepOU {
			if cerr := ad.DeleteOU(o.ou); cerr != nil {
				err = errors.Join(err, cerr)
			}
		}
	}()
	if ad.Log != "" {
		fmt.Fprintf(w, "   started in %s (%.0f s); it stops once the last process using it has ended\n", ad.Dir, time.Since(t0).Seconds())
	} else {
		fmt.Fprintf(w, "   using the running DC of %s\n", ad.Dir)
	}
	ouDN, err := ad.SeedOU(o.ou)
	if err != nil {
		return err
	}
	if err := ad.AddUsers(ouDN, adUsers(people, o.prefix, o.domain)); err != nil {
		return err
	}
	fmt.Fprintf(w, "   %d Lync-enabled users under %s (sip:…@%s)\n", len(people), ouDN, o.domain)

	fmt.Fprintf(w, "== starting rtcsim (the Lync 2013 rtc database) seeded from testdata/demo/rtc-seed.sql\n")
	seed := filepath.Join(o.out, "rtc-seed.sql")
	if err := writeSeed(fixture(o.root, "rtc-seed.sql"), seed, o.domain); err != nil {
		return err
	}
	rtc, err := lab.StartRTC(lab.RTCOptions{Binary: rtcsimBin, Schema: "lync2013", DB: filepath.Join(o.out, "rtc.sqlite"),
		Seeds: []string{seed}, Password: "Demo-rtcsim-" + fmt.Sprint(os.Getpid()), LogDir: o.out})
	if err != nil {
		return err
	}
	defer func() {
		fmt.Fprintf(w, "== stopping rtcsim (its database stays in %s for sqlite3)\n", rtc.DB)
		rtc.Stop()
	}()
	fmt.Fprintf(w, "   listening on %s\n", rtc.Addr)

	before, err := snapshot(ctx, ad, ouDN, o.prefix, rtc)
	if err != nil {
		return err
	}
	usersFile := filepath.Join(o.out, "migrating-users.txt")
	lines := []string{"# the people moving to IM and Presence (input of exportcontacts)"}
	for _, p := range migrating {
		lines = append(lines, p.SIP(o.domain))
	}
	if err := os.WriteFile(usersFile, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		return err
	}

	fmt.Fprintf(w, "   AD over ldaps://%s:636, its certificate verified against %s (it names %s and localhost);\n"+
		"   passwords in LYNCMIGRATE_LDAP_PASSWORD and LYNCMIGRATE_SQL_PASSWORD, never on the command line\n", ad.Server(), ad.CAFile, ad.Host)
	env := append(os.Environ(), "LYNCMIGRATE_LDAP_PASSWORD="+ad.Password, "LYNCMIGRATE_SQL_PASSWORD="+rtc.Password)
	r := runner{w: w, lync: lync, env: env, out: o.out, skip: o.skip, windows: o.windows, cwd: cwd}
	ldap := []string{"--ldap-server", ad.Server(), "--ldap-ca-file", r.path(ad.CAFile), "--ldap-bind-dn", ad.BindDN}
	sqlArgs := []string{"--sql-server", rtc.Addr, "--sql-auth", "sql", "--sql-user", rtc.User}
	var zipPath string
	if o.windows {
		zipPath = filepath.Join(o.out, "export.zip")
		var owners []string
		for _, p := range migrating {
			owners = append(owners, strings.TrimPrefix(p.SIP(o.domain), "sip:"))
		}
		if err := writeExportZip(ctx, rtc, owners, zipPath); err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s: what Export-CsUserData would export of the migrating users' lists in rtcsim\n", zipPath)
	}

	export := r.step(ctx, "exportcontacts", "1-exportcontacts", "contact lists to the BAT CSV, and the UserList for the next steps",
		false, append(append([]string{"exportcontacts", "-f", r.path(usersFile), "-r", "NORMAL"}, ldap...), sqlArgs...), len(migrating))
	var offline *step
	if o.windows {
		offline = r.step(ctx, "exportcontacts --from-export", "1b-exportcontacts-offline", "the same lists from an Export-CsUserData zip, no server",
			false, []string{"exportcontacts", "--from-export", r.path(zipPath), "-f", r.path(usersFile)}, len(migrating))
	}
	if r.err != nil {
		return r.err
	}
	userList, listPath, err := readUserList(export)
	if err != nil {
		return err
	}
	listPath = r.path(listPath)
	r.step(ctx, "disableaccount --dry-run", "2-disableaccount-dry-run", "what the disable would change; nothing written",
		true, append([]string{"disableaccount", "-f", listPath, "--dry-run"}, ldap...), len(migrating))
	r.step(ctx, "disableaccount", "3-disableaccount", "msRTCSIP-UserEnabled FALSE, home servers removed, prior values in the backup LDIF",
		false, append([]string{"disableaccount", "-f", listPath}, ldap...), len(migrating))
	if r.err == nil {
		fmt.Fprintf(w, "   (a real migration now waits up to 30 minutes for AD to reach the Lync servers; the demo does not)\n")
	}
	r.step(ctx, "deleteaccount --dry-run", "4-deleteaccount-dry-run", "rows per table that the delete would remove; nothing written",
		true, append(append([]string{"deleteaccount", "-f", listPath, "--dry-run"}, sqlArgs...), ldap...), len(migrating))
	r.step(ctx, "deleteaccount", "5-deleteaccount", "homed data deleted, one transaction per user, rows in the backup JSONL; AD checked first",
		false, append(append([]string{"deleteaccount", "-f", listPath}, sqlArgs...), ldap...), len(migrating))
	if r.err != nil {
		return r.err
	}

	after, err := snapshot(ctx, ad, ouDN, o.prefix, rtc)
	if err != nil {
		return err
	}
	report(w, r.steps)
	beforeAfter(w, migrating[0], people, o.domain, before, after)
	problems := checkEndState(before, after, people, o.domain, userList)
	problems = append(problems, checkCRLF(r.steps)...)
	if o.windows {
		if d := sameExport(export, offline); d != "" {
			problems = append(problems, d)
		}
		if entries, err := os.ReadDir(cwd); err != nil || len(entries) > 0 {
			problems = append(problems, fmt.Sprintf("the working folder %s got %d files (%v): the outputs belong beside the exe", cwd, len(entries), err))
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(w, "\n== END STATE: FAILED (%d problems)\n", len(problems))
		for _, p := range problems {
			fmt.Fprintf(w, "   - %s\n", p)
		}
		return fmt.Errorf("%w: %d problems, first: %s", errEndState, len(problems), problems[0])
	}
	fmt.Fprintf(w, "\n== END STATE: OK — the %d migrating users are disabled in AD (address kept) and have no homed data in rtc;\n"+
		"   the contact rows of the %d users staying on Lync that point at them are intact; the staying users are untouched.\n",
		len(migrating), len(people)-len(migrating))

	// Last, what an administrator runs before closing the change: verify reads both servers
	// again (changing nothing) and must find every migrating user migrated.
	page := filepath.Join(o.out, "6-verify", "verify-report.html")
	v := r.step(ctx, "verify", "6-verify", "where each user stands, read again from AD and rtc (changes nothing), with a page for the change board",
		false, append(append([]string{"verify", "-f", listPath, "--report", r.path(page)}, sqlArgs...), ldap...), len(migrating))
	if r.err != nil {
		return r.err
	}
	if n := v.run.Summary.States["migrated"]; n != len(migrating) {
		return fmt.Errorf("verify: %d users migrated, want %d", n, len(migrating))
	}
	fmt.Fprintf(w, "   all %d users migrated; the report for the change board: %s\n", len(migrating), page)
	return nil
}

// freshDir empties the output folder of an earlier run (only one the demo made).
func freshDir(dir string) error {
	marker := filepath.Join(dir, ".lyncmigrate-demo")
	if _, err := os.Stat(dir); err == nil {
		if _, err := os.Stat(marker); err != nil {
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				return fmt.Errorf("%s exists and was not made by the demo: not emptying it", dir)
			}
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(marker, nil, 0o600)
}

// readUserList is the export's UserList<ts>.txt.
func readUserList(export *step) ([]string, string, error) {
	for _, f := range export.files {
		if strings.HasPrefix(filepath.Base(f), "UserList") {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, "", err
			}
			return strings.Fields(string(b)), f, nil
		}
	}
	return nil, "", fmt.Errorf("exportcontacts wrote no UserList in %s", export.dir)
}
