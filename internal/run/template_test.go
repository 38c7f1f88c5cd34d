package run

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// LoadInput: every user and malformed line expected, malformed lines
// reported as errors with their line, duplicates WARNed and counted, DN:
// lines left to the job; an input error is a usage error.
func TestLoadInput(t *testing.T) {
	tr := startTest(t, context.Background(), func(o *Options) {
		o.Common.File = filepath.Join(t.TempDir(), "users.txt")
		os.WriteFile(o.Common.File, []byte("sip:ann@foo.com\r\nsip@chuck@x.com\r\nSIP:Ann@foo.com\r\nDN:OU=Sales,DC=foo,DC=com\r\nsip:bob@foo.com\r\n"), 0o600)
	})
	list, err := tr.s.LoadInput(input.Options{Command: input.Export})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Entries) != 3 {
		t.Fatalf("entries %+v", list.Entries)
	}
	tr.s.Report(result.Record{User: "sip:ann@foo.com", Line: 1, Outcome: result.Processed})
	if code := tr.s.Finish(nil); code != result.ExitPartial {
		t.Errorf("exit %d, want 1", code)
	}
	recs, sum := tr.jsonLines(t)
	if sum.Errors != 1 || sum.Processed != 1 || sum.NotAttempted != 1 || sum.Duplicates != 1 {
		t.Errorf("summary %+v: want the malformed line an error, bob not attempted, one duplicate", sum)
	}
	if recs[0].User != "sip@chuck@x.com" || recs[0].Line != 2 || recs[0].Outcome != result.Error {
		t.Errorf("first record %+v", recs[0])
	}
	log := tr.logText(t)
	for _, want := range []string{
		`[ERROR] ` + list.File + ` line 2: "sip@chuck@x.com": `,
		`[WARN]  ` + list.File + ` line 3: sip:Ann@foo.com is a duplicate of line 1: ignored`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}

	tr = startTest(t, context.Background(), func(o *Options) { o.Common.File = filepath.Join(t.TempDir(), "missing.txt") })
	if _, err := tr.s.LoadInput(input.Options{Command: input.Disable}); !result.IsUsage(err) {
		t.Errorf("missing file: %v, want a usage error", err)
	}
}

// Stop: no further user is handed out, Finish reports the error (exit 3) and
// the rest not_attempted; the cancellation it caused is neither an
// interruption nor a second error.
func TestStop(t *testing.T) {
	tr := startTest(t, context.Background(), nil)
	in := users("sip:1@x.com", "sip:2@x.com", "sip:3@x.com", "sip:4@x.com")
	tr.s.Expect(in)
	err := ForEach(tr.ctx, in, 1, func(ctx context.Context, u result.Record) {
		if u.Line == 2 {
			tr.s.Stop(errors.New("sql1 lost and not regained"))
			tr.s.Stop(errors.New("a second loss")) // only the first counts
		}
		u.Outcome = result.Processed
		tr.s.Report(u)
	})
	if err != nil {
		t.Fatal(err)
	}
	if tr.s.Interrupted() {
		t.Error("Stop counted as an interruption")
	}
	if code := tr.s.Finish(tr.ctx.Err()); code != result.ExitFatal {
		t.Errorf("exit %d, want 3", code)
	}
	recs, sum := tr.jsonLines(t)
	if sum.Processed != 2 || sum.NotAttempted != 2 {
		t.Errorf("summary %+v", sum)
	}
	if !strings.Contains(recs[len(recs)-1].Detail, "run stopped: sql1 lost and not regained") {
		t.Errorf("not attempted record %+v", recs[len(recs)-1])
	}
	log := tr.logText(t)
	if !strings.Contains(log, "[ERROR] sql1 lost and not regained\r\n") || strings.Contains(log, "second loss") || strings.Contains(log, "context canceled") {
		t.Errorf("log:\n%s", log)
	}
}

