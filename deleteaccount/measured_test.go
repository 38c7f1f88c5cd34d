package deleteaccount

import (
	"context"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// The delete measures what it removes (SPEC 6.1), on every schema rtcsim
// serves: the reconstructed ones and the evidence one, whose homed-resource
// procedure also empties UserNote, a table the product has never heard of,
// and whose tables have IDENTITY, rowversion and computed columns.

// measuredFixture is n users, each with two groups, the next two users as
// contacts, and rows in every owner-keyed table of the schema (other-side
// columns naming the next user). The users in enabled still say enabled in
// ResourceDirectory (where the schema has the column).
func measuredFixture(n int, enabled ...int) rtcsim.Fixture {
	f := rtcsim.Fixture{HomedRows: 2}
	for i := 1; i <= n; i++ {
		u := rtcsim.FixtureUser{
			ResourceID: int64(5000 + i), UserAtHost: fmt.Sprintf("m%02d@lynctest.local", i),
			DisplayName: fmt.Sprintf("Measured Üser %d", i), Enabled: slices.Contains(enabled, i),
			Groups: []rtcsim.FixtureGroup{{Number: 1, Name: "~"}, {Number: 2, Name: "Team, Ö"}},
		}
		for k := 1; k <= 2; k++ {
			u.Contacts = append(u.Contacts, rtcsim.FixtureContact{Buddy: int64(5000 + (i+k-1)%n + 1), DisplayName: rtcsim.Text(fmt.Sprintf("Buddy %d", k)), Groups: []int{k}})
		}
		f.Users = append(f.Users, u)
	}
	return f
}

// measuredEnv starts rtcsim with a schema and the fixture; dump() is the
// database without rowversion columns (no restore can give those back),
// datetimes on SQL Server's 1/300 s grid.
func measuredEnv(t *testing.T, schema string, f rtcsim.Fixture) (rtcEnv, func() dump) {
	t.Helper()
	env := testenv.RTC(t, schema)
	env.SeedFixture(t, f)
	return env, func() dump { return onTickGrid(env.DumpRestorable(t)) }
}

// onTickGrid rounds datetime text to the 1/300 s a SQL Server datetime
// holds. rtcsim stores a DEFAULT GETUTCDATE() with the milliseconds of the
// clock (…38.608), but serves it, as SQL Server would have stored it, on the
// grid (…38.6066667): a value read, backed up and restored then reads the
// same, while the text under it differs.
func onTickGrid(d dump) dump {
	for _, rows := range d {
		for _, r := range rows {
			for k, v := range r {
				s, ok := v.(string)
				if !ok || len(s) < 20 || s[19] != '.' {
					continue
				}
				tm, err := time.Parse("2006-01-02 15:04:05.9999999", s)
				if err != nil {
					continue
				}
				day := tm.Truncate(24 * time.Hour)
				ticks := math.Round(float64(tm.Sub(day)) * 300 / float64(time.Second))
				r[k] = day.Add(time.Duration(ticks * float64(time.Second) / 300)).Format("2006-01-02 15:04:05.000")
			}
		}
	}
	return d
}

// After a batch, the database is the one before minus exactly the
// processed users' owner-side rows, in every table, the unknown one
// included; the records and the backup say so per table; --trial before it
// reports the same counts and changes nothing; --undo gives back the
// identical database (IDENTITY values included); a second --undo changes
// nothing.
func TestMeasuredDeleteEverySchema(t *testing.T) {
	for _, schema := range []string{"ocs2007", "lync2010", "lync2013", "lync2013-evidence"} {
		t.Run(schema, func(t *testing.T) {
			env, dumpNow := measuredEnv(t, schema, measuredFixture(6))
			before := dumpNow()
			ids := []int{5001, 5002, 5004}
			want, _ := before.without(ids...)
			cfg := Config{SQL: sqlConfig(env)}
			cfg.Common.File = usersFile(t, "sip:m01@lynctest.local", "sip:M02@LyncTest.local", "sip:m04@lynctest.local")

			cfg.Trial = true
			trial := runJob(t, cfg, "", 2)
			sameDump(t, "after --trial", dumpNow(), before)
			cfg.Trial = false
			real := runJob(t, cfg, "", 2)
			if real.code != result.ExitOK || trial.code != result.ExitOK {
				t.Fatalf("exit: trial %d, real %d\n%s", trial.code, real.code, real.log)
			}
			sameDump(t, "after the delete", dumpNow(), want)
			txns, _, err := readBackup(backupFile(t, real.logDir))
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				_, owned := before.without(id)
				u := fmt.Sprintf("sip:m%02d@lynctest.local", id-5000)
				for what, o := range map[string]outcome{"trial": trial, "delete": real} {
					if r := o.byUser(u); len(r) != 1 || r[0].Outcome != result.Processed || !reflect.DeepEqual(r[0].Rows, owned) {
						t.Errorf("%s: %s = %+v\nwant processed with %v", what, u, r, owned)
					}
				}
				backedUp := map[string]int64{}
				for _, tx := range txns {
					if tx.head.ResourceID == int64(id) {
						for _, r := range tx.rows {
							backedUp[r.Table]++
						}
					}
				}
				if !reflect.DeepEqual(backedUp, owned) {
					t.Errorf("the backup of %d holds %v, the database lost %v", id, backedUp, owned)
				}
			}
			if schema == "lync2013-evidence" {
				if !strings.Contains(real.log, "rows of resource [5001] vanished from UserNote, a table the plan does not name") {
					t.Errorf("the log does not name the unknown table UserNote:\n%s", real.log)
				}
				raw, _ := os.ReadFile(backupFile(t, real.logDir))
				if !strings.Contains(string(raw), `"table":"UserNote","columns":["NoteId","OwnerId","NoteText","NoteSize","CreatedAt","Version"],"types":["int","int","varbinary","bigint","datetime","timestamp"]`) {
					t.Errorf("the backup lacks UserNote's rows with every column and its type:\n%s", raw)
				}
			}

			undo := runJob(t, Config{SQL: sqlConfigNoServers(env), Undo: backupFile(t, real.logDir)}, "", 2)
			if undo.code != result.ExitOK || undo.summary.Processed != len(ids) {
				t.Fatalf("undo: exit %d summary %+v\n%s", undo.code, undo.summary, undo.log)
			}
			if !strings.Contains(undo.log, "Checked after COMMIT: all ") {
				t.Error("the undo does not say it checked the restored rows")
			}
			sameDump(t, "after --undo", dumpNow(), before)
			again := runJob(t, Config{SQL: sqlConfigNoServers(env), Undo: backupFile(t, real.logDir)}, "", 2)
			if again.code != result.ExitOK || again.summary.Skipped != len(ids) {
				t.Errorf("second undo: exit %d summary %+v", again.code, again.summary)
			}
			sameDump(t, "after a second --undo", dumpNow(), before)
		})
	}
}

