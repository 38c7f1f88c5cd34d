package verify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// An interrupted run (here before it reached any server) still ends with
// the log's summary, exit 130, every user not_attempted, and a report that
// lists them as not checked and says the run was interrupted.
func TestInterruptedRunStillReports(t *testing.T) {
	dir := t.TempDir()
	users := usersFile(t, "sip:ann@foo.com", "bob@foo.com", "sip@bad@foo.com")
	report := filepath.Join(dir, "r.html")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr strings.Builder
	code := Run(ctx, Config{
		Common: run.Common{File: users, LogLevel: "info", LogDir: dir, JSON: true, Version: "test", Stdout: &stdout, Stderr: &stderr},
		LDAP: adclient.Config{Server: "ldap://" + testenv.ClosedAddr(t), Auth: adclient.AuthSimple, BindDN: "a@foo.com",
			PasswordFunc: func() (string, error) { return "pw", nil }},
		SQL:    rtcclient.Config{Servers: []string{testenv.ClosedAddr(t)}, Auth: rtcclient.AuthSQL, User: "sa"},
		Report: report,
	})
	if code != result.ExitInterrupted {
		t.Fatalf("exit %d, want 130\nstderr:\n%s", code, stderr.String())
	}
	for _, want := range []string{"2 users not attempted", "1 users could not be processed due to errors", "0 users migrated"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	p := parsePage(t, report)
	p.selfContained(t)
	for _, want := range []string{"Incomplete: the run was interrupted", "Not checked: 3", "sip:ann@foo.com", "sip:bob@foo.com", "sip@bad@foo.com",
		"not checked: the run was interrupted", "Every user (3)"} {
		if !strings.Contains(p.text, want) {
			t.Errorf("report lacks %q:\n%s", want, p.text)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".verify-report-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if _, err := os.Stat(report); err != nil {
		t.Fatal(err)
	}
}
