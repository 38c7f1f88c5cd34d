package run

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

func TestNormalRun(t *testing.T) {
	tr := startTest(t, context.Background(), func(o *Options) {
		o.Files = []File{{Prefix: "DisableAccountBackup", Ext: ".ldif"}}
	})
	bak, err := tr.s.Open("DisableAccountBackup")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bak.WriteString("version: 1\r\n"); err != nil {
		t.Fatal(err)
	}
	in := users("sip:ann@foo.com", "sip:bob@foo.com", "sip:carl@foo.com", "sip:dora@foo.com")
	tr.s.Expect(in)
	tr.s.AddDuplicates(2)
	outcome := map[string]result.Outcome{
		"sip:ann@foo.com": result.Processed, "sip:bob@foo.com": result.NotFound,
		"sip:carl@foo.com": result.Skipped, "sip:dora@foo.com": result.Processed,
	}
	err = ForEach(tr.ctx, in, tr.s.Workers(), func(ctx context.Context, u result.Record) {
		b := tr.s.Log().Block()
		b.Infof("%s: %s", u.User, outcome[u.User])
		b.Commit()
		u.Outcome = outcome[u.User]
		tr.s.Report(u)
	})
	if err != nil {
		t.Fatal(err)
	}
	if code := tr.s.Finish(nil); code != result.ExitPartial {
		t.Errorf("exit %d, want 1 (one user not found)", code)
	}

	// One stamp for the whole set.
	if got, want := logFiles(t, tr.dir), []string{"DisableAccountBackup20240305_140709.ldif", "DisableAccountLog20240305_140709.txt"}; !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	if got := filepath.Base(tr.s.Path("DisableAccountBackup")); got != "DisableAccountBackup20240305_140709.ldif" {
		t.Errorf("Path = %s", got)
	}
	log := tr.logText(t)
	for _, want := range []string{
		">>----- 05/03/2024 14:07:09 ----->>Version: 1.0.0\r\n",
		"[INFO]  Host: WS01\r\n[INFO]  OS user: CORP\\admin\r\n[INFO]  Command: disableaccount\r\n" +
			"[INFO]  Setting file = users.txt (flag)\r\n[INFO]  Bind identity: admin@corp.local\r\n" +
			"[INFO]  Target server: ldaps://dc1:636\r\n[INFO]  Dry run: no\r\n[INFO]  UTC offset: +01:00\r\n",
		"[INFO]  sip:bob@foo.com: not_found\r\n",
		summaryBlock("2 users successfully processed", "1 users not found",
			"0 users could not be processed due to errors", "1 users skipped (nothing to do)",
			"2 duplicate lines ignored", "0 users not attempted") + "<<----- 05/03/2024 14:07:09 -----<<\r\n",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if !strings.HasSuffix(log, "<<----- 05/03/2024 14:07:09 -----<<\r\n") {
		t.Error("the closing banner is not last")
	}

	recs, sum := tr.jsonLines(t)
	if len(recs) != 4 {
		t.Errorf("%d records, want 4", len(recs))
	}
	for _, r := range recs {
		if r.Outcome != outcome[r.User] || r.Line == 0 || r.DryRun {
			t.Errorf("record %+v", r)
		}
	}
	want := result.Summary{Processed: 2, NotFound: 1, Skipped: 1, Duplicates: 2, ExitCode: 1, Log: tr.s.LogPath()}
	if sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	stderr := tr.stderr.String()
	if !strings.HasPrefix(stderr, "Summary:\n2 users successfully processed\n1 users not found\n") ||
		!strings.Contains(stderr, "Log: "+tr.s.LogPath()+"\n") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if strings.Contains(stderr, "\r") {
		t.Error("progress bar or CR on a non-terminal stderr")
	}
}

func TestFatalMidRun(t *testing.T) {
	tr := startTest(t, context.Background(), nil)
	in := users("sip:a@x.com", "sip:b@x.com", "sip:c@x.com", "sip:d@x.com", "sip:e@x.com")
	tr.s.Expect(in)
	tr.s.Report(result.Record{User: "SIP:A@X.COM", Line: 1, Outcome: result.Processed}) // keys are case-insensitive
	tr.s.Report(result.Record{User: "sip:b@x.com", Line: 2, Outcome: result.Error, Detail: "constraint"})
	runErr := result.Fatal(errors.New("sql1: connection lost and not regained"))
	if code := tr.s.Finish(runErr); code != result.ExitFatal {
		t.Errorf("exit %d, want 3", code)
	}
	recs, sum := tr.jsonLines(t)
	var missing []string
	for _, r := range recs[2:] {
		if r.Outcome != result.NotAttempted || !strings.Contains(r.Detail, "connection lost") {
			t.Errorf("record %+v", r)
		}
		missing = append(missing, r.User)
	}
	if want := []string{"sip:c@x.com", "sip:d@x.com", "sip:e@x.com"}; !slices.Equal(missing, want) {
		t.Errorf("not attempted %v, want %v", missing, want)
	}
	if sum.NotAttempted != 3 || sum.Processed != 1 || sum.Errors != 1 || sum.ExitCode != 3 {
		t.Errorf("summary %+v", sum)
	}
	log := tr.logText(t)
	for _, want := range []string{
		"[ERROR] sql1: connection lost and not regained\r\n",
		"[INFO]  sip:c@x.com (line 3): not attempted\r\n",
		"[INFO]  3 users not attempted\r\n",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	if !strings.Contains(tr.stderr.String(), "error: sql1: connection lost") {
		t.Errorf("stderr: %s", tr.stderr)
	}
}

func TestUsageErrorAfterStart(t *testing.T) {
	tr := startTest(t, context.Background(), nil)
	tr.s.Expect(users("sip:a@x.com"))
	if code := tr.s.Finish(result.Usage(errors.New("users.txt line 3: '*' is not allowed"))); code != result.ExitUsage {
		t.Errorf("exit %d, want 2", code)
	}
	_, sum := tr.jsonLines(t)
	if sum.ExitCode != 2 || sum.NotAttempted != 1 {
		t.Errorf("summary %+v", sum)
	}
	if !strings.Contains(tr.logText(t), "[INFO]  Summary:\r\n") {
		t.Error("no summary in the log")
	}
}

func TestInterruptByContext(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr := startTest(t, parent, nil)
	in := users("sip:1@x.com", "sip:2@x.com", "sip:3@x.com", "sip:4@x.com", "sip:5@x.com")
	tr.s.Expect(in)
	var sawCancelled bool
	err := ForEach(tr.ctx, in, 1, func(ctx context.Context, u result.Record) {
		if u.Line == 2 {
			cancel() // Ctrl-C while user 2 is in flight
		}
		sawCancelled = sawCancelled || ctx.Err() != nil
		u.Outcome = result.Processed
		tr.s.Report(u)
	})
	if err != nil {
		t.Fatal(err)
	}
	if sawCancelled {
		t.Error("the user in flight saw a cancelled context: it must be allowed to finish")
	}
	if code := tr.s.Finish(nil); code != result.ExitInterrupted {
		t.Errorf("exit %d, want 130", code)
	}
	_, sum := tr.jsonLines(t)
	if sum.Processed != 2 || sum.NotAttempted != 3 || sum.ExitCode != 130 {
		t.Errorf("summary %+v", sum)
	}
	log := tr.logText(t)
	for _, want := range []string{"[WARN]  Run interrupted: 3 users not attempted\r\n", "[INFO]  3 users not attempted\r\n"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
}

func TestDryRunAndParts(t *testing.T) {
	tr := startTest(t, context.Background(), func(o *Options) {
		o.Tool, o.Command, o.DryRun = "DeleteAccount", "deleteaccount", true
	})
	tr.s.Expect(users("sip:a@x.com"))
	tr.s.Report(result.Record{User: "sip:a@x.com", Line: 1, Outcome: result.Processed},
		result.Record{User: "sip:a@x.com", Line: 1, Server: "sql1", Outcome: result.Processed, Rows: map[string]int64{"RtcItem": 4}},
		result.Record{User: "sip:a@x.com", Line: 1, Server: "sql2", Outcome: result.NotFound})
	if code := tr.s.Finish(nil); code != result.ExitOK {
		t.Errorf("exit %d, want 0", code)
	}
	recs, sum := tr.jsonLines(t)
	if len(recs) != 2 || recs[0].Server != "sql1" || recs[1].Server != "sql2" || recs[0].Rows["RtcItem"] != 4 {
		t.Errorf("records %+v: want the two per-server parts", recs)
	}
	for _, r := range recs {
		if !r.DryRun {
			t.Errorf("record without dry_run: %+v", r)
		}
	}
	if sum.Processed != 1 || sum.NotFound != 0 || !sum.DryRun {
		t.Errorf("summary %+v: the overall outcome is what counts", sum)
	}
	log := tr.logText(t)
	for _, want := range []string{"[INFO]  Dry run: yes (nothing will be changed)\r\n", "[INFO]  Dry run: nothing was changed\r\n"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	if !strings.HasPrefix(filepath.Base(tr.s.LogPath()), "DeleteAccountLog20240305_140709") {
		t.Errorf("log %s", tr.s.LogPath())
	}
}

func TestExportStatsNoJSON(t *testing.T) {
	tr := startTest(t, context.Background(), func(o *Options) {
		o.Tool, o.Common.JSON = "ExportContacts", false
	})
	tr.s.Report(result.Record{User: "sip:a@x.com", Outcome: result.Processed}) // -f ALL: nothing expected
	tr.s.SetContactStats(result.ContactStats{Largest: 3, Total: 3, Average: 3})
	if code := tr.s.Finish(nil); code != 0 {
		t.Errorf("exit %d", code)
	}
	if tr.stdout.Len() != 0 {
		t.Errorf("stdout without --json: %q", tr.stdout)
	}
	if !strings.Contains(tr.logText(t), "[INFO]  Largest contact list size: 3\r\n[INFO]  Total number of contacts found: 3\r\n[INFO]  Average contact list size: 3.0\r\n") {
		t.Error("contact statistics missing from the log")
	}
	if !strings.Contains(tr.stderr.String(), "Average contact list size: 3.0\n") {
		t.Errorf("stderr: %s", tr.stderr)
	}
}

func TestFinishOnceAndLateReports(t *testing.T) {
	tr := startTest(t, context.Background(), nil)
	tr.s.Expect(users("sip:a@x.com"))
	tr.s.Report(result.Record{User: "sip:a@x.com", Outcome: "done"}) // invalid: counts as an error
	first := tr.s.Finish(nil)
	tr.s.Report(result.Record{User: "sip:late@x.com", Outcome: result.Processed})
	if second := tr.s.Finish(result.Fatal(errors.New("x"))); first != 1 || second != 1 {
		t.Errorf("Finish = %d then %d, want 1 both times", first, second)
	}
	recs, sum := tr.jsonLines(t)
	if len(recs) != 1 || recs[0].Outcome != result.Error || !strings.Contains(recs[0].Detail, "invalid outcome") {
		t.Errorf("records %+v", recs)
	}
	if sum.Errors != 1 || sum.Processed != 0 {
		t.Errorf("summary %+v", sum)
	}
	if n := strings.Count(tr.logText(t), "[INFO]  Summary:"); n != 1 {
		t.Errorf("%d summaries in the log", n)
	}
}

func TestStartErrors(t *testing.T) {
	base := func() Options {
		return Options{Tool: "DisableAccount", Common: Common{LogDir: t.TempDir(), Stdout: &strings.Builder{}, Stderr: &strings.Builder{}}}
	}
	badLevel := base()
	badLevel.Common.LogLevel = "verbose"
	noDir := base()
	noDir.Common.LogDir = filepath.Join(t.TempDir(), "missing")
	tests := []struct {
		name string
		o    Options
		code int
	}{
		{"bad log level", badLevel, result.ExitUsage},
		{"log folder missing", noDir, result.ExitFatal},
	}
	if runtime.GOOS != "windows" && os.Geteuid() != 0 {
		ro := base()
		if err := os.Chmod(ro.Common.LogDir, 0o500); err != nil {
			t.Fatal(err)
		}
		tests = append(tests, struct {
			name string
			o    Options
			code int
		}{"log folder read-only", ro, result.ExitFatal})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, err := Start(context.Background(), tt.o)
			if err == nil {
				s.Finish(nil)
				t.Fatal("Start succeeded")
			}
			if got := result.CodeOf(err); got != tt.code {
				t.Errorf("CodeOf(%v) = %d, want %d", err, got, tt.code)
			}
		})
	}
}

func TestFail(t *testing.T) {
	var out, errOut strings.Builder
	c := Common{JSON: true, Stdout: &out, Stderr: &errOut}
	if code := Fail(c, result.Usage(errors.New("users.txt: no such file"))); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if errOut.String() != "error: users.txt: no such file\n" {
		t.Errorf("stderr %q", errOut.String())
	}
	if out.String() != `{"summary":{"processed":0,"not_found":0,"errors":0,"skipped":0,"not_attempted":0,"duplicates":0,"dry_run":false,"exit_code":2}}`+"\n" {
		t.Errorf("stdout %q", out.String())
	}
	if code := Fail(Common{Stdout: &out, Stderr: &errOut}, errors.New("log folder: permission denied")); code != 3 {
		t.Errorf("unmarked error: exit %d, want 3", code)
	}
}

func TestDefaultLogDir(t *testing.T) {
	dir, err := DefaultLogDir()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.Getwd()
	if runtime.GOOS == "windows" {
		exe, _ := os.Executable()
		want = filepath.Dir(exe)
	}
	if dir != want {
		t.Errorf("DefaultLogDir = %s, want %s", dir, want)
	}
}

// The end of a normal run is not an interruption, before or after Finish.
func TestNotInterruptedAfterFinish(t *testing.T) {
	tr := startTest(t, context.Background(), nil)
	if tr.s.Interrupted() {
		t.Error("interrupted at start")
	}
	tr.s.Finish(nil)
	if tr.s.Interrupted() {
		t.Error("Finish must not count as an interruption")
	}
	if tr.ctx.Err() == nil {
		t.Error("the session context must be released by Finish")
	}
}

// A session that counts states (verify) adds a count per state to the
// summary, in the log, on stderr and in the JSON object; users without a
// state (a malformed line, a user never reached) count in no state.
func TestStatesCounted(t *testing.T) {
	tr := startTest(t, context.Background(), func(o *Options) {
		o.Tool, o.Command, o.States = "Verify", "verify", true
		o.Host, o.OSUser = "WS02", `CORP\auditor`
	})
	if tr.s.Host() != "WS02" || tr.s.OSUser() != `CORP\auditor` {
		t.Errorf("Host/OSUser = %q/%q", tr.s.Host(), tr.s.OSUser())
	}
	tr.s.Expect(users("sip:a@x.com", "sip:b@x.com", "sip:c@x.com", "bad line", "sip:e@x.com"))
	tr.s.Report(result.Record{User: "sip:a@x.com", Outcome: result.Processed, State: result.StateMigrated})
	tr.s.Report(result.Record{User: "sip:b@x.com", Outcome: result.Error, State: result.StateNotDeleted})
	tr.s.Report(result.Record{User: "sip:c@x.com", Outcome: result.NotFound, State: result.StateNotFound})
	tr.s.Report(result.Record{User: "bad line", Outcome: result.Error, Detail: "is not a SIP address"})
	if code := tr.s.Finish(nil); code != result.ExitPartial {
		t.Errorf("exit %d, want 1", code)
	}
	_, sum := tr.jsonLines(t)
	want := result.StateCounts{Migrated: 1, NotDeleted: 1, NotFound: 1}
	if sum.States == nil || *sum.States != want {
		t.Errorf("summary states %+v, want %+v", sum.States, want)
	}
	log := tr.logText(t)
	for _, l := range []string{"[INFO]  1 users migrated\r\n", "[INFO]  0 users not_disabled\r\n", "[INFO]  1 users not_deleted\r\n", "[INFO]  1 users not_found\r\n"} {
		if !strings.Contains(log, l) {
			t.Errorf("log lacks %q", l)
		}
	}
	if !strings.Contains(tr.stderr.String(), "\n1 users not_deleted\n") {
		t.Errorf("stderr lacks the state lines:\n%s", tr.stderr)
	}
}