// The dry run counts only the tables the plan names and names, in the
// log, the tables it cannot know (SPEC 3.5): on the evidence schema,
// UserNote, which only the real run or a trial sees emptied.
func TestDryRunNamesUnknownTables(t *testing.T) {
	env, dumpNow := measuredEnv(t, "lync2013-evidence", measuredFixture(4))
	before := dumpNow()
	cfg := Config{SQL: sqlConfig(env), DryRun: true}
	cfg.Common.File = usersFile(t, "sip:m01@lynctest.local")
	o := runJob(t, cfg, "", 1)
	sameDump(t, "after the dry run", dumpNow(), before)
	r := o.byUser("sip:m01@lynctest.local")
	if o.code != result.ExitOK || len(r) != 1 || r[0].Outcome != result.Processed || !r[0].DryRun {
		t.Fatalf("exit %d records %+v\n%s", o.code, r, o.log)
	}
	if _, counted := r[0].Rows["UserNote"]; counted {
		t.Errorf("the dry run counted UserNote, which no plan step names: %v", r[0].Rows)
	}
	if r[0].Rows["ResourcePhone"] == 0 || r[0].Rows["ResourceDirectory"] != 1 {
		t.Errorf("the dry run's counts lack the plan's tables: %v", r[0].Rows)
	}
	if !strings.Contains(o.log, "[INFO]  UserNote holds 2 rows of resource [5001] that the plan does not name: the dry run cannot tell whether a procedure deletes them (--trial can)") {
		t.Errorf("the dry run does not name UserNote:\n%s", o.log)
	}
}

