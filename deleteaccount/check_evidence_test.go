package deleteaccount

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// --check passes on the schema the public evidence shapes (alias-typed ids,
// other parameter names, PublishedStaticInstance instead of PublishedInstance,
// ResourcePhone without PhoneType, a table nobody listed) and says, for each
// fact, what it rests on; --dump-schema writes both servers' catalogs.
func TestCheckEvidence(t *testing.T) {
	ev := startRTCShared(t, "lync2013-evidence", "")
	rc := startRTCShared(t, "lync2013", "")
	before := takeDump(t, ev)
	dumpPath := filepath.Join(t.TempDir(), "schema.json")
	cfg := Config{SQL: sqlConfig(ev, rc), Check: true, DumpSchema: dumpPath}
	o := runJob(t, cfg, "", 0)
	if o.code != result.ExitOK {
		t.Fatalf("exit %d\n%s", o.code, o.stderr)
	}
	evOut := o.stderr[strings.Index(o.stderr, "server: "+canon(ev.Addr)):strings.Index(o.stderr, "server: "+canon(rc.Addr))]
	for _, want := range []string{
		"server: " + canon(ev.Addr) + " (database rtc): schema check passed\n",
		"version: lync2013 (Lync Server 2013 / Skype for Business Server 2015, 2019, SE)\n",
		"   1. run dbo.RtcpDeleteHomedResourceTransaction (ResourceId)\n",
		"   8. delete ResourcePhone where ResourceId = ResourceId\n",
		"    ResourceId  int (alias ResourceId)  integer  confirmed: FindDeletedObjects.ps1 (A. Berns): ResourcePhone(ResourceId, PhoneNum)\n",
		"  dbo.RtcpDeleteHomedResourceTransaction (@_ResourceIdentity int): confirmed: Cisco's DeleteAccount log (Lync 2013)\n",
		"  RtcpDeleteConferenceParticipantByEnterpriseId (@_EnterpriseIdentity int): confirmed: Cisco's DeleteAccount log (Lync 2013)\n",
		// the indexes, measured on the server (the evidence file indexes only the BuddyId columns)
		"  indexes: measured from sys.index_columns: 5 user-key columns lead no index\n",
		"  Delegate: owner side OwnerId; other side DelegateId; no index leads DelegateId (each count scans the table)\n",
	} {
		if !strings.Contains(evOut, want) {
			t.Errorf("--check output lacks %q\n%s", want, evOut)
		}
	}
	sameDump(t, "after --check", takeDump(t, ev), before)

	b, err := os.ReadFile(dumpPath)
	if err != nil {
		t.Fatal(err)
	}
	ostest.OwnerOnly(t, dumpPath)
	var f rtcclient.DumpFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Servers) != 2 || f.Servers[0].Server != canon(ev.Addr) || f.Servers[1].Server != canon(rc.Addr) ||
		f.WrittenBy != "lyncmigrate test deleteaccount --check" || len(f.Servers[0].Definitions) != 2 {
		t.Fatalf("dump %+v", f)
	}
	if d := f.Servers[0].Definitions; d[0].Definition == nil || d[1].Definition != nil || d[1].Note != rtcclient.NoteNoDefinition {
		t.Errorf("definitions %+v", d)
	}
	if want := "Server [" + canon(ev.Addr) + "]: measured from sys.index_columns: 5 user-key columns lead no index (CachedContainerMember.MemberId, ConferenceInvitee.EnterpriseId, ContainerMemberUser.MemberId, Delegate.DelegateId, PromptedSubscriber.SubscriberId): each user's counts scan those tables"; !strings.Contains(o.log, want) {
		t.Errorf("the log lacks %q:\n%s", want, o.log)
	}
	if want := "Server [" + canon(rc.Addr) + "]: measured from sys.index_columns: an index leads every user-key column"; !strings.Contains(o.log, want) {
		t.Errorf("the log lacks %q:\n%s", want, o.log)
	}
	if !strings.Contains(o.log, "[INFO]  Schema of 2 servers written to "+dumpPath) {
		t.Errorf("the log does not name the dump")
	}
}

// Broken copies of the evidence schema: every problem is named, on every
// server, before any user; the dump is still written, with the problems.
func TestCheckEvidenceRefuses(t *testing.T) {
	cases := []struct{ name, re, repl, want string }{
		{"missing table", `(?s)CREATE TABLE dbo\.Delegate \(.*?\);`, "", "table Delegate missing"},
		{"missing column", `(CREATE TABLE dbo\.PUIDDirectory \(\s*)ResourceId`, "${1}PuidOwner ", "column PUIDDirectory.ResourceId missing"},
		{"string id", `(CREATE TABLE dbo\.RtcItem \((?s:.*?)\n\s*ResourceId\s+)ResourceId`, "${1}NVARCHAR(20)",
			"column RtcItem.ResourceId is nvarchar(20), want an integer type (int, bigint, smallint, tinyint)"},
		{"alias type on a string", `CREATE TYPE dbo\.ResourceId FROM INT;`, "CREATE TYPE dbo.ResourceId FROM VARCHAR(20);",
			"column Resource.ResourceId is varchar(20), want an integer type"},
		{"two parameters", `\(@_ResourceIdentity ResourceId\)`, "(@_ResourceIdentity ResourceId, @_Force BIT)",
			"procedure dbo.RtcpDeleteHomedResourceTransaction has 2 parameters (@_ResourceIdentity int, @_Force bit), want exactly one integer input parameter"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			good := startRTCShared(t, "lync2013-evidence", "")
			bad := startRTCShared(t, schemaVariant(t, "lync2013-evidence", c.re, c.repl))
			dumpPath := filepath.Join(t.TempDir(), "schema.json")
			o := runJob(t, Config{SQL: sqlConfig(bad, good), Check: true, DumpSchema: dumpPath}, "", 0)
			if o.code != result.ExitFatal || !strings.Contains(o.stderr, c.want) || !strings.Contains(o.log, c.want) {
				t.Errorf("exit %d, want 3 naming %q\n%s", o.code, c.want, o.stderr)
			}
			// The good server is still checked and reported.
			if !strings.Contains(o.stderr, "server: "+canon(good.Addr)+" (database rtc): schema check passed") {
				t.Errorf("the second server was not checked:\n%s", o.stderr)
			}
			var f rtcclient.DumpFile
			if b, err := os.ReadFile(dumpPath); err != nil || json.Unmarshal(b, &f) != nil || len(f.Servers) != 2 {
				t.Fatalf("dump: %v %+v", err, f)
			}
			if p := strings.Join(f.Servers[0].CheckErrors, "; "); !strings.Contains(p, c.want) || len(f.Servers[1].CheckErrors) != 0 {
				t.Errorf("dump's check problems %q / %q", f.Servers[0].CheckErrors, f.Servers[1].CheckErrors)
			}
		})
	}
}
