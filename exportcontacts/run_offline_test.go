package exportcontacts

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

var offlineFixtures = []string{
	"testdata/export-lync2013.zip",
	"testdata/dbimpexp-utf16le.xml",
	"testdata/dbimpexp-utf8.xml",
}

// -f ALL from each fixture gives export-core's hand-written goldens, through the
// whole Run: files named with the run's stamp, the summary statistics, the log.
func TestRunOfflineAllGolden(t *testing.T) {
	for _, fx := range offlineFixtures {
		t.Run(filepath.Base(fx), func(t *testing.T) {
			cfg := baseConfig(t, "ALL")
			cfg.FromExport = fx
			r := runExport(t, cfg)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s\n%s", r.code, r.stderr, r.log)
			}
			sameFile(t, file(t, r.dir, ContactsPrefix, ".csv"), "testdata/golden/ExportedContacts.csv")
			sameFile(t, file(t, r.dir, RejectsPrefix, ".csv"), "testdata/golden/ExportedContactsRejected.csv")
			sameFile(t, file(t, r.dir, UserListPrefix, ".txt"), "testdata/golden/UserList.txt")
			checkBATRows(t, readCSV(t, file(t, r.dir, ContactsPrefix, ".csv")), true)

			// ann: bob carol dave Eve frank grace judy heidi (8); bob: ann zoë (2); empty: 0.
			want := result.Summary{Processed: 3, Contacts: &result.ContactStats{Largest: 8, Total: 10, Average: 10.0 / 3}}
			if s := r.summary; s.Processed != want.Processed || s.Users() != 3 || *s.Contacts != *want.Contacts || s.ExitCode != 0 {
				t.Errorf("summary = %+v contacts %+v", s, s.Contacts)
			}
			if c := r.record(t, "sip:ann@foo.com").Contacts; c == nil || *c != 10 {
				t.Errorf("ann's contact rows = %v, want 10 (the golden's rows for ann)", c)
			}
			for _, want := range []string{
				"[WARN]  Users are not checked against Active Directory (no --ldap-server)",
				"[INFO]  Preparing to get contacts for User [sip:ann@foo.com]\r\n",
				"[INFO]  User Processed Successfully\r\n",
				"[WARN]  sip:empty@foo.com has no contacts to export. On Lync 2013 and later the contacts may be in the Exchange Unified Contact Store",
				"Invoke-CsUcsRollback",
				"[WARN]  Contact sip:ivan@bad_domain.com of sip:ann@foo.com in group [General] rejected:",
				"[WARN]  Distribution group [Sales DL] (sip:sales-dl@foo.com) with GroupId: [4] of sip:ann@foo.com not exported",
				"[INFO]  Largest contact list size: 8\r\n",
				"[INFO]  Total number of contacts found: 10\r\n",
				"[INFO]  Average contact list size: 3.3\r\n",
			} {
				if !strings.Contains(r.log, want) {
					t.Errorf("log lacks %q", want)
				}
			}
			if strings.Contains(r.log, "[DEBUG]") || strings.Contains(r.log, "Found contact:") {
				t.Errorf("debug lines at info level")
			}
		})
	}
}

