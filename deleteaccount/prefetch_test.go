package deleteaccount

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// The set-based reads (SPEC 3.8): users are looked up and their rows read a
// chunk at a time. With chunks of 2 (users spread over five chunks, read
// ahead while workers delete) and of 250 (one chunk), every found user takes
// its ResourceId from its chunk's lookup (case-insensitively, as the
// collation compares), only the missing user takes the per-user lookup,
// each user's backup transaction holds exactly the rows it owned, the
// database loses exactly those, and --undo gives the dump back.
func TestSetBasedReadsAcrossChunks(t *testing.T) {
	for _, v := range []rtcschema.Version{rtcschema.Lync2013, rtcschema.Lync2010} {
		for _, size := range []int{2, 250} {
			t.Run(fmt.Sprintf("%s/chunk=%d", v, size), func(t *testing.T) {
				orig := chunkSize
				chunkSize = size
				defer func() { chunkSize = orig }()
				env := startRTC(t, string(v), seedSQL(v, population()))
				before := takeDump(t, env)
				lines := []string{"sip:ghost@lynctest.local"}
				var ids []int
				for i := 1; i <= 9; i++ {
					lines = append(lines, fmt.Sprintf("sip:user%02d@lynctest.local", i))
					if i != 9 {
						ids = append(ids, 1000+i)
					}
				}
				cfg := Config{SQL: sqlConfig(env)}
				cfg.Common.File = usersFile(t, lines...)
				o := runJob(t, cfg, "", 3)
				if o.code != result.ExitPartial || o.summary.Processed != 8 || o.summary.Skipped != 1 || o.summary.NotFound != 1 {
					t.Fatalf("exit %d summary %+v\n%s", o.code, o.summary, o.log)
				}
				want, _ := before.without(ids...)
				sameDump(t, "after the delete", takeDump(t, env), want)

				for i := 1; i <= 9; i++ {
					id := 1000 + i
					if !strings.Contains(o.log, fmt.Sprintf("[DEBUG] ResourceId [%d] from the set-based lookup of its chunk\r\n", id)) {
						t.Errorf("user %d: not found by its chunk's lookup", id)
					}
				}
				if n := strings.Count(o.log, "[DEBUG] SQL is ["+lookupSQL+"]"); n != 1 ||
					!strings.Contains(o.log, "["+lookupSQL+"] with @p1 = [ghost@lynctest.local]") {
					t.Errorf("%d per-user lookups, want 1 (ghost)", n)
				}

				txns, _, err := readBackup(backupFile(t, o.logDir))
				if err != nil {
					t.Fatal(err)
				}
				if len(txns) != len(ids) {
					t.Errorf("%d backup transactions, want %d", len(txns), len(ids))
				}
				for _, tx := range txns {
					_, owned := before.without(int(tx.head.ResourceID))
					got := map[string]int64{}
					for _, r := range tx.rows {
						got[r.Table]++
						if r.Table == "Contact" && fmt.Sprint(r.Values[0]) != fmt.Sprint(tx.head.ResourceID) {
							t.Errorf("user %d: backup holds %s's Contact row %v", tx.head.ResourceID, r.Values[0], r.Values)
						}
					}
					if fmt.Sprint(got) != fmt.Sprint(owned) {
						t.Errorf("user %d: backup rows %v, owned %v", tx.head.ResourceID, got, owned)
					}
				}

				undo := runJob(t, Config{SQL: sqlConfigNoServers(env), Undo: backupFile(t, o.logDir)}, "", 2)
				if undo.code != result.ExitOK {
					t.Fatalf("undo exit %d\n%s", undo.code, undo.log)
				}
				sameDump(t, "after --undo", takeDump(t, env), before)
			})
		}
	}
}
