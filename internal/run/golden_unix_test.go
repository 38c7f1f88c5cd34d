//go:build unix

package run

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// settableClock lets the closing banner carry a later time than the opening one.
type settableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settableClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *settableClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// The whole log of a run interrupted by a real SIGINT, through the session
// path the jobs use (Start, Expect, Report, ForEach, the signal handler,
// Finish), against a golden written by hand from SPEC 3.3: banner, audit
// header, the user in flight finishing, the rest not attempted, the summary
// with "N users not attempted", CRLF, exit 130. stderr is pinned too.
func TestGoldenInterruptedSession(t *testing.T) {
	clock := &settableClock{t: testStart}
	tr := startTest(t, context.Background(), func(o *Options) { o.Common.Now = clock.Now })
	// users.txt: ann, bob, carl, SIP:Ann (duplicate), dora, emil, sip@chuck (malformed)
	tr.s.Expect([]result.Record{
		{User: "sip:ann@foo.com", Line: 1}, {User: "sip:bob@foo.com", Line: 2}, {User: "sip:carl@foo.com", Line: 3},
		{User: "sip:dora@foo.com", Line: 5}, {User: "sip:emil@foo.com", Line: 6}, {User: "sip@chuck@foo.com", Line: 7},
	})
	tr.s.Log().Errorf(`users.txt line 7: "sip@chuck@foo.com": starts with "sip@" instead of "sip:"`)
	tr.s.Report(result.Record{User: "sip@chuck@foo.com", Line: 7, Outcome: result.Error, Detail: `starts with "sip@" instead of "sip:"`})
	tr.s.Log().Warnf("users.txt line 4: SIP:Ann@foo.com is a duplicate of line 1: ignored")
	tr.s.AddDuplicates(1)

	work := []result.Record{{User: "sip:ann@foo.com", Line: 1}, {User: "sip:bob@foo.com", Line: 2},
		{User: "sip:carl@foo.com", Line: 3}, {User: "sip:dora@foo.com", Line: 5}, {User: "sip:emil@foo.com", Line: 6}}
	err := ForEach(tr.ctx, work, 1, func(ctx context.Context, u result.Record) {
		b := tr.s.Log().Block()
		switch u.Line {
		case 1:
			b.Infof("%s: disabled", u.User)
			u.Outcome = result.Processed
		case 2: // Ctrl-C while bob is in flight: he finishes, nobody else starts
			if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
				t.Error(err)
			}
			select {
			case <-tr.ctx.Done():
			case <-time.After(5 * time.Second):
				t.Error("SIGINT did not cancel the session context")
			}
			b.Infof("%s: not found", u.User)
			u.Outcome = result.NotFound
		default:
			t.Errorf("%s was started after the interrupt", u.User)
			u.Outcome = result.Processed
		}
		b.Commit()
		tr.s.Report(u)
	})
	if err != nil {
		t.Fatal(err)
	}
	clock.Set(testStart.Add(49 * time.Second))
	if code := tr.s.Finish(nil); code != result.ExitInterrupted {
		t.Errorf("exit %d, want 130", code)
	}

	want, err := os.ReadFile(filepath.Join("testdata", "interrupted_session.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.logText(t); got != string(want) {
		t.Errorf("log differs from testdata/interrupted_session.txt:\n%s", firstDiff(got, string(want)))
	}
	wantErr, err := os.ReadFile(filepath.Join("testdata", "interrupted_session.stderr"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tr.stderr.String(), strings.ReplaceAll(string(wantErr), "LOGPATH", tr.s.LogPath()); got != want {
		t.Errorf("stderr differs from testdata/interrupted_session.stderr:\n%s", firstDiff(got, want))
	}
	_, sum := tr.jsonLines(t)
	if sum.NotAttempted != 3 || sum.ExitCode != result.ExitInterrupted {
		t.Errorf("JSON summary %+v", sum)
	}
}

// firstDiff shows the first differing line, line ends visible.
func firstDiff(got, want string) string {
	g, w := strings.SplitAfter(got, "\n"), strings.SplitAfter(want, "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d\n got %q\nwant %q", i+1, a, b)
		}
	}
	return "(same lines)"
}