// A users file selects owners of the export: the others are not exported; a user
// the file does not hold is not_found; malformed and duplicate lines are reported.
func TestRunOfflineSIPFile(t *testing.T) {
	users := writeUsers(t, "sip:BOB@foo.com\r\nsip:nobody@foo.com\r\nsip@chuck@x.com\r\nsip:bob@FOO.com\r\nsip:empty@foo.com\r\n")
	cfg := baseConfig(t, users)
	cfg.FromExport = "testdata/export-lync2013.zip"
	r := runExport(t, cfg)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (a user not found, a malformed line)\n%s", r.code, r.log)
	}
	got := r.outcomes()
	want := map[string]result.Outcome{
		"sip:bob@foo.com": result.Processed, "sip:nobody@foo.com": result.NotFound,
		"sip@chuck@x.com": result.Error, "sip:empty@foo.com": result.Processed,
	}
	if len(got) != len(want) {
		t.Errorf("records %v, want %v", got, want)
	}
	for u, o := range want {
		if got[u] != o {
			t.Errorf("%s: %s, want %s", u, got[u], o)
		}
	}
	if s := r.summary; s.Duplicates != 1 || s.Processed != 2 || s.NotFound != 1 || s.Errors != 1 {
		t.Errorf("summary %+v", s)
	}
	// Bob's rows by the rules: ann in "~" (General) and Team, zoë in Team.
	recs := readCSV(t, file(t, r.dir, ContactsPrefix, ".csv"))
	wantRows := [][]string{
		{"User ID", "User Domain", "Contact ID", "Contact Domain", "Nickname", "Group Name"},
		{"bob", "foo.com", "ann", "foo.com", "Ann", "General"},
		{"bob", "foo.com", "ann", "foo.com", "Ann", "Team"},
		{"bob", "foo.com", "zoë", "foo.com", "Zoë", "Team"},
	}
	if !slices.EqualFunc(recs, wantRows, slices.Equal) {
		t.Errorf("CSV\n%q\nwant\n%q", recs, wantRows)
	}
	// The user list keeps the input's spelling and holds the processed users only.
	if ul := lines(readText(t, file(t, r.dir, UserListPrefix, ".txt"))); !slices.Equal(ul, []string{"sip:BOB@foo.com", "sip:empty@foo.com"}) {
		t.Errorf("UserList = %q", ul)
	}
	absent(t, r.dir, RejectsPrefix) // no rejected row: no rejects file
	// The offline WARN is at the top: before the first line about a user.
	noAD := strings.Index(r.log, "[WARN]  Users are not checked against Active Directory (no --ldap-server)")
	if first := strings.Index(r.log, "[ERROR] "); noAD < 0 || noAD > first {
		t.Errorf("the WARN that users are not checked in AD is not at the top of the log:\n%s", r.log)
	}
	for _, w := range []string{
		"[WARN]  " + users + " line 4: sip:bob@FOO.com is a duplicate of line 1: ignored",
		"[ERROR] " + users + " line 3: \"sip@chuck@x.com\"",
		"[INFO]  User [sip:nobody@foo.com] not found: no contact list for this user in testdata/export-lync2013.zip",
		"[INFO]  1 other contact lists in testdata/export-lync2013.zip were not asked for (-f)",
	} {
		if !strings.Contains(r.log, w) {
			t.Errorf("log lacks %q\n%s", w, r.log)
		}
	}
}

// The UserList feeds disableaccount and deleteaccount unchanged: their parser
// accepts it and yields the processed users, in order.
func TestRunOfflineUserListFeedsDisableAndDelete(t *testing.T) {
	cfg := baseConfig(t, "ALL")
	cfg.FromExport = "testdata/dbimpexp-utf16le.xml"
	r := runExport(t, cfg)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.log)
	}
	userListFeeds(t, file(t, r.dir, UserListPrefix, ".txt"), []string{"sip:ann@foo.com", "sip:bob@foo.com", "sip:empty@foo.com"})
}

func userListFeeds(t testing.TB, path string, want []string) {
	t.Helper()
	for _, cmd := range []input.Command{input.Disable, input.Delete} {
		l, err := input.Load(path, nil, input.Options{Command: cmd, MaxUsers: 5000})
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		var got []string
		for _, e := range l.Entries {
			if e.Kind != input.KindSIP {
				t.Errorf("%s: line %d read as %s", cmd, e.Line, e.Kind)
			}
			got = append(got, e.URI)
		}
		if len(l.Invalid) > 0 || len(l.Duplicates) > 0 || !slices.EqualFunc(got, want, strings.EqualFold) {
			t.Errorf("%s reads %q (invalid %v, duplicates %v), want %q", cmd, got, l.Invalid, l.Duplicates, want)
		}
	}
}

