package exportcontacts

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// End-to-end tests of the product binary under Cisco's names (SPEC 3.1):
// the runbook's ExportContacts line against Samba and rtcsim, then the
// UserList it wrote given as it is to DisableAccount and DeleteAccount.

// buildCisco builds the product into a fresh folder under Cisco's three
// names (hard links of one build) and returns the folder.
func buildCisco(t *testing.T) string {
	t.Helper()
	ostest.SkipOnWindows(t, "builds the binary with go build (make e2e-windows runs the Windows exe end to end)")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "ExportContacts.exe")
	cmd := exec.Command("go", "build", "-o", exe, "./cmd/lyncmigrate")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/lyncmigrate: %v\n%s", err, out)
	}
	for _, other := range []string{"DisableAccount.exe", "DeleteAccount.exe"} {
		if err := os.Link(exe, filepath.Join(dir, other)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type exeRun struct {
	code           int
	stdout, stderr string
}

// runCisco runs exe in dir, with the product's
// environment replaced by env (stdin is not a terminal: nobody is prompted).
func runCisco(t *testing.T, exe, dir string, env map[string]string, args ...string) exeRun {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LYNCMIGRATE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := exeRun{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return r
}

// glob is the one file of dir matching pattern.
func glob(t *testing.T, dir, pattern string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, pattern))
	if len(m) != 1 {
		t.Fatalf("%s in %s: %v; want one file", pattern, dir, m)
	}
	return m[0]
}

func TestE2ECiscoExportThenDisableAndDelete(t *testing.T) {
	bin := buildCisco(t)
	exe := func(name string) string { return filepath.Join(bin, name) }
	forSchemas(t, func(t *testing.T, schema string) {
		env, _ := seedE2E(t)
		rtc := startE2E(t, schema)
		ldapHost := strings.TrimPrefix(env.URL, "ldaps://")
		sqlServer := fmt.Sprintf("%s,%d", rtc.Host, rtc.Port) // Cisco's host,port: never split on the comma
		secrets := map[string]string{
			"LYNCMIGRATE_LDAP_BIND_DN":  env.BindDN,
			"LYNCMIGRATE_LDAP_PASSWORD": env.Password,
			"LYNCMIGRATE_SQL_PASSWORD":  rtc.Password,
		}
		sqlFlags := []string{"--sql-auth", "sql", "--sql-user", rtc.User, "--sql-encrypt", "disable"}
		noSecret := func(what, text string) {
			t.Helper()
			for _, pw := range []string{env.Password, rtc.Password} {
				if strings.Contains(text, pw) {
					t.Errorf("a password appears in the %s", what)
				}
			}
		}

		// 1. The runbook's line, with the IM and Presence user export and -d/.
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "impusers.csv"), []byte("UserID,Subcluster Name,Node Name\r\nbob,Sub1,cup1\r\nhank,Sub1,cup2\r\n"), 0o600)
		args := append([]string{"-s/" + ldapHost, "-f/", "impusers.csv", "-l/debug", "-r/NORMAL", "-i/" + sqlServer, "-d/" + e2eDomain,
			"--ldap-ca-file", env.CAFile}, sqlFlags...)
		r := runCisco(t, exe("ExportContacts.exe"), dir, secrets, args...)
		if r.code != 0 {
			t.Fatalf("ExportContacts.exe: exit %d\n%s", r.code, r.stderr)
		}
		recs := readCSV(t, glob(t, dir, ContactsPrefix+"2*.csv"))
		if want := concatRows([][]string{csvHeader}, bobRows, hankRows); !slices.EqualFunc(recs, want, slices.Equal) {
			t.Errorf("CSV\n%q\nwant\n%q", recs, want)
		}
		checkBATRows(t, recs, true)
		userList := glob(t, dir, UserListPrefix+"2*.txt")
		log := readText(t, glob(t, dir, "ExportContactsLog2*.txt"))
		for _, w := range []string{"[INFO]  User Processed Successfully\r\n", "[DEBUG] Found contact: SIPURI : [sip:bob@" + e2eDomain + "]"} {
			if !strings.Contains(log, w) {
				t.Errorf("log lacks %q", w)
			}
		}
		noSecret("export's log, stdout or stderr", log+r.stdout+r.stderr)

		// 2. -r/STATSONLY: the same statistics, only the log.
		statsDir := t.TempDir()
		os.WriteFile(filepath.Join(statsDir, "impusers.csv"), []byte("UserID,Subcluster Name,Node Name\r\nbob,Sub1,cup1\r\nhank,Sub1,cup2\r\n"), 0o600)
		args[4] = "-r/STATSONLY"
		if s := runCisco(t, exe("ExportContacts.exe"), statsDir, secrets, args...); s.code != 0 {
			t.Fatalf("-r/STATSONLY: exit %d\n%s", s.code, s.stderr)
		}
		if entries, _ := os.ReadDir(statsDir); len(entries) != 2 { // the users file and the log
			t.Errorf("-r/STATSONLY left %v; want only its log", entries)
		}
		statsLog := readText(t, glob(t, statsDir, "ExportContactsLog2*.txt"))
		for _, w := range []string{"Largest contact list size: 2\r\n", "Total number of contacts found: 3\r\n"} {
			if !strings.Contains(log, w) || !strings.Contains(statsLog, w) {
				t.Errorf("NORMAL and STATSONLY logs do not both say %q", w)
			}
		}

		// 3. The UserList, unchanged, into DisableAccount (dry run against the DC)…
		want := []string{"sip:bob@" + e2eDomain, "sip:hank@" + e2eDomain}
		d := runCisco(t, exe("DisableAccount.exe"), t.TempDir(), secrets,
			"-s/"+ldapHost, "-f/"+userList, "-l/info", "--ldap-ca-file", env.CAFile, "--dry-run", "--json")
		if d.code != 0 {
			t.Fatalf("DisableAccount.exe: exit %d\n%s", d.code, d.stderr)
		}
		checkJSONUsers(t, "DisableAccount.exe", d.stdout, want, "processed")

		// …and DeleteAccount (dry run against the rtc database). On the evidence
		// schema the delete's dry run still counts the tables its procedures are
		// believed to touch, which that schema lacks: issue 11 makes it count
		// only the plan's tables.
		if schema != "lync2013" {
			return
		}
		del := runCisco(t, exe("DeleteAccount.exe"), t.TempDir(), secrets,
			append([]string{"-s/" + sqlServer, "-f/" + userList, "--dry-run", "--json"}, sqlFlags...)...)
		if del.code != 0 {
			t.Fatalf("DeleteAccount.exe: exit %d\n%s", del.code, del.stderr)
		}
		checkJSONUsers(t, "DeleteAccount.exe", del.stdout, want, "processed")
	})
}

// checkJSONUsers checks that the --json lines name exactly the users of the
// UserList (sorted), each with the outcome, as a dry run.
func checkJSONUsers(t *testing.T, tool, stdout string, users []string, outcome string) {
	t.Helper()
	var got []string
	for line := range strings.SplitSeq(strings.TrimSpace(stdout), "\n") {
		if strings.HasPrefix(line, `{"summary"`) || !strings.Contains(line, `"user"`) {
			continue
		}
		if !strings.Contains(line, `"outcome":"`+outcome+`"`) || !strings.Contains(line, `"dry_run":true`) {
			t.Errorf("%s: %s; want %s as a dry run", tool, line, outcome)
		}
		for _, u := range users {
			if strings.Contains(line, `"user":"`+u+`"`) && !slices.Contains(got, u) {
				got = append(got, u)
			}
		}
	}
	slices.Sort(got) // workers finish in any order
	if !slices.Equal(got, users) {
		t.Errorf("%s read the users %q; want %q\n%s", tool, got, users, stdout)
	}
}
