package exportcontacts

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// The rows of e2eFixture by SPEC 4's rules, written by hand: ann's self
// contact dropped, fred (no group) and hank (only in a distribution group) in the
// default group, bob once per group, group 11 is not group 1, the bad domain
// rejected. Contacts come in BuddyId order.
var (
	csvHeader = []string{"User ID", "User Domain", "Contact ID", "Contact Domain", "Nickname", "Group Name"}
	annRows   = [][]string{
		{"ann", e2eDomain, "bob", e2eDomain, "Bob, Jr.", "General"},
		{"ann", e2eDomain, "bob", e2eDomain, "Bob, Jr.", "Friends, Family"},
		{"ann", e2eDomain, "fred", e2eDomain, "", "General"},
		{"ann", e2eDomain, "Hank", "Export-E2E.example.com", "Hank", "General"},
		{"ann", e2eDomain, "ext", "partner.com", `Partner "P"`, "Eleven"},
	}
	bobRows = [][]string{
		{"bob", e2eDomain, "ann", e2eDomain, "Ann", `Team "A"`},
		{"bob", e2eDomain, "dora", e2eDomain, "", "General"},
	}
	hankRows = [][]string{
		{"Hank", "Export-E2E.example.com", "bob", e2eDomain, "Bøb 日本", "Ünïcode Grüppe"},
	}
	annRejected = []string{"ann", e2eDomain, "bad", "bad_domain.com", "Bad", "General"}
)

