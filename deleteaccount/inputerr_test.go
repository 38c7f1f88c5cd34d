package deleteaccount

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// listenCounter is a TCP listener standing in for a SQL Server: it counts
// the connections it accepts, so a test can assert none was attempted.
func listenCounter(t *testing.T) (addr string, accepted *atomic.Int32) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	accepted = new(atomic.Int32)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	return l.Addr().String(), accepted
}

// An input error (SPEC 3.2) ends with exit 2 before any connection, and
// still with the log's summary and closing banner (SPEC 3.3), as
// disableaccount's do; no backup file is left behind.
func TestInputErrorWritesSummary(t *testing.T) {
	badUndo := filepath.Join(t.TempDir(), "DeleteAccountBackup20260101_120000.jsonl")
	if err := os.WriteFile(badUndo, []byte("{not json\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		lines []string
		max   int
		undo  string
		why   string // in the log's [ERROR] line
	}{
		{name: "wildcard", lines: []string{"sip:user01@lynctest.local", "sip:*@lynctest.local"}, why: "wildcard"},
		{name: "ALL line", lines: []string{"ALL"}, why: "ALL"},
		{name: "max users", lines: []string{"sip:a@x.local", "sip:b@x.local", "sip:c@x.local"}, max: 2, why: "--max-users"},
		{name: "bad undo file", undo: badUndo, why: badUndo},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			addr, accepted := listenCounter(t)
			cfg := Config{SQL: rtcclient.Config{Auth: rtcclient.AuthSQL, User: "sa", Servers: []string{addr},
				PasswordFunc: func() (string, error) { return "pw", nil }}, MaxUsers: c.max, Undo: c.undo}
			if c.undo == "" {
				cfg.Common.File = usersFile(t, c.lines...)
			} else {
				cfg.SQL.Servers = nil // --undo takes its servers from the backup
			}
			if c.max == 0 {
				cfg.MaxUsers = 5000
			}
			o := runJob(t, cfg, "", 2)
			if o.code != result.ExitUsage {
				t.Fatalf("exit %d, want %d\n%s", o.code, result.ExitUsage, o.stderr)
			}
			if o.log == "" {
				t.Fatalf("no log written; stderr:\n%s", o.stderr)
			}
			for _, want := range []string{"[INFO]  Summary:\r\n", "[INFO]  0 users successfully processed\r\n", "\r\n<<----- "} {
				if !strings.Contains(o.log, want) {
					t.Errorf("log lacks %q:\n%s", want, o.log)
				}
			}
			if errLine := lineWith(o.log, "[ERROR] "); !strings.Contains(errLine, c.why) {
				t.Errorf("log's error line %q does not say %q", errLine, c.why)
			}
			if !strings.Contains(o.stderr, "Summary:") {
				t.Errorf("no summary on stderr:\n%s", o.stderr)
			}
			if n := accepted.Load(); n != 0 {
				t.Errorf("%d connections to the SQL server, want none", n)
			}
			if m, _ := filepath.Glob(filepath.Join(o.logDir, BackupPrefix+"*")); len(m) != 0 {
				t.Errorf("backup files left: %v", m)
			}
		})
	}
}

func lineWith(text, sub string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
