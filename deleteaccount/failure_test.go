package deleteaccount

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// Cisco's log lines for one user on Lync 2013, in Cisco's order.
func TestCiscoLogLines(t *testing.T) {
	env := startRTC(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
	before := takeDump(t, env)
	cfg := Config{SQL: sqlConfig(env)}
	cfg.Common.File = usersFile(t, "sip:user07@lynctest.local")
	o := runJob(t, cfg, "", 1)
	if o.code != result.ExitOK {
		t.Fatalf("exit %d\n%s", o.code, o.log)
	}
	want := []string{
		"[INFO]  Attempting to Open connection with String : server=",
		"[INFO]  Connection Opened Ok",
		"[DEBUG] SQL is [SELECT id FROM sysobjects WHERE name = 'Resource']",
		"[DEBUG] Found id [",
		"[INFO]  Found the Resource Table, appears to be a valid Communications Server Database",
		"[DEBUG] SQL is [SELECT id FROM sysobjects WHERE name = 'Endpoint']",
		"[DEBUG] No result",
		"[DEBUG] SQL is [SELECT id FROM sysobjects WHERE name = 'Container']",
		"[DEBUG] SQL is [SELECT id FROM sysobjects WHERE name = 'HomedResource']",
		"[DEBUG] SQL is [SELECT id FROM sysobjects WHERE name = 'CertificateStore']",
		"[INFO]  Found the CertificateStore table, dealing with a version of Lync.",
		"[DEBUG] SQL is [SELECT id FROM sysobjects WHERE name = 'ForestDirectory']",
		"[INFO]  Found the ForestDirectory table, Creating Lync2013 Connection",
		"[INFO]  Preparing to Delete Communications Server Data for User [user07@lynctest.local]",
		"[INFO]  Found user [user07@lynctest.local] with ResourceId [1007], proceeding to delete data",
		"[INFO]  Ran dbo.RtcpDeleteHomedResourceTransaction",
		"[INFO]  Deleted CachedContainerMember",
		"[INFO]  Deleted ContainerMemberUser",
		"[INFO]  Deleted PromptedSubscriber",
		"[INFO]  Deleted Delegate",
		"[INFO]  Ran RtcpDeleteConferenceParticipantByEnterpriseId",
		"[INFO]  Deleted UserPolicy",
		"[INFO]  Deleted ResourcePhone",
		"[INFO]  Deleted RtcItem",
		"[INFO]  Deleted PUIDDirectory",
		"[INFO]  Deleted ResourceDirectory",
		"[INFO]  Committing transaction for resource [1007]",
		"[INFO]  Completed Updates for resource [1007]",
	}
	rest := o.log
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("log lacks (in order) %q\nlog:\n%s", w, o.log)
		}
		rest = rest[i+len(w):]
	}
	if !strings.Contains(o.log, "[WARN]  AD state was not checked") {
		t.Error("no WARN that AD was not checked")
	}
	if !strings.Contains(o.log, "up to 30 minutes") {
		t.Error("no reminder of AD replication time")
	}
	if strings.Contains(o.log, env.Password) {
		t.Error("the password reached the log")
	}
	if strings.Contains(o.log, "\n") && strings.Count(o.log, "\r\n") != strings.Count(o.log, "\n") {
		t.Error("log lines are not CRLF")
	}

	// The backup: owner-only, CRLF, begin / rows / committed, each row with
	// server, database, version, table, columns and values.
	path := backupFile(t, o.logDir)
	ostest.OwnerOnly(t, path)
	raw, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n")
	if !strings.HasPrefix(lines[0], `{"type":"begin","txn":1,"user":"sip:user07@lynctest.local","server":"127.0.0.1,`) ||
		!strings.HasPrefix(lines[len(lines)-1], `{"type":"committed","txn":1,`) {
		t.Errorf("first/last backup records:\n%s\n%s", lines[0], lines[len(lines)-1])
	}
	_, owned := before.without(1007)
	total := int64(0)
	for _, n := range owned {
		total += n
	}
	row := `{"type":"row","txn":1,"server":"` + canon(env.Addr) + `","database":"rtc","version":"lync2013","table":"Contact","columns":["OwnerId","BuddyId","DisplayName","SubscribePresence"],"types":["int","int","nvarchar","bit"],"values":[1007,1008,"Buddy 1008",true]}`
	if !strings.Contains(string(raw), row+"\r\n") {
		t.Errorf("backup lacks %s\n%s", row, raw)
	}
	if got := strings.Count(string(raw), `"type":"row"`); int64(got) != total {
		t.Errorf("%d row records, want the %d rows user07 owned", got, total)
	}
}