func concatRows(parts ...[][]string) [][]string {
	var out [][]string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func wantOutcomes(t *testing.T, r *exportRun, want map[string]result.Outcome) {
	t.Helper()
	got := r.outcomes()
	for u, o := range want {
		if got[strings.ToLower(u)] != o {
			t.Errorf("%s: %q, want %q", u, got[strings.ToLower(u)], o)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d users reported, want %d: %v", len(got), len(want), got)
	}
}

const sipUsersFile = "sip:ann@export-e2e.example.com\r\n" +
	"sip:bob@export-e2e.example.com\r\n" +
	"sip:carl@export-e2e.example.com\r\n" +
	"sip:dora@export-e2e.example.com\r\n" +
	"sip:eve@export-e2e.example.com\r\n" +
	"sip:fred@export-e2e.example.com\r\n" +
	"sip:gina@export-e2e.example.com\r\n" +
	"sip:nobody@export-e2e.example.com\r\n" +
	"SIP:ANN@export-e2e.example.com\r\n"

// A SIP file against Samba and rtcsim: every outcome of SPEC 4, the CSV in input
// order, the rejects file, the user list, the statistics, Cisco's lines.
func TestRTCSIPFile(t *testing.T) {
	forSchemas(t, func(t *testing.T, schema string) {
		cfg, _ := rtcRun(t, schema, writeUsers(t, sipUsersFile))
		cfg.Common.LogLevel = "debug"
		r := runExport(t, cfg)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1 (users not found)\n%s\n%s", r.code, r.stderr, r.log)
		}
		wantOutcomes(t, r, map[string]result.Outcome{
			e2eUser("ann"): result.Processed, e2eUser("bob"): result.Processed, e2eUser("dora"): result.Processed,
			e2eUser("carl"): result.Skipped, e2eUser("gina"): result.Skipped,
			e2eUser("eve"): result.NotFound, e2eUser("fred"): result.NotFound, e2eUser("nobody"): result.NotFound,
		})
		if s := r.summary; s.Duplicates != 1 || s.Contacts == nil || *s.Contacts != (result.ContactStats{Largest: 4, Total: 6, Average: 2}) {
			t.Errorf("summary %+v, contacts %+v", s, s.Contacts)
		}
		csvPath := file(t, r.dir, ContactsPrefix, ".csv")
		recs := readCSV(t, csvPath)
		if want := concatRows([][]string{csvHeader}, annRows, bobRows); !slices.EqualFunc(recs, want, slices.Equal) {
			t.Errorf("CSV\n%q\nwant\n%q", recs, want)
		}
		checkBATRows(t, recs, true)
		rej := readCSV(t, file(t, r.dir, RejectsPrefix, ".csv"))
		if len(rej) != 2 || !slices.Equal(rej[1][:6], annRejected) || !strings.Contains(rej[1][6], "bad_domain.com") {
			t.Errorf("rejects = %q", rej)
		}
		wantUsers := []string{e2eUser("ann"), e2eUser("bob"), e2eUser("dora")}
		if ul := lines(readText(t, file(t, r.dir, UserListPrefix, ".txt"))); !slices.Equal(ul, wantUsers) {
			t.Errorf("UserList = %q", ul)
		}
		userListFeeds(t, file(t, r.dir, UserListPrefix, ".txt"), wantUsers)
		if c := r.record(t, e2eUser("ann")).Contacts; c == nil || *c != len(annRows) {
			t.Errorf("ann's contacts field = %v, want %d", c, len(annRows))
		}
		for _, w := range []string{
			"[INFO]  Found the Resource Table, appears to be a valid Communications Server Database\r\n",
			"[INFO]  Found the ForestDirectory table, Creating Lync2013 Connection\r\n",
			"[INFO]  Schema check passed on [",
			"[INFO]  Preparing to get contacts for User [sip:ann@export-e2e.example.com]\r\n",
			"[DEBUG] Found contact: SIPURI : [sip:ext@partner.com] with GroupId: [11]\r\n",
			"[DEBUG] Found group: groupName : [Friends, Family] with GroupId: [2]\r\n",
			"[INFO]  User Processed Successfully\r\n",
			"[WARN]  User [sip:carl@export-e2e.example.com] skipped: the Active Directory account is disabled",
			"[WARN]  User [sip:gina@export-e2e.example.com] skipped: not SIP-enabled in Active Directory",
			"[INFO]  User [sip:eve@export-e2e.example.com] not found: not in the rtc database",
			"[INFO]  User [sip:fred@export-e2e.example.com] not found: not homed on the rtc database",
			"[INFO]  User [sip:nobody@export-e2e.example.com] not found: no user object has this msRTCSIP-PrimaryUserAddress",
			"[WARN]  sip:dora@export-e2e.example.com has no contacts to export",
			"[WARN]  Contact sip:bad@bad_domain.com of sip:ann@export-e2e.example.com in group [General] rejected",
			" line 9: sip:ANN@export-e2e.example.com is a duplicate of line 1: ignored",
			"[DEBUG] SQL is [SELECT c.OwnerId, c.BuddyId",
		} {
			if !strings.Contains(r.log, w) {
				t.Errorf("log lacks %q", w)
			}
		}
		if strings.Contains(r.log, cfgPassword(t, cfg)) {
			t.Errorf("the SQL password is in the log")
		}
	})
}

// DN: lines: the SIP-enabled users under the OU, sub-OUs included; the
// AD-disabled account skipped; gina (not SIP-enabled) not selected at all.
func TestRTCDNLines(t *testing.T) {
	forSchemas(t, func(t *testing.T, schema string) {
		_, ou := seedE2E(t)
		missing := "OU=NoSuchOU," + strings.SplitN(ou, ",", 2)[1]
		cfg, _ := rtcRun(t, schema, writeUsers(t, "DN:"+ou+"\r\nsip:bob@export-e2e.example.com\r\nDN:"+missing+"\r\n"))
		r := runExport(t, cfg)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stderr, r.log)
		}
		wantOutcomes(t, r, map[string]result.Outcome{
			e2eUser("ann"): result.Processed, e2eUser("bob"): result.Processed, e2eUser("dora"): result.Processed,
			e2eUser("hank"): result.Processed, e2eUser("carl"): result.Skipped,
			e2eUser("eve"): result.NotFound, e2eUser("fred"): result.NotFound,
			"DN:" + missing: result.Error,
		})
		if rec := r.record(t, "DN:"+missing); rec.Line != 3 || !strings.Contains(rec.Detail, "no such object") {
			t.Errorf("missing OU: %+v", rec)
		}
		if r.summary.Duplicates != 1 { // bob: SIP line and OU
			t.Errorf("duplicates = %d, want 1", r.summary.Duplicates)
		}
		for _, u := range []string{"ann", "carl", "dora", "hank"} {
			if rec := r.record(t, e2eUser(u)); rec.Line != 1 {
				t.Errorf("%s: line %d, want 1 (the DN: line)", u, rec.Line)
			}
		}
		recs := readCSV(t, file(t, r.dir, ContactsPrefix, ".csv"))
		checkBATRows(t, recs, true)
		got := slices.Clone(recs[1:])
		want := concatRows(annRows, bobRows, hankRows)
		cmp := func(a, b []string) int { return strings.Compare(strings.Join(a, "\x00"), strings.Join(b, "\x00")) }
		slices.SortFunc(got, cmp)
		slices.SortFunc(want, cmp)
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("rows\n%q\nwant\n%q", got, want)
		}
		ul := lines(readText(t, file(t, r.dir, UserListPrefix, ".txt")))
		slices.Sort(ul)
		if want := []string{e2eUser("ann"), e2eUser("bob"), e2eUser("dora"), e2eUser("hank")}; !slices.Equal(ul, want) {
			t.Errorf("UserList = %q", ul)
		}
		if !strings.Contains(r.log, "[INFO]  Found 7 SIP-enabled users under [") {
			t.Errorf("log lacks the OU count")
		}
	})
}

