package deleteaccount

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// The input: mixed forms and cases. user07 is stored as User07@LyncTest.local.
var deleteInput = []string{
	"# migrating users",
	"sip:user07@lynctest.local",
	"user02@lynctest.local",
	"SIP:USER03@LYNCTEST.LOCAL",
	"sip:user09@lynctest.local", // only its Resource row: skipped
	"sip:ghost@lynctest.local",  // not in the database
}

// For every version: a dry run changes nothing and reports what the real run
// then deletes; the real run removes exactly the users' own rows, reports
// the server's counts, keeps the invariants; --undo gives the dump back.
func TestDeleteEachVersion(t *testing.T) {
	for _, v := range rtcschema.Versions {
		t.Run(string(v), func(t *testing.T) {
			env := startRTC(t, string(v), seedSQL(v, population()))
			before := takeDump(t, env)
			perUser := map[int]map[string]int64{}
			for _, id := range []int{1007, 1002, 1003} {
				_, perUser[id] = before.without(id)
			}
			want, _ := before.without(1007, 1002, 1003)
			users := map[string]int{"sip:user07@lynctest.local": 1007, "sip:user02@lynctest.local": 1002, "sip:USER03@LYNCTEST.LOCAL": 1003}

			cfg := Config{SQL: sqlConfig(env), DryRun: true}
			cfg.Common.File = usersFile(t, deleteInput...)
			dry := runJob(t, cfg, "", 0)
			sameDump(t, "after the dry run", takeDump(t, env), before)
			checkOutcomes(t, "dry run", dry, users, perUser, true)

			// --trial: every transaction runs and is rolled back; it reports
			// what the real run then deletes, and writes no backup.
			cfg.DryRun, cfg.Trial = false, true
			trial := runJob(t, cfg, "", 0)
			sameDump(t, "after the trial", takeDump(t, env), before)
			checkOutcomes(t, "trial", trial, users, perUser, true)
			if !trial.summary.Trial || !strings.Contains(trial.log, "[INFO]  "+result.TrialLine+"\r\n") || !strings.Contains(trial.stderr, result.TrialLine) {
				t.Errorf("the trial's summary does not say it was rolled back: %+v\n%s", trial.summary, trial.log)
			}
			if m, _ := filepath.Glob(filepath.Join(trial.logDir, BackupPrefix+"*")); len(m) != 0 {
				t.Errorf("a trial wrote a backup: %v", m)
			}

			cfg.Trial = false
			real := runJob(t, cfg, "", 0)
			sameDump(t, "after the delete", takeDump(t, env), want)
			checkOutcomes(t, "delete", real, users, perUser, false)
			for _, r := range real.byUser("sip:user07@lynctest.local") {
				if r.Server != env.Addr[:strings.LastIndexByte(env.Addr, ':')]+","+env.Addr[strings.LastIndexByte(env.Addr, ':')+1:] {
					t.Errorf("record server %q for %s", r.Server, env.Addr)
				}
			}

			// A second run finds them with nothing left.
			again := runJob(t, cfg, "", 0)
			for u := range users {
				if got := again.byUser(u); len(got) != 1 || got[0].Outcome != result.Skipped {
					t.Errorf("second run: %s = %+v, want skipped", u, got)
				}
			}
			sameDump(t, "after the second delete", takeDump(t, env), want)

			undo := runJob(t, Config{SQL: sqlConfigNoServers(env), Undo: backupFile(t, real.logDir)}, "", 0)
			if undo.code != result.ExitOK {
				t.Fatalf("undo exit %d\n%s", undo.code, undo.log)
			}
			sameDump(t, "after --undo", takeDump(t, env), before)
			for u, id := range users {
				got := undo.byUser(u)
				if len(got) != 1 || got[0].Outcome != result.Processed || !reflect.DeepEqual(got[0].Rows, perUser[id]) {
					t.Errorf("undo %s = %+v, want processed with %v", u, got, perUser[id])
				}
			}
			undo2 := runJob(t, Config{SQL: sqlConfigNoServers(env), Undo: backupFile(t, real.logDir)}, "", 0)
			if undo2.code != result.ExitOK || undo2.summary.Skipped != 3 {
				t.Errorf("second undo: exit %d, summary %+v, want 3 skipped", undo2.code, undo2.summary)
			}
			sameDump(t, "after a second --undo", takeDump(t, env), before)
		})
	}
}

func sqlConfigNoServers(envs ...rtcEnv) rtcclient.Config {
	c := sqlConfig(envs...)
	c.Servers = nil
	return c
}

// checkOutcomes checks one run's records against the dump differences.
func checkOutcomes(t *testing.T, what string, o outcome, users map[string]int, perUser map[int]map[string]int64, dry bool) {
	t.Helper()
	if o.code != result.ExitPartial {
		t.Errorf("%s: exit %d, want 1 (a user not found)\nstderr: %s\nlog:\n%s", what, o.code, o.stderr, o.log)
	}
	for u, id := range users {
		got := o.byUser(u)
		if len(got) != 1 {
			t.Errorf("%s: %d records for %s", what, len(got), u)
			continue
		}
		r := got[0]
		if r.Outcome != result.Processed || r.DryRun != dry || !reflect.DeepEqual(r.Rows, perUser[id]) {
			t.Errorf("%s: %s = %s dry_run=%v rows %v (%s)\nwant processed rows %v", what, u, r.Outcome, r.DryRun, r.Rows, r.Detail, perUser[id])
		}
	}
	if got := o.byUser("sip:user09@lynctest.local"); len(got) != 1 || got[0].Outcome != result.Skipped {
		t.Errorf("%s: user09 = %+v, want skipped", what, got)
	}
	if got := o.byUser("sip:ghost@lynctest.local"); len(got) != 1 || got[0].Outcome != result.NotFound {
		t.Errorf("%s: ghost = %+v, want not_found", what, got)
	}
	s := o.summary
	if s.Processed != 3 || s.Skipped != 1 || s.NotFound != 1 || s.Errors != 0 || s.DryRun != dry {
		t.Errorf("%s: summary %+v", what, s)
	}
}