// Password: read once, and the password redacted from every later line.
func TestPasswordRedactedOnce(t *testing.T) {
	tr := startTest(t, context.Background(), nil)
	calls := 0
	pf := tr.s.Password(func() (string, error) { calls++; return "hunter2-xyz", nil })
	for range 3 {
		if p, err := pf(); p != "hunter2-xyz" || err != nil {
			t.Fatalf("password %q, %v", p, err)
		}
	}
	if calls != 1 {
		t.Errorf("the source was asked %d times", calls)
	}
	if tr.s.Password(nil) != nil {
		t.Error("no password function must stay nil")
	}
	tr.s.Log().Errorf("bind failed for hunter2-xyz")
	tr.s.Finish(nil)
	if log := tr.logText(t); strings.Contains(log, "hunter2-xyz") || !strings.Contains(log, "bind failed for <redacted>") {
		t.Errorf("log:\n%s", log)
	}
}

// The connection settings of a run: passwords wrapped, one pool policy.
func TestConnectionSettings(t *testing.T) {
	tr := startTest(t, context.Background(), func(o *Options) { o.Common.Workers = 8 })
	ldap := tr.s.LDAP(adclient.Config{Server: "dc1", PasswordFunc: func() (string, error) { return "ldap-pw-1", nil }})
	sql := tr.s.SQL(rtcclient.Config{PasswordFunc: func() (string, error) { return "sql-pw-1", nil }})
	if ldap.Conns != 4 || sql.Conns != 8 {
		t.Errorf("pools: LDAP %d (want 4), SQL %d (want 8)", ldap.Conns, sql.Conns)
	}
	if c := tr.s.LDAP(adclient.Config{Conns: 1}); c.Conns != 1 {
		t.Errorf("a pool the config sets is kept: %d", c.Conns)
	}
	ldap.PasswordFunc()
	sql.PasswordFunc()
	tr.s.Log().Errorf("ldap-pw-1 sql-pw-1")
	tr.s.Finish(nil)
	if log := tr.logText(t); !strings.Contains(log, "[ERROR] <redacted> <redacted>\r\n") {
		t.Errorf("log:\n%s", log)
	}
	for w, want := range map[int]int{1: 1, 2: 1, 4: 2, 8: 4, 64: 4} {
		if got := LDAPConns(w); got != want {
			t.Errorf("LDAPConns(%d) = %d, want %d", w, got, want)
		}
	}
}

// Human output goes to stdout, or to stderr when stdout carries JSON.
func TestHuman(t *testing.T) {
	tr := startTest(t, context.Background(), nil) // --json
	if tr.s.Human() != tr.s.Stderr() {
		t.Error("--json: human output must go to stderr")
	}
	tr = startTest(t, context.Background(), func(o *Options) { o.Common.JSON = false })
	if tr.s.Human() != tr.s.stdout {
		t.Error("human output must go to stdout")
	}
}

// Execute: Start, the body, Finish; a Start error goes to Fail; a panic in
// the body still writes the summary (exit 3).
func TestExecute(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr strings.Builder
	o := Options{Tool: "VerifyTest", Common: Common{LogDir: dir, LogLevel: "info", Stdout: &stdout, Stderr: &stderr,
		Now: func() time.Time { return testStart }}}
	var got *Session
	code := Execute(context.Background(), o, func(ctx context.Context, s *Session) error {
		got = s
		s.Expect(users("sip:a@x.com"))
		panic("bug")
	})
	if code != result.ExitFatal || got == nil {
		t.Fatalf("exit %d", code)
	}
	b, _ := os.ReadFile(got.LogPath())
	if !strings.Contains(string(b), "[ERROR] internal error: panic: bug") || !strings.Contains(string(b), "[INFO]  1 users not attempted\r\n") {
		t.Errorf("log:\n%s", b)
	}
	o.Common.LogLevel = "loud"
	if code := Execute(context.Background(), o, func(context.Context, *Session) error { t.Error("body ran"); return nil }); code != result.ExitUsage {
		t.Errorf("bad level: exit %d, want 2", code)
	}
	o.Common.LogLevel = ""
	if code := Execute(context.Background(), o, func(context.Context, *Session) error { return result.Usage(errors.New("users.txt line 1: *")) }); code != result.ExitUsage {
		t.Errorf("input error: exit %d, want 2", code)
	}
}
