package deleteaccount

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
)

// canon is how records name a server given as host:port.
func canon(addr string) string {
	i := strings.LastIndexByte(addr, ':')
	return addr[:i] + "," + addr[i+1:]
}

// A back end and a front end holding different users: one record per
// (user, server), and SPEC 6's overall outcome.
func TestTwoServers(t *testing.T) {
	all := population()
	be := startRTCShared(t, "lync2013", seedSQL(rtcschema.Lync2013, all[:5])) // user01…05
	fe := startRTCShared(t, "lync2013", seedSQL(rtcschema.Lync2013, all[4:])) // user05…09 (user05 on both)
	beBefore, feBefore := takeDump(t, be), takeDump(t, fe)
	cfg := Config{SQL: sqlConfig(be, fe)}
	cfg.Common.File = usersFile(t, "sip:user02@lynctest.local", "sip:user05@lynctest.local",
		"sip:user07@lynctest.local", "sip:user09@lynctest.local", "sip:nobody@lynctest.local")
	o := runJob(t, cfg, "", 0)
	if o.code != result.ExitPartial {
		t.Errorf("exit %d, want 1 (nobody not found)", o.code)
	}
	type want struct{ be, fe result.Outcome }
	cases := map[string]want{
		"sip:user02@lynctest.local": {result.Processed, result.NotFound},
		"sip:user05@lynctest.local": {result.Processed, result.Processed},
		"sip:user07@lynctest.local": {result.NotFound, result.Processed},
		"sip:user09@lynctest.local": {result.NotFound, result.Skipped},
		"sip:nobody@lynctest.local": {result.NotFound, result.NotFound},
	}
	for u, w := range cases {
		got := map[string]result.Outcome{}
		for _, r := range o.byUser(u) {
			got[r.Server] = r.Outcome
		}
		if len(got) != 2 || got[canon(be.Addr)] != w.be || got[canon(fe.Addr)] != w.fe {
			t.Errorf("%s: %v, want back end %s, front end %s", u, got, w.be, w.fe)
		}
	}
	s := o.summary
	if s.Processed != 3 || s.Skipped != 1 || s.NotFound != 1 || s.Errors != 0 {
		t.Errorf("summary %+v, want 3 processed, 1 skipped, 1 not found", s)
	}
	beWant, _ := beBefore.without(1002, 1005)
	feWant, _ := feBefore.without(1005, 1007)
	sameDump(t, "back end", takeDump(t, be), beWant)
	sameDump(t, "front end", takeDump(t, fe), feWant)
}