// A homed-resource procedure that also removes the user from other users'
// contact lists (the unsafe variant, like RtcDeleteResource): the invariant
// check before COMMIT rolls the user back, an error naming the table and the
// count; the database is unchanged for that user; the run goes on with a user
// nobody lists, whom the procedure cannot harm.
func TestUnsafeProcedureRolledBack(t *testing.T) {
	f := measuredFixture(4)
	// m05 is on nobody's list and has nobody on its own.
	f.Users = append(f.Users, rtcsim.FixtureUser{ResourceID: 5005, UserAtHost: "m05@lynctest.local", Groups: []rtcsim.FixtureGroup{{Number: 1, Name: "~"}}})
	env, dumpNow := measuredEnv(t, "lync2013-evidence-unsafe", f)
	before := dumpNow()
	cfg := Config{SQL: sqlConfig(env)}
	cfg.Common.File = usersFile(t, "sip:m01@lynctest.local", "sip:m05@lynctest.local")
	o := runJob(t, cfg, "", 1)
	if o.code != result.ExitPartial {
		t.Errorf("exit %d, want 1\n%s", o.code, o.log)
	}
	// m01 is on the lists of m03 and m04 (each lists the next two users).
	r := o.byUser("sip:m01@lynctest.local")
	if len(r) != 1 || r[0].Outcome != result.Error || !strings.Contains(r[0].Detail, "the plan would remove them from 2 other users' contact lists (Contact rows whose BuddyId names them)") ||
		!strings.Contains(r[0].Detail, "rolled back, nothing changed") {
		t.Errorf("m01 = %+v, want an error naming Contact and 2 other users' lists", r)
	}
	if !strings.Contains(o.log, "retrying once") {
		t.Error("the invariant failure is not retried once")
	}
	if r := o.byUser("sip:m05@lynctest.local"); len(r) != 1 || r[0].Outcome != result.Processed {
		t.Errorf("m05 = %+v, want processed: the run goes on", r)
	}
	want, _ := before.without(5005)
	sameDump(t, "after the unsafe run", dumpNow(), want)
	txns, _, err := readBackup(backupFile(t, o.logDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, tx := range txns {
		if tx.head.ResourceID == 5001 {
			t.Errorf("m01's rolled-back transaction %d is restorable", tx.head.Txn)
		}
	}
}

// The replication gate: where ResourceDirectory has Enabled, a user whose
// row still says enabled is refused, nothing deleted, the run goes on; with
// --wait-replication the run checks again until the row says disabled (a
// test flips it while the run waits), then deletes the user; at the
// deadline a user still waiting is an error. With and without the AD gate.
func TestReplicationGate(t *testing.T) {
	orig := replicationRecheck
	replicationRecheck = 50 * time.Millisecond
	defer func() { replicationRecheck = orig }()
	cases := []struct {
		name  string
		wait  time.Duration
		flip  bool
		ldap  bool
		final result.Outcome
	}{
		{"refused", 0, false, false, result.Error},
		{"refused, with the AD gate", 0, false, true, result.Error},
		{"waited for", 20 * time.Second, true, false, result.Processed},
		{"waited for, with the AD gate", 20 * time.Second, true, true, result.Processed},
		{"deadline", 300 * time.Millisecond, false, false, result.Error},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, dumpNow := measuredEnv(t, "lync2013-evidence", measuredFixture(4, 2))
			before := dumpNow()
			cfg := Config{SQL: sqlConfig(env), WaitReplication: c.wait}
			if c.ldap {
				cfg.LDAP = replicationAD(t)
			}
			cfg.Common.File = usersFile(t, "sip:m02@lynctest.local", "sip:m01@lynctest.local", "sip:m03@lynctest.local")
			if c.flip {
				// Once the two replicated users are reported, the run is
				// waiting for m02: its disable reaches the pool now.
				lite := env.DB(t)
				cfg.Common.Stdout = &lineTrigger{at: 2, fn: func() {
					time.Sleep(2 * replicationRecheck)
					if _, err := lite.ExecContext(context.Background(), `UPDATE "ResourceDirectory" SET "Enabled" = 0 WHERE "ResourceId" = 5002`); err != nil {
						t.Error(err)
					}
				}}
			}
			o := runJob(t, cfg, "", 2)
			for _, u := range []string{"sip:m01@lynctest.local", "sip:m03@lynctest.local"} {
				if r := o.byUser(u); len(r) != 1 || r[0].Outcome != result.Processed {
					t.Errorf("%s = %+v, want processed", u, r)
				}
			}
			r := o.byUser("sip:m02@lynctest.local")
			if len(r) != 1 || r[0].Outcome != c.final {
				t.Fatalf("m02 = %+v, want %s\n%s", r, c.final, o.log)
			}
			gone := []int{5001, 5003}
			if c.final == result.Processed {
				gone = append(gone, 5002)
				if !strings.Contains(o.log, "User [m02@lynctest.local] is now replicated to [") {
					t.Errorf("the log does not say m02 became replicated:\n%s", o.log)
				}
			} else {
				if want := "not yet replicated to " + canon(env.Addr) + ": wait and run again"; !strings.Contains(r[0].Detail, want) {
					t.Errorf("m02's detail %q lacks %q", r[0].Detail, want)
				}
				if o.code != result.ExitPartial {
					t.Errorf("exit %d, want 1", o.code)
				}
			}
			if c.wait > 0 && !strings.Contains(o.log, "1 users are not yet replicated to every server: checking them every 50ms") {
				t.Errorf("the log does not say the run waits:\n%s", o.log)
			}
			want, _ := before.without(gone...)
			sameDump(t, "after the run", dumpNow(), want)
		})
	}
}

// replicationAD seeds the fixture's users in Samba, all disabled there:
// the AD gate lets them through, and only the pool's ResourceDirectory can
// tell that m02's disable has not arrived yet.
func replicationAD(t *testing.T) *adclient.Config {
	e := testenv.AD(t)
	ou := testenv.SeedOU(t, "DeleteAccountReplication")
	var users []testenv.SeedUser
	for i := 1; i <= 4; i++ {
		users = append(users, testenv.SeedUser{CN: fmt.Sprintf("Measured %d", i), SAM: fmt.Sprintf("darepl%02d", i), SIP: fmt.Sprintf("sip:m%02d@lynctest.local", i), Enabled: new(false)})
	}
	testenv.AddUsers(t, ou, users)
	return &adclient.Config{
		Server: e.URL, CAFile: e.CAFile, Auth: adclient.AuthSimple, BindDN: e.BindDN, Base: ou,
		PasswordFunc: func() (string, error) { return e.Password, nil },
	}
}
