package runlog

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

const secretPassword = "S3cr3t!pw"

func disableHeader() Header {
	return Header{
		Host: "WS01", OSUser: `CORP\admin`, Command: "disableaccount",
		Settings: []Setting{
			{Name: "file", Value: "users.txt", Source: SourceFlag},
			{Name: "log-level", Value: "info", Source: SourceDefault},
			{Name: "ldap-server", Value: "dc1.corp.local", Source: SourceEnvironment},
			{Name: "ldap-password", Value: secretPassword, Source: SourceEnvironment, Secret: true},
			{Name: "ldap-base", Value: "", Source: SourceDefault},
		},
		BindIdentity: "admin@corp.local",
		Targets:      []string{"ldaps://dc1.corp.local:636"},
	}
}

// disableScript is a short disable run: the same calls at every level.
func disableScript(l *Logger) {
	l.WriteHeader(disableHeader())
	l.Debugf("search %s", "(msRTCSIP-PrimaryUserAddress=sip:ann@foo.com)")
	l.Warnf("line %d: duplicate of line %d ignored", 4, 2)
	b := l.Block()
	b.Debugf("search (msRTCSIP-PrimaryUserAddress=sip:ann@foo.com)")
	b.Infof("Found user with PrimaryURI : %s, DisplayName : %s, Enabled : %s", "sip:ann@foo.com", "Ann", "True")
	b.Infof("sip:ann@foo.com: disabled")
	b.Commit()
	l.Errorf("sip:carl@foo.com: bind as admin@corp.local with password %s failed", secretPassword)
	l.Errorf("sip:carl@foo.com: first line\nsecond line\r\n")
	l.WriteSummary(result.Summary{Processed: 12, NotFound: 1, Skipped: 2})
}

func exportScript(l *Logger) {
	l.WriteHeader(Header{
		Host: "WS01", OSUser: `CORP\admin`, Command: "exportcontacts",
		Settings: []Setting{
			{Name: "file", Value: "ALL", Source: SourceCisco},
			{Name: "log-level", Value: "debug", Source: SourceFlag},
		},
		Targets: []string{"ldaps://dc1.corp.local:636", `sql1\rtc`},
		DryRun:  true,
	})
	for _, u := range []struct {
		uri string
		n   int
	}{{"sip:ann@foo.com", 40}, {"sip:bob@foo.com", 50}} {
		b := l.Block()
		b.Debugf("search (msRTCSIP-PrimaryUserAddress=%s)", u.uri)
		b.Infof("%s: %d contacts", u.uri, u.n)
		b.Commit()
	}
	l.Warnf("Interrupted: no new users are started")
	l.WriteSummary(result.Summary{Processed: 2, Duplicates: 1, NotAttempted: 5, DryRun: true,
		Contacts: &result.ContactStats{Largest: 50, Total: 90, Average: 45}})
}

func TestGoldenLogs(t *testing.T) {
	tests := []struct {
		golden string
		level  Level
		script func(*Logger)
	}{
		{"normal.txt", LevelInfo, disableScript},
		{"error.txt", LevelError, disableScript},
		{"interrupted.txt", LevelDebug, exportScript},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			clock := newClock()
			path := filepath.Join(t.TempDir(), "DisableAccountLog20240305_140709.txt")
			l, err := Create(Options{Path: path, Version: "1.2.3", Level: tt.level, Now: clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			tt.script(l)
			clock.Set(closeTime)
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("testdata", tt.golden))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("log differs from %s:\n%s", tt.golden, lineDiff(string(got), string(want)))
			}
			if bytes.Contains(got, []byte(secretPassword)) {
				t.Error("the secret reached the file")
			}
		})
	}
}

// lineDiff shows the first differing line, with line ends visible.
func lineDiff(got, want string) string {
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
			return strings.Join([]string{"line ", itoa(i + 1), "\n got ", quote(a), "\nwant ", quote(b)}, "")
		}
	}
	return "(same lines)"
}