// The IM and Presence user export with --domain.
func TestRTCIMPUsers(t *testing.T) {
	forSchemas(t, func(t *testing.T, schema string) {
		cfg, _ := rtcRun(t, schema, writeUsers(t, "UserID,Subcluster Name,Node Name\r\nbob,Sub1,cup1\r\nhank,Sub1,cup2\r\n"))
		cfg.Domain = e2eDomain
		r := runExport(t, cfg)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s\n%s", r.code, r.stderr, r.log)
		}
		recs := readCSV(t, file(t, r.dir, ContactsPrefix, ".csv"))
		if want := concatRows([][]string{csvHeader}, bobRows, hankRows); !slices.EqualFunc(recs, want, slices.Equal) {
			t.Errorf("CSV\n%q\nwant\n%q", recs, want)
		}
		checkBATRows(t, recs, true)
		absent(t, r.dir, RejectsPrefix)
		userListFeeds(t, file(t, r.dir, UserListPrefix, ".txt"), []string{e2eUser("bob"), e2eUser("hank")})
	})
}

// -f ALL: the SIP-enabled users of the domain that this database homes. Other
// packages' users in the shared DC are SIP-enabled too, but not homed here.
func TestRTCAll(t *testing.T) {
	forSchemas(t, func(t *testing.T, schema string) {
		cfg, _ := rtcRun(t, schema, "ALL")
		r := runExport(t, cfg)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s\n%s", r.code, r.stderr, r.log)
		}
		wantOutcomes(t, r, map[string]result.Outcome{
			e2eUser("ann"): result.Processed, e2eUser("bob"): result.Processed, e2eUser("dora"): result.Processed,
			e2eUser("hank"): result.Processed, e2eUser("carl"): result.Skipped,
		})
		recs := readCSV(t, file(t, r.dir, ContactsPrefix, ".csv"))
		checkBATRows(t, recs, true)
		if len(recs) != 1+len(annRows)+len(bobRows)+len(hankRows) {
			t.Errorf("%d CSV records", len(recs))
		}
		if !strings.Contains(r.log, "SIP-enabled users of the domain are not homed on") {
			t.Errorf("log does not count the users homed elsewhere")
		}
	})
}