// schemaVariant writes a copy of an rtcsim schema with one edit.
func schemaVariant(t *testing.T, name, old, new string) string {
	t.Helper()
	text, err := rtcsim.SchemaText(name)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(old)
	if !re.MatchString(text) {
		t.Fatalf("schema %s has no %q", name, old)
	}
	p := filepath.Join(t.TempDir(), name+"-variant.sql")
	if err := os.WriteFile(p, []byte(re.ReplaceAllString(text, new)), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A schema-check failure on the second server stops the run before the
// first is touched: exit 3, the problem named, nothing deleted anywhere.
func TestSchemaCheckFailureTouchesNothing(t *testing.T) {
	cases := []struct {
		name, old, new, want string
	}{
		{"missing table", `(?s)CREATE TABLE dbo\.Delegate \(.*?\);|CREATE INDEX IX_Delegate_\w+ ON dbo\.Delegate [^;]*;`, "", "table Delegate missing"},
		{"missing procedure", `-- PROCEDURE dbo\.RtcpDeleteConferenceParticipantByEnterpriseId`, "-- PROCEDURE dbo.RtcpSomethingElse", "procedure RtcpDeleteConferenceParticipantByEnterpriseId missing"},
		{"second parameter", `RtcpDeleteHomedResourceTransaction \(@_ResourceId INT\)`, "RtcpDeleteHomedResourceTransaction (@_ResourceId INT, @_Flags INT)",
			"procedure dbo.RtcpDeleteHomedResourceTransaction has 2 parameters (@_ResourceId int, @_Flags int), want exactly one integer input parameter"},
		{"string parameter", `RtcpDeleteConferenceParticipantByEnterpriseId \(@_EnterpriseId INT\)`, "RtcpDeleteConferenceParticipantByEnterpriseId (@_EnterpriseId NVARCHAR(64))",
			"procedure RtcpDeleteConferenceParticipantByEnterpriseId: parameter @_EnterpriseId is nvarchar(64), want an integer type"},
		{"string id column", `(CREATE TABLE dbo\.ResourcePhone \(\s*ResourceId\s+)INT`, "${1}NVARCHAR(10)",
			"column ResourcePhone.ResourceId is nvarchar(10), want an integer type (int, bigint, smallint, tinyint)"},
		{"missing column", `(CREATE TABLE dbo\.PUIDDirectory \(\s*)ResourceId`, "${1}PuidOwner ", "column PUIDDirectory.ResourceId missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			good := startRTCShared(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
			bad := startRTCShared(t, schemaVariant(t, "lync2013", c.old, c.new))
			before := takeDump(t, good)
			cfg := Config{SQL: sqlConfig(good, bad)}
			cfg.Common.File = usersFile(t, "sip:user07@lynctest.local", "sip:user02@lynctest.local")
			o := runJob(t, cfg, "", 0)
			if o.code != result.ExitFatal {
				t.Errorf("exit %d, want 3", o.code)
			}
			if !strings.Contains(o.log, c.want) || !strings.Contains(o.stderr, c.want) {
				t.Errorf("log/stderr do not name %q\nstderr: %s", c.want, o.stderr)
			}
			if o.summary.NotAttempted != 2 || o.summary.Processed != 0 {
				t.Errorf("summary %+v, want 2 not attempted", o.summary)
			}
			sameDump(t, "first server", takeDump(t, good), before)
			if m, _ := filepath.Glob(filepath.Join(o.logDir, BackupPrefix+"*")); len(m) == 1 {
				if b, _ := os.ReadFile(m[0]); len(b) != 0 {
					t.Errorf("backup written: %s", b)
				}
			}
		})
	}
}

// A database without Resource is not an rtc database: exit 3.
func TestNotAnRTCDatabase(t *testing.T) {
	env := startRTC(t, schemaVariant(t, "lync2013", `(?s)CREATE TABLE dbo\.Resource \(.*?\);`, ""))
	cfg := Config{SQL: sqlConfig(env)}
	cfg.Common.File = usersFile(t, "sip:user07@lynctest.local")
	o := runJob(t, cfg, "", 0)
	if o.code != result.ExitFatal || !strings.Contains(o.stderr, "not a Communications Server (rtc) database") {
		t.Errorf("exit %d stderr %s", o.code, o.stderr)
	}
}

// --check prints each server's version and plan and touches nothing; it
// needs no users file.
func TestCheck(t *testing.T) {
	a := startRTCShared(t, "ocs2007", seedSQL(rtcschema.OCS2007, population()))
	b := startRTCShared(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
	before := takeDump(t, b)
	cfg := Config{SQL: sqlConfig(a, b), Check: true}
	cfg.Common.File = ""
	var o outcome
	o = runJob(t, cfg, "", 0)
	if o.code != result.ExitOK {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	// --json keeps stdout for JSON: the plan goes to stderr then.
	for _, want := range []string{
		"server: " + canon(a.Addr) + " (database rtc): schema check passed",
		"version: ocs2007 (Office Communications Server 2007 / 2007 R2)",
		"plan, one transaction per user (reconstructed: Cisco's log shows only Lync 2013",
		"server: " + canon(b.Addr) + " (database rtc): schema check passed",
		"version: lync2013 (Lync Server 2013 / Skype for Business Server 2015, 2019, SE)",
		"  told apart by Cisco's sysobjects probes: confirmed: Cisco's DeleteAccount log (Lync 2013)",
		"plan, one transaction per user (confirmed: Cisco's DeleteAccount log (Lync 2013): these steps in this order):",
		"   1. run dbo.RtcpDeleteHomedResourceTransaction (ResourceId)\n",
		"      believed to delete from ContactGroupAssoc, Contact, ContactGroup, Container, PublishedInstance, HomedResource, Endpoint: reconstructed",
		"  11. delete ResourceDirectory where ResourceId = ResourceId\n",
		"  ResourcePhone (table): confirmed: Cisco's DeleteAccount log (Lync 2013); FindDeletedObjects.ps1 (A. Berns)\n" +
			"    ResourceId  int            integer  confirmed: FindDeletedObjects.ps1 (A. Berns)",
		"  dbo.RtcpDeleteHomedResourceTransaction (@_ResourceId int): confirmed: Cisco's DeleteAccount log (Lync 2013)\n",
		// the discovered user-keyed tables (SPEC 6.1), both sides named
		"user-keyed tables (18, discovered: an integer column named OwnerId, ResourceId, PublisherId, EnterpriseId, BuddyId, MemberId, SubscriberId, DelegateId):",
		"  indexes: measured from sys.index_columns: 0 user-key columns lead no index\n",
		"  Contact: owner side OwnerId; other side BuddyId\n",
		"  BuddyId      other side: confirmed: ",
		"  Endpoint: owner side OwnerId",
		"  Resource: owner side ResourceId",
		"replication check: none (no ResourceDirectory.Enabled column on this server)",
	} {
		if !strings.Contains(o.stderr, want) {
			t.Errorf("--check output lacks %q\n%s", want, o.stderr)
		}
	}
	if !strings.Contains(o.log, "[INFO]  "+canon(b.Addr)+":     UserAtHost  nvarchar(454)  string   confirmed: ") {
		t.Errorf("the log lacks the facts:\n%s", o.log)
	}
	sameDump(t, "after --check", takeDump(t, b), before)
}
