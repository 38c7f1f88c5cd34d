//go:build unix

package deleteaccount

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// interruptAfter sends the process one SIGINT when the n-th processed
// user's JSON line is written, as an operator's Ctrl-C in the middle of a
// batch. Only processed lines count: the not_attempted ones are written
// after the session stopped listening, when a SIGINT would kill the test.
type interruptAfter struct {
	mu       sync.Mutex
	n, lines int
}

func (w *interruptAfter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines += bytes.Count(p, []byte(`"outcome":"processed"`))
	if w.n > 0 && w.lines >= w.n {
		w.n = 0
		syscall.Kill(syscall.Getpid(), syscall.SIGINT)
	}
	return len(p), nil
}

// Ctrl-C in the middle of a batch: exit 130; the users in flight finish;
// every user is either untouched or fully deleted with its committed backup
// transaction; the rest are not_attempted and the log's summary says how many.
func TestInterrupted(t *testing.T) {
	const n = 120
	var pop []seedUser
	var lines []string
	for i := range n {
		u := seedUser{id: 2000 + i, address: fmt.Sprintf("user%03d@lynctest.local", i)}
		pop = append(pop, u)
		lines = append(lines, "sip:"+u.address)
	}
	env := startRTC(t, "lync2013", seedSQL(rtcschema.Lync2013, pop))
	before := takeDump(t, env)
	cfg := Config{SQL: sqlConfig(env)}
	cfg.Common.File = usersFile(t, lines...)
	cfg.Common.LogLevel = "info"
	cfg.Common.Stdout = &interruptAfter{n: 15}
	o := runJob(t, cfg, "", 2)
	if o.code != result.ExitInterrupted {
		t.Fatalf("exit %d, want 130\n%s", o.code, o.stderr)
	}
	count := map[result.Outcome]int{}
	var deleted []int
	for i, u := range pop {
		r := o.byUser("sip:" + u.address)
		if len(r) != 1 {
			t.Fatalf("%s: %d records", u.address, len(r))
		}
		count[r[0].Outcome]++
		switch r[0].Outcome {
		case result.Processed:
			deleted = append(deleted, pop[i].id)
		case result.NotAttempted:
		default:
			t.Errorf("%s: %s (%s), want processed or not_attempted", u.address, r[0].Outcome, r[0].Detail)
		}
	}
	t.Logf("outcomes after the interruption: %v", count)
	if count[result.Processed] < 15 || count[result.NotAttempted] == 0 {
		t.Fatalf("outcomes %v: want ≥ 15 processed and some not attempted", count)
	}
	if o.summary.Processed != count[result.Processed] || o.summary.NotAttempted != count[result.NotAttempted] {
		t.Errorf("summary %+v, records %v", o.summary, count)
	}
	if want := fmt.Sprintf("[INFO]  %d users not attempted\r\n", count[result.NotAttempted]); !strings.Contains(o.log, want) {
		t.Errorf("log lacks %q", want)
	}
	if !strings.Contains(o.log, "\r\n<<----- ") {
		t.Error("log lacks the closing banner")
	}

	// The database is the one before minus exactly the processed users'
	// rows; each of them has a committed backup transaction with those rows.
	want, _ := before.without(deleted...)
	sameDump(t, "after the interruption", takeDump(t, env), want)
	// Transactions begun (with their chunk) for users never reached are
	// marked aborted: --undo must not see them as cut short.
	txns, warnings, err := readBackup(backupFile(t, o.logDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("%d backup warnings, the first: %s", len(warnings), warnings[0])
	}
	byID := map[int64]*undoTxn{}
	for _, tx := range txns {
		if !tx.committed {
			t.Errorf("%s: backup transaction not committed", tx.head.User)
		}
		byID[tx.head.ResourceID] = tx
	}
	if len(txns) != len(deleted) {
		t.Errorf("%d backup transactions for %d deleted users", len(txns), len(deleted))
	}
	for _, id := range deleted {
		_, rows := before.without(id)
		total := int64(0)
		for _, c := range rows {
			total += c
		}
		if tx := byID[int64(id)]; tx == nil || int64(len(tx.rows)) != total {
			t.Errorf("user %d: backup %v, want %d rows", id, tx, total)
		}
	}
}