// STATSONLY writes only the log, with the statistics and outcomes of NORMAL.
func TestRTCStatsOnly(t *testing.T) {
	forSchemas(t, func(t *testing.T, schema string) {
		users := writeUsers(t, sipUsersFile)
		cfg, _ := rtcRun(t, schema, users)
		n := runExport(t, cfg)
		cfg.Common.LogDir = t.TempDir()
		cfg.RunMode = ModeStatsOnly
		s := runExport(t, cfg)
		if n.code != s.code {
			t.Errorf("exit %d vs %d", n.code, s.code)
		}
		if entries, _ := os.ReadDir(s.dir); len(entries) != 1 {
			t.Errorf("STATSONLY left %v, want only the log", entries)
		}
		if n.summary.Contacts == nil || s.summary.Contacts == nil || *n.summary.Contacts != *s.summary.Contacts {
			t.Fatalf("statistics: NORMAL %+v, STATSONLY %+v", n.summary.Contacts, s.summary.Contacts)
		}
		if n.summary.Processed != s.summary.Processed || n.summary.NotFound != s.summary.NotFound || n.summary.Skipped != s.summary.Skipped {
			t.Errorf("summaries differ: %+v vs %+v", n.summary, s.summary)
		}
	})
}

// More workers and tiny chunks give the same bytes: users in input order, each
// user's rows together.
func TestRTCWorkersDeterministic(t *testing.T) {
	forSchemas(t, func(t *testing.T, schema string) {
		users := writeUsers(t, sipUsersFile+"sip:hank@export-e2e.example.com\r\n")
		cfg, _ := rtcRun(t, schema, users)
		cfg.Common.Workers = 1
		one := runExport(t, cfg)

		defer func(n int) { ownersPerQuery = n }(ownersPerQuery)
		ownersPerQuery = 2
		cfg.Common.LogDir = t.TempDir()
		cfg.Common.Workers = 4
		many := runExport(t, cfg)
		for _, p := range []string{ContactsPrefix, RejectsPrefix} {
			a, b := readText(t, file(t, one.dir, p, ".csv")), readText(t, file(t, many.dir, p, ".csv"))
			if a != b {
				t.Errorf("%s differs with 4 workers and 2 owners per query:\n%s\nvs\n%s", p, a, b)
			}
		}
		if a, b := readText(t, file(t, one.dir, UserListPrefix, ".txt")), readText(t, file(t, many.dir, UserListPrefix, ".txt")); a != b {
			t.Errorf("UserList differs:\n%s\nvs\n%s", a, b)
		}
	})
}

// A needed column missing or of the wrong family, a needed table missing: exit 3
// naming the problem; no CSV. The schema check runs before Active Directory is
// contacted. Each broken schema is a copy of rtcsim's, edited here.
func TestRTCSchemaMismatch(t *testing.T) {
	cases := []struct{ name, re, repl, want string }{
		{"group number a string", `(CREATE TABLE dbo\.ContactGroupAssoc \((?s:.*?)GroupNumber\s+)\w+`, "${1}NVARCHAR(10)",
			"column ContactGroupAssoc.GroupNumber is nvarchar(10), want an integer type (int, bigint, smallint, tinyint)"},
		{"owner id a string", `(CREATE TABLE dbo\.Contact \(\s*OwnerId\s+)\w+`, "${1}VARCHAR(20)",
			"column Contact.OwnerId is varchar(20), want an integer type"},
		{"address in bytes", `(UserAtHost\s+)NVARCHAR\(\d+\)`, "${1}VARBINARY(454)",
			"column Resource.UserAtHost is varbinary(454), want a string type (nvarchar, varchar, nchar, char)"},
		{"nickname missing", `(CREATE TABLE dbo\.Contact \((?s:.*?))DisplayName(\s)`, "${1}Nick${2}", "column Contact.DisplayName missing"},
		{"directory missing", `CREATE TABLE dbo\.ResourceDirectory \(`, "CREATE TABLE dbo.ResourceDir (", "table ResourceDirectory missing"},
	}
	forSchemas(t, func(t *testing.T, schema string) {
		cases := cases
		if schema == "lync2013-evidence" {
			// Every id is of the alias type ResourceId: on a string base, all of them are wrong.
			cases = append(cases, struct{ name, re, repl, want string }{"alias type on a string", `CREATE TYPE dbo\.ResourceId FROM INT;`,
				"CREATE TYPE dbo.ResourceId FROM NVARCHAR(20);", "column Resource.ResourceId is nvarchar(20), want an integer type"})
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				rtc := startRTC(t, schemaEdit(t, schemaText(t, schema), tc.re, tc.repl))
				cfg := baseConfig(t, writeUsers(t, "sip:ann@export-e2e.example.com\r\n"))
				cfg.SQL = sqlConfig(rtc)
				// Never dialled: the refusal comes first.
				cfg.LDAP = ldapConfig(fakeAD())
				r := runExport(t, cfg)
				if r.code != 3 {
					t.Fatalf("exit %d, want 3\n%s", r.code, r.log)
				}
				if !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.log, "[ERROR] schema check failed on") || !strings.Contains(r.log, tc.want) {
					t.Errorf("stderr %q / log lacks %q", r.stderr, tc.want)
				}
				absent(t, r.dir, ContactsPrefix, RejectsPrefix, UserListPrefix)
				if r.summary.NotAttempted != 1 {
					t.Errorf("summary %+v: the user should be not_attempted", r.summary)
				}

				// --check says the same, and prints nothing on stdout but JSON.
				chk := baseConfig(t, "")
				chk.Check, chk.SQL = true, sqlConfig(rtc)
				c := runExport(t, chk)
				if c.code != 3 || !strings.Contains(c.log, tc.want) {
					t.Errorf("--check: exit %d\n%s", c.code, c.log)
				}
			})
		}
	})
}

