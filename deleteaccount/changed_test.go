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

// Rows that change between the chunk's backup read and the user's
// transaction (another client adds or removes one of the user's contacts):
// the transaction counts them again, reads the changed table afresh, and the
// backup ends up holding exactly what the transaction removed — the late
// row written and synced before COMMIT, the row removed meanwhile named in a
// kept record. (Before SPEC 6.1 such a change rolled the user back and
// retried it.) --undo gives back what was there when the transaction ran.
func TestRowsChangedAfterBackupRead(t *testing.T) {
	cases := []struct {
		name   string
		change string // SQLite statement run on user02's rows after the chunk's read
		late   rtcsim.Row
		gone   bool // the change removed one of the rows read
		log    string
	}{
		{"a contact added", `INSERT INTO "Contact" ("OwnerId", "BuddyId", "DisplayName", "SubscribePresence") VALUES (1002, 1102, 'late', 1)`,
			rtcsim.Row{"OwnerId": int64(1002), "BuddyId": int64(1102), "DisplayName": "late", "SubscribePresence": int64(1)}, false,
			"[DEBUG] Contact holds 3 rows of resource [1002], 2 were read before the transaction: reading them again"},
		{"a contact removed", `DELETE FROM "Contact" WHERE "OwnerId" = 1002 AND "BuddyId" = 1003`, nil, true,
			"[DEBUG] Contact holds 1 rows of resource [1002], 2 were read before the transaction: reading them again"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := startRTC(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
			lite := env.DB(t)
			var changed dump
			afterBackup = func(id int64) {
				if id != 1002 || changed != nil {
					return
				}
				if _, err := lite.ExecContext(context.Background(), c.change); err != nil {
					t.Error(err)
				}
				changed = takeDump(t, env)
			}
			defer func() { afterBackup = nil }()
			cfg := Config{SQL: sqlConfig(env)}
			cfg.Common.File = usersFile(t, "sip:user02@lynctest.local", "sip:user03@lynctest.local")
			o := runJob(t, cfg, "", 1)
			if o.code != result.ExitOK || changed == nil {
				t.Fatalf("exit %d (change made: %v)\n%s", o.code, changed != nil, o.log)
			}
			if !strings.Contains(o.log, c.log) {
				t.Errorf("the fresh read is not logged (%s):\n%s", c.log, o.log)
			}
			_, owned := changed.without(1002)
			if r := o.byUser("sip:user02@lynctest.local"); len(r) != 1 || r[0].Outcome != result.Processed || fmt.Sprint(r[0].Rows) != fmt.Sprint(owned) {
				t.Fatalf("user02 = %+v, want processed with %v", r, owned)
			}
			raw, err := os.ReadFile(backupFile(t, o.logDir))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(string(raw), `"type":"kept"`); (got == 1) != c.gone {
				t.Errorf("%d kept records, want one only for a removed row:\n%s", got, raw)
			}
			txns, _, err := readBackup(backupFile(t, o.logDir))
			if err != nil {
				t.Fatal(err)
			}
			for _, tx := range txns {
				if tx.head.ResourceID != 1002 {
					continue
				}
				got := map[string]int64{}
				for _, r := range tx.rows {
					got[r.Table]++
				}
				if fmt.Sprint(got) != fmt.Sprint(owned) {
					t.Errorf("user02's backup: %v, want what vanished: %v", got, owned)
				}
			}
			if c.late != nil && !strings.Contains(string(raw), `"values":[1002,1102,"late",true]`) {
				t.Error("the late row is not in the backup")
			}

			want, _ := changed.without(1002, 1003)
			sameDump(t, "after the run", takeDump(t, env), want)
			u := runJob(t, Config{SQL: sqlConfigNoServers(env), Undo: backupFile(t, o.logDir)}, "", 0)
			if u.code != result.ExitOK {
				t.Errorf("undo: exit %d %+v", u.code, u.records)
			}
			sameDump(t, "after --undo", takeDump(t, env), changed)
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