// STATSONLY writes only the log, with the statistics of a NORMAL run, and the
// same outcomes.
func TestRunOfflineStatsOnly(t *testing.T) {
	normal := baseConfig(t, "ALL")
	normal.FromExport = "testdata/export-lync2013.zip"
	n := runExport(t, normal)
	stats := normal
	stats.Common.LogDir = t.TempDir()
	stats.RunMode = "statsonly"
	s := runExport(t, stats)
	if n.code != 0 || s.code != 0 {
		t.Fatalf("exit %d / %d", n.code, s.code)
	}
	absent(t, s.dir, ContactsPrefix, RejectsPrefix, UserListPrefix)
	entries, _ := os.ReadDir(s.dir)
	if len(entries) != 1 {
		t.Errorf("STATSONLY left %d files, want only the log", len(entries))
	}
	if n.summary.Contacts == nil || s.summary.Contacts == nil || *n.summary.Contacts != *s.summary.Contacts {
		t.Errorf("statistics differ: NORMAL %+v, STATSONLY %+v", n.summary.Contacts, s.summary.Contacts)
	}
	if !s.summary.DryRun || n.summary.DryRun {
		t.Errorf("dry_run: NORMAL %v, STATSONLY %v", n.summary.DryRun, s.summary.DryRun)
	}
	for i := range n.records {
		a, b := n.records[i], s.records[i]
		if a.User != b.User || a.Outcome != b.Outcome || *a.Contacts != *b.Contacts || !b.DryRun {
			t.Errorf("record %d: NORMAL %+v, STATSONLY %+v", i, a, b)
		}
	}
	if !strings.Contains(s.log, "[INFO]  Largest contact list size: 8\r\n") {
		t.Errorf("STATSONLY log lacks the statistics")
	}
}

// Options reach the files: --out-dir, --no-header, --state-column, --default-group,
// --max-contacts, debug lines.
func TestRunOfflineOptions(t *testing.T) {
	cfg := baseConfig(t, "ALL")
	cfg.FromExport = "testdata/export-lync2013.zip"
	cfg.OutDir = t.TempDir()
	cfg.NoHeader, cfg.StateColumn = true, true
	cfg.DefaultGroup = "Other Contacts"
	cfg.MaxContacts = 2
	cfg.Common.LogLevel = "debug"
	r := runExport(t, cfg)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.log)
	}
	absent(t, r.dir, ContactsPrefix, UserListPrefix)
	sameFile(t, file(t, cfg.OutDir, ContactsPrefix, ".csv"), "testdata/golden/options/ExportedContacts.csv")
	sameFile(t, file(t, cfg.OutDir, RejectsPrefix, ".csv"), "testdata/golden/options/ExportedContactsRejected.csv")
	checkBATRows(t, readCSV(t, file(t, cfg.OutDir, ContactsPrefix, ".csv")), false)
	for _, w := range []string{
		"[WARN]  sip:ann@foo.com has 8 contacts, more than --max-contacts 2",
		"[DEBUG] Found group: groupName : [Friends, Family] with GroupId: [2]\r\n",
		"[DEBUG] Found contact: SIPURI : [sip:carol@foo.com] with GroupId: [11]\r\n",
	} {
		if !strings.Contains(r.log, w) {
			t.Errorf("log lacks %q", w)
		}
	}
	if strings.Contains(r.log, "sip:bob@foo.com has 2 contacts, more than") {
		t.Errorf("a list of exactly --max-contacts was warned about")
	}
}