// --check prints the version and every fact the export relies on, with its
// grade and the server's type; on the evidence schema too (varbinary names,
// alias-typed ids, other lengths).
func TestRTCCheck(t *testing.T) {
	types := map[string][]string{
		"lync2013": {"    UserAtHost   nvarchar(454)   string            confirmed: Get-CsUserContactList.ps1",
			"    DisplayName  nvarchar(256)   string or binary  reconstructed: "},
		"lync2013-evidence": {"    ResourceId   int (alias ResourceId)  integer           confirmed: Get-CsUserContactList.ps1",
			"    UserAtHost   nvarchar(256)           string            confirmed: Get-CsUserContactList.ps1",
			"    DisplayName  varbinary(512)          string or binary  reconstructed: ",
			"    ExternalUri  varbinary(1024)         string or binary  reconstructed: "},
	}
	forSchemas(t, func(t *testing.T, schema string) {
		rtc := startRTC(t, schemaText(t, schema))
		cfg := baseConfig(t, "")
		cfg.Check, cfg.SQL = true, sqlConfig(rtc)
		cfg.Common.JSON = false
		r := runExport(t, cfg)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.log)
		}
		for _, want := range append([]string{
			"): schema check passed for exportcontacts\n",
			"version: lync2013 (Lync Server 2013 / Skype for Business Server 2015, 2019, SE)\n",
			"  told apart by Cisco's sysobjects probes: confirmed: Cisco's DeleteAccount log (Lync 2013)",
			"  Resource (table): confirmed: Get-CsUserContactList.ps1 (G. Bachar, Lync 2013)\n",
			"  ContactGroup (table): reconstructed: ",
		}, types[schema]...) {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
			}
		}
		// Only what the export's statements name: no plan, no procedure, no
		// column it does not read.
		for _, not := range []string{"plan", "Rtcp", "SubscribePresence", "AdDisplayName", "Delegate", "Enabled"} {
			if strings.Contains(r.stdout, not) {
				t.Errorf("stdout names %q:\n%s", not, r.stdout)
			}
		}
		for _, tb := range exportNeeds().Tables {
			if !strings.Contains(r.stdout, "\n  "+tb.Name+" (table): ") || !strings.Contains(r.log, ":   "+tb.Name+" (table): ") {
				t.Errorf("stdout or log lacks table %s", tb.Name)
			}
		}
		absent(t, r.dir, ContactsPrefix, UserListPrefix)
	})
}
