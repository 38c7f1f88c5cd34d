package deleteaccount

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
)

// Rows that change between the backup read and the transaction roll the
// transaction back; the user is read again and tried once more, so that
// what is deleted is always what the backup holds.
func TestRowsChangedAfterBackupRead(t *testing.T) {
	cases := []struct {
		name    string
		changes int // how many attempts see a change
		outcome result.Outcome
	}{
		{"once: retried and deleted", 1, result.Processed},
		{"every time: error, untouched", 2, result.Error},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := startRTC(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
			before := takeDump(t, env)
			lite := env.DB(t)
			added := 0
			var late []rtcsim.Row
			afterBackup = func(id int64) {
				if id != 1002 || added >= c.changes {
					return
				}
				added++
				// a contact added by another client, after the backup read
				buddy := int64(1002 + 100*added)
				if _, err := lite.ExecContext(context.Background(),
					`INSERT INTO "Contact" ("OwnerId", "BuddyId", "DisplayName", "SubscribePresence") VALUES (1002, ?, 'late', 1)`, buddy); err != nil {
					t.Error(err)
				}
				late = append(late, rtcsim.Row{"OwnerId": int64(1002), "BuddyId": buddy, "DisplayName": "late", "SubscribePresence": int64(1)})
			}
			defer func() { afterBackup = nil }()
			cfg := Config{SQL: sqlConfig(env)}
			cfg.Common.File = usersFile(t, "sip:user02@lynctest.local", "sip:user03@lynctest.local")
			o := runJob(t, cfg, "", 1)
			if r := o.byUser("sip:user02@lynctest.local"); len(r) != 1 || r[0].Outcome != c.outcome {
				t.Fatalf("user02 = %+v, want %s\n%s", r, c.outcome, o.log)
			}
			owned := 0 // user02's contacts in the seed: what the first backup read holds
			for _, r := range before["Contact"] {
				if r["OwnerId"] == int64(1002) {
					owned++
				}
			}
			if want := fmt.Sprintf("[WARN]  rows changed since they were backed up: Contact has %d rows, %d were backed up for resource [1002]; retrying once", owned+1, owned); !strings.Contains(o.log, want) {
				t.Errorf("the retry is not logged (%s):\n%s", want, o.log)
			}
			raw, err := os.ReadFile(backupFile(t, o.logDir))
			if err != nil {
				t.Fatal(err)
			}
			// the changed attempts are aborted, never committed
			if got := strings.Count(string(raw), `"type":"aborted"`); got != c.changes {
				t.Errorf("%d aborted records, want %d", got, c.changes)
			}
			txns, _, err := readBackup(backupFile(t, o.logDir))
			if err != nil {
				t.Fatal(err)
			}
			for _, tx := range txns {
				if tx.head.ResourceID == 1002 && c.outcome == result.Error {
					t.Errorf("a transaction of the failed user is to be undone: %+v", tx.head)
				}
			}
			if c.outcome == result.Processed {
				// the committed transaction holds every row deleted, the late one too
				var rows int
				for _, tx := range txns {
					if tx.head.ResourceID == 1002 {
						rows = len(tx.rows)
					}
				}
				if want := sumRows(o.byUser("sip:user02@lynctest.local")[0].Rows); int64(rows) != want || !strings.Contains(string(raw), `"values":[1002,1102,"late",true]`) {
					t.Errorf("committed backup of user02 has %d rows, the run deleted %d (late row backed up: %v)", rows, want, strings.Contains(string(raw), `"late"`))
				}
			}

			// user02 is gone entirely (the late row with it) or untouched
			// (the late rows kept); user03 is gone; --undo gives back
			// everything that was there, the late row included.
			withLate := dump{}
			for table, rows := range before {
				withLate[table] = rows
			}
			withLate["Contact"] = append(append([]rtcsim.Row{}, before["Contact"]...), late...)
			gone := []int{1003}
			if c.outcome == result.Processed {
				gone = append(gone, 1002)
			}
			want, _ := withLate.without(gone...)
			sameDump(t, "after the run", takeDump(t, env), want)
			u := runJob(t, Config{SQL: sqlConfigNoServers(env), Undo: backupFile(t, o.logDir)}, "", 0)
			if u.code != result.ExitOK {
				t.Errorf("undo: exit %d %+v", u.code, u.records)
			}
			sameDump(t, "after --undo", takeDump(t, env), withLate)
		})
	}
}

func sumRows(m map[string]int64) int64 {
	n := int64(0)
	for _, v := range m {
		n += v
	}
	return n
}

// A run cut short after a COMMIT but before its committed record reached
// the disk leaves a transaction with neither committed nor aborted: --undo
// restores its rows (with a warning), so nothing deleted is lost.
func TestUndoCutShortRun(t *testing.T) {
	env := startRTC(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
	before := takeDump(t, env)
	cfg := Config{SQL: sqlConfig(env)}
	cfg.Common.File = usersFile(t, "sip:user02@lynctest.local", "sip:user03@lynctest.local")
	o := runJob(t, cfg, "", 1)
	if o.code != result.ExitOK {
		t.Fatalf("exit %d\n%s", o.code, o.log)
	}
	path := backupFile(t, o.logDir)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.SplitAfter(string(raw), "\r\n") {
		if !strings.Contains(line, `"type":"committed"`) {
			kept = append(kept, line)
		}
	}
	if len(kept) == len(strings.SplitAfter(string(raw), "\r\n")) {
		t.Fatal("the backup has no committed record to remove")
	}
	if err := os.WriteFile(path, []byte(strings.Join(kept, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	u := runJob(t, Config{SQL: sqlConfigNoServers(env), Undo: path}, "", 0)
	if u.code != result.ExitOK || u.summary.Processed != 2 {
		t.Errorf("undo: exit %d summary %+v", u.code, u.summary)
	}
	if n := strings.Count(u.log, "has no committed or aborted record"); n != 2 {
		t.Errorf("%d warnings about cut-short transactions, want 2:\n%s", n, u.log)
	}
	sameDump(t, "after --undo", takeDump(t, env), before)
}