// --from-export - reads the export from standard input.
func TestRunOfflineStdin(t *testing.T) {
	f, err := os.Open("testdata/export-lync2013.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg := baseConfig(t, "ALL")
	cfg.FromExport = "-"
	cfg.Common.Stdin = f
	r := runExport(t, cfg)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	sameFile(t, file(t, r.dir, ContactsPrefix, ".csv"), "testdata/golden/ExportedContacts.csv")
}

// Usage errors stop the run before any file is written (exit 2).
func TestRunUsageErrors(t *testing.T) {
	dnFile := writeUsers(t, "DN:OU=Sales,DC=foo,DC=com\r\n")
	cases := []struct {
		name  string
		mod   func(*Config)
		want  string
		input bool // an input error: found after the log is opened, which it ends with its summary
	}{
		{"no source", func(c *Config) {}, "no source of contacts", false},
		{"DN without AD", func(c *Config) { c.Common.File = dnFile; c.FromExport = offlineFixtures[0] }, "DN: lines select users in Active Directory", true},
		{"IM&P CSV without domain", func(c *Config) {
			c.Common.File = writeUsers(t, "UserID,Subcluster Name,Node Name\r\nann,Sub1,cup1\r\n")
			c.FromExport = offlineFixtures[0]
		}, "domain", true},
		{"missing export file", func(c *Config) { c.FromExport = "testdata/nope.zip" }, "--from-export", true},
		{"bad run mode", func(c *Config) { c.FromExport = offlineFixtures[0]; c.RunMode = "FAST" }, "run-mode", false},
		{"missing users file", func(c *Config) { c.FromExport = offlineFixtures[0]; c.Common.File = "testdata/nope.txt" }, "nope.txt", true},
		{"two sources", func(c *Config) {
			c.FromExport = offlineFixtures[0]
			c.SQL = sqlConfigAddr("127.0.0.1:1")
			c.LDAP = ldapConfig(fakeAD())
		}, "two sources", false},
		{"rtc without AD", func(c *Config) { c.SQL = sqlConfigAddr("127.0.0.1:1") }, "needs --ldap-server", false},
		{"two rtc databases", func(c *Config) {
			c.SQL = sqlConfigAddr("127.0.0.1:1")
			c.SQL.Servers = append(c.SQL.Servers, "127.0.0.1:2")
			c.LDAP = ldapConfig(fakeAD())
		}, "one rtc database per run", false},
		{"--check without rtc", func(c *Config) { c.Check = true }, "--check compares the rtc database schema", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := baseConfig(t, "ALL")
			tc.mod(&cfg)
			r := runExport(t, cfg)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr %q lacks %q", r.stderr, tc.want)
			}
			if tc.input { // the log with its summary, and no output
				if !strings.Contains(r.log, "[INFO]  Summary:\r\n") || !strings.Contains(r.log, tc.want) {
					t.Errorf("log:\n%s", r.log)
				}
				if entries, _ := os.ReadDir(r.dir); len(entries) != 1 {
					t.Errorf("an input error left files beside the log: %v", entries)
				}
				return
			}
			if entries, _ := os.ReadDir(r.dir); len(entries) != 0 {
				t.Errorf("a usage error left files: %v", entries)
			}
		})
	}
}

// The IM&P user export with --domain names owners as sip:<UserID>@<domain>.
func TestRunOfflineIMPUsers(t *testing.T) {
	cfg := baseConfig(t, writeUsers(t, "UserID,Subcluster Name,Node Name\r\nbob,Sub1,cup1\r\nann,Sub1,cup2\r\n"))
	cfg.Domain = "foo.com"
	cfg.FromExport = "testdata/dbimpexp-utf8.xml"
	r := runExport(t, cfg)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.log)
	}
	if ul := lines(readText(t, file(t, r.dir, UserListPrefix, ".txt"))); !slices.Equal(ul, []string{"sip:ann@foo.com", "sip:bob@foo.com"}) {
		t.Errorf("UserList = %q (file order)", ul)
	}
}

// A file that is not an export stops the run (exit 3) and leaves no CSV.
func TestRunOfflineNotAnExport(t *testing.T) {
	cfg := baseConfig(t, "ALL")
	cfg.FromExport = writeUsers(t, "<root><x/></root>")
	r := runExport(t, cfg)
	if r.code != 3 {
		t.Fatalf("exit %d, want 3", r.code)
	}
	absent(t, r.dir, ContactsPrefix, RejectsPrefix, UserListPrefix)
	if !strings.Contains(r.log, "not an Export-CsUserData zip nor a DBImpExp XML file") {
		t.Errorf("log:\n%s", r.log)
	}
}