// A failure in the middle of one user's plan leaves that user exactly as
// before; the others are processed; exit 1. --undo then restores only the
// committed users.
func TestInjectedFailures(t *testing.T) {
	cases := []struct {
		name   string
		fault  rtcsim.Fault
		detail string
	}{
		{"handler error", rtcsim.Fault{Proc: "RtcpDeleteConferenceParticipantByEnterpriseId", Err: &rtcsim.Error{Number: 50000, Message: "injected"}, Times: 1}, "injected"},
		{"non-zero return status", rtcsim.Fault{Proc: "dbo.RtcpDeleteHomedResourceTransaction", Status: 7, Times: 1}, "returned status 7"},
		{"statement error after its work", rtcsim.Fault{SQL: "DELETE FROM [RtcItem]", Err: &rtcsim.Error{Number: 547, Message: "injected constraint"}, After: true, Times: 1}, "injected constraint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := startRTC(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
			before := takeDump(t, env)
			env.Server.AddFault(c.fault)
			cfg := Config{SQL: sqlConfig(env)}
			cfg.Common.File = usersFile(t, "sip:user07@lynctest.local", "sip:user02@lynctest.local", "sip:user03@lynctest.local")
			o := runJob(t, cfg, "", 1) // one worker: user07 meets the fault
			if o.code != result.ExitPartial {
				t.Errorf("exit %d, want 1", o.code)
			}
			if r := o.byUser("sip:user07@lynctest.local"); len(r) != 1 || r[0].Outcome != result.Error || !strings.Contains(r[0].Detail, c.detail) {
				t.Errorf("user07 = %+v, want error with %q", r, c.detail)
			}
			for _, u := range []string{"sip:user02@lynctest.local", "sip:user03@lynctest.local"} {
				if r := o.byUser(u); len(r) != 1 || r[0].Outcome != result.Processed {
					t.Errorf("%s = %+v, want processed", u, r)
				}
			}
			want, _ := before.without(1002, 1003)
			sameDump(t, "after the run", takeDump(t, env), want)

			u := runJob(t, Config{SQL: sqlConfigNoServers(env), Undo: backupFile(t, o.logDir)}, "", 0)
			if u.code != result.ExitOK || u.summary.Processed != 2 || len(u.byUser("sip:user07@lynctest.local")) != 0 {
				t.Errorf("undo: exit %d summary %+v records %+v", u.code, u.summary, u.records)
			}
			sameDump(t, "after --undo", takeDump(t, env), before)
		})
	}
}

// An injected deadlock is retried once and then succeeds.
func TestDeadlockRetriedOnce(t *testing.T) {
	env := startRTC(t, "lync2010", seedSQL(rtcschema.Lync2010, population()))
	before := takeDump(t, env)
	env.Server.AddFault(rtcsim.Fault{SQL: "DELETE FROM [Delegate]", Err: &rtcsim.Error{Number: rtcsim.ErrDeadlock}, Times: 1})
	cfg := Config{SQL: sqlConfig(env)}
	cfg.Common.File = usersFile(t, "sip:user04@lynctest.local")
	o := runJob(t, cfg, "", 1)
	_, rows := before.without(1004)
	if o.code != result.ExitOK || len(o.records) != 1 || o.records[0].Outcome != result.Processed || o.records[0].Rows["Delegate"] != rows["Delegate"] {
		t.Fatalf("exit %d records %+v\n%s", o.code, o.records, o.log)
	}
	if !strings.Contains(o.log, "Deadlock (SQL error 1205) for resource [1004]; retrying once") {
		t.Error("the retry is not logged")
	}
	want, _ := before.without(1004)
	sameDump(t, "after the retried run", takeDump(t, env), want)

	// Two deadlocks in a row: the user is an error, left as it was.
	env.Server.AddFault(rtcsim.Fault{SQL: "DELETE FROM [Delegate]", Err: &rtcsim.Error{Number: rtcsim.ErrDeadlock}, Times: 2})
	cfg.Common.File = usersFile(t, "sip:user05@lynctest.local")
	o = runJob(t, cfg, "", 1)
	if o.code != result.ExitPartial || o.records[0].Outcome != result.Error {
		t.Errorf("two deadlocks: exit %d records %+v", o.code, o.records)
	}
	sameDump(t, "after two deadlocks", takeDump(t, env), want)
}

// A backup that cannot be written rolls the user back: error, nothing deleted.
func TestBackupFailureRollsBack(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatalf("this test needs /dev/full (a device whose writes fail): %v", err)
	}
	full.Close()
	env := startRTC(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
	before := takeDump(t, env)
	cfg := Config{SQL: sqlConfig(env)}
	cfg.Common.File = usersFile(t, "sip:user07@lynctest.local", "sip:user02@lynctest.local")
	orig := openBackupFile
	openBackupFile = func(string) (*os.File, error) { return os.OpenFile("/dev/full", os.O_WRONLY, 0) }
	defer func() { openBackupFile = orig }()
	o := runJob(t, cfg, "", 1)
	if o.code != result.ExitPartial || len(o.records) != 2 {
		t.Fatalf("exit %d records %+v", o.code, o.records)
	}
	for _, r := range o.records {
		if r.Outcome != result.Error || !strings.Contains(r.Detail, "backup") {
			t.Errorf("%s = %s (%s), want a backup error", r.User, r.Outcome, r.Detail)
		}
	}
	sameDump(t, "after a failed backup", takeDump(t, env), before)
}

// A server that goes away and does not come back stops the run: the user in
// flight is an error, the rest not_attempted, exit 3.
func TestServerLost(t *testing.T) {
	env := startRTC(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
	env.Server.AddFault(rtcsim.Fault{Proc: "RtcpDeleteConferenceParticipantByEnterpriseId", Delay: 2 * time.Second, Times: 1})
	cfg := Config{SQL: sqlConfig(env)}
	cfg.Common.File = usersFile(t, "sip:user07@lynctest.local", "sip:user02@lynctest.local", "sip:user03@lynctest.local")
	go func() {
		time.Sleep(300 * time.Millisecond) // user07 is waiting in the delayed procedure
		env.Server.Close()
	}()
	o := runJob(t, cfg, "", 1)
	if o.code != result.ExitFatal {
		t.Errorf("exit %d, want 3\n%s", o.code, o.log)
	}
	if r := o.byUser("sip:user07@lynctest.local"); len(r) != 1 || r[0].Outcome != result.Error {
		t.Errorf("user07 = %+v, want error", r)
	}
	if o.summary.NotAttempted != 2 {
		t.Errorf("summary %+v, want 2 not attempted", o.summary)
	}
	if !strings.Contains(o.log, "lost and not regained") {
		t.Error("the log does not say the server was lost")
	}
}
