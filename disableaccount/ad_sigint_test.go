//go:build unix

package disableaccount

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// interruptAfter sends the process one SIGINT when the n-th processed
// user's JSON line is written, as an operator's Ctrl-C in the middle of a
// batch. Only processed records count: the not_attempted ones are written
// after the session stopped listening, when a SIGINT would kill the test.
type interruptAfter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	n     int
	lines int
}

func (w *interruptAfter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines += bytes.Count(p, []byte(`"outcome":"processed"`))
	if w.n > 0 && w.lines >= w.n {
		w.n = 0
		syscall.Kill(syscall.Getpid(), syscall.SIGINT)
	}
	return w.buf.Write(p)
}

func (w *interruptAfter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestADDisableInterrupted(t *testing.T) {
	e := testenv.AD(t)
	ou, sam, dom := seedOU(t, "sigint")
	const n = 400
	var users []testenv.SeedUser
	var lines []string
	for i := range n {
		cn := fmt.Sprintf("s%03d", i)
		users = append(users, testenv.SeedUser{CN: cn, SAM: sam(cn), SIP: "sip:" + cn + dom,
			Enabled: new(true), HomeServer: true, Attrs: map[string][]string{"msRTCSIP-TargetHomeServer": {e.PoolDN()}}})
		lines = append(lines, users[i].SIP)
	}
	testenv.AddUsers(t, ou, users)
	before := parseDump(t, testenv.DumpLDIF(t, ou))

	cfg := testConfig(e, writeLines(t, lines), t.TempDir())
	cfg.Common.Workers = 2
	out := &interruptAfter{n: 60}
	cfg.Common.Stdout = out
	o := runJob(t, cfg)
	if o.code != result.ExitInterrupted {
		t.Fatalf("exit %d; want 130\n%s", o.code, o.stderr)
	}
	c := o.counts()
	t.Logf("outcomes after the interruption: %v", c)
	if c[result.Processed] < 60 || c[result.NotAttempted] == 0 || c[result.Processed]+c[result.NotAttempted] != n {
		t.Fatalf("outcomes %v; want processed ≥ 60, some not_attempted, %d in all", c, n)
	}
	if o.summary.Processed != c[result.Processed] || o.summary.NotAttempted != c[result.NotAttempted] {
		t.Errorf("summary %+v; records %v", o.summary, c)
	}
	if !strings.Contains(o.log, fmt.Sprintf("[INFO]  %d users successfully processed\r\n", c[result.Processed])) ||
		!strings.Contains(o.log, fmt.Sprintf("[INFO]  %d users not attempted\r\n", c[result.NotAttempted])) {
		t.Errorf("the log's summary disagrees with the records %v", c)
	}

	// Every user is untouched or fully changed; the changed ones are exactly
	// the processed ones, and each has its backup record.
	after := parseDump(t, testenv.DumpLDIF(t, ou))
	bak, err := parseLDIF(strings.NewReader(o.backup), "backup")
	if err != nil {
		t.Fatal(err)
	}
	inBackup := map[string]bool{}
	for _, r := range bak {
		inBackup[strings.ToLower(r.DN)] = true
	}
	want := before.clone()
	changed := 0
	for i, u := range users {
		dn := strings.ToLower("CN=" + u.CN + "," + ou)
		r := o.records[strings.ToLower(u.SIP)]
		switch r.Outcome {
		case result.Processed:
			want.disabled(dn)
			changed++
			if !inBackup[dn] {
				t.Errorf("%s changed without a backup record", u.SIP)
			}
		case result.NotAttempted:
			if inBackup[dn] {
				t.Errorf("%s not attempted but in the backup", u.SIP)
			}
		default:
			t.Errorf("user %d %s: %+v", i, u.SIP, r)
		}
	}
	checkDump(t, "after the interruption", want, after)
	if len(bak) != changed {
		t.Errorf("%d backup records for %d changed users", len(bak), changed)
	}
}
