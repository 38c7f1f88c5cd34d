package disableaccount

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// refusedServer is a loopback address nothing listens on: a run that
// tries to connect fails with exit 3, so exit 2 proves it did not try.
func refusedServer(t *testing.T) string { return testenv.ClosedAddr(t) }

// offlineConfig also returns whether the password was asked for.
func offlineConfig(t *testing.T, file string) (Config, *bool) {
	asked := new(bool)
	return Config{
		Common: run.Common{File: file, LogLevel: "info", LogDir: t.TempDir(), JSON: true, Workers: 2, Version: "test"},
		LDAP: adclient.Config{Server: refusedServer(t), Auth: adclient.AuthSimple, BindDN: "admin@example.com",
			PasswordFunc: func() (string, error) { *asked = true; return "S3cret-pw!", nil }},
		MaxUsers: 5000,
	}, asked
}

func TestRunStopsBeforeConnecting(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users.txt")
	os.WriteFile(users, []byte("sip:ann@foo.com\r\nsip:bob@foo.com\r\n"), 0o600)
	star := filepath.Join(dir, "star.txt")
	os.WriteFile(star, []byte("sip:ann@foo.com\nsip:*@foo.com\n"), 0o600)
	badLDIF := filepath.Join(dir, "bad.ldif")
	os.WriteFile(badLDIF, []byte("dn: CN=a,DC=x\nchangetype: add\n"), 0o600)
	tests := []struct {
		name   string
		edit   func(*Config)
		stderr string
	}{
		{"missing file", func(c *Config) { c.Common.File = filepath.Join(dir, "missing.txt") }, "missing.txt"},
		{"wildcard", func(c *Config) { c.Common.File = star }, "*"},
		{"ALL", func(c *Config) { c.Common.File = "ALL" }, "ALL"},
		{"too many users", func(c *Config) { c.Common.File, c.MaxUsers = users, 1 }, "--max-users"},
		{"--clear PrimaryUserAddress", func(c *Config) { c.Common.File, c.Clear = users, []string{"msRTCSIP-PrimaryUserAddress"} }, "never changed"},
		{"--clear with --undo", func(c *Config) { c.Undo, c.Clear = badLDIF, []string{"msRTCSIP-Line"} }, "--clear does not go with --undo"},
		{"bad backup", func(c *Config) { c.Undo = badLDIF }, "bad.ldif line 2"},
		{"missing backup", func(c *Config) { c.Undo = filepath.Join(dir, "none.ldif") }, "none.ldif"},
		{"bad server", func(c *Config) { c.Common.File, c.LDAP.Server = users, "http://dc1" }, "ldap:// or ldaps://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, asked := offlineConfig(t, "")
			tt.edit(&cfg)
			o := runJob(t, cfg)
			if o.code != result.ExitUsage {
				t.Fatalf("exit %d; want 2\nstderr: %s", o.code, o.stderr)
			}
			if *asked {
				t.Error("the password was asked for before the input was checked")
			}
			if !strings.Contains(o.stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", o.stderr, tt.stderr)
			}
			if !strings.Contains(o.log, "[INFO]  Summary:\r\n") || !strings.Contains(o.log, "<<----- ") {
				t.Errorf("the log has no summary or closing banner:\n%s", o.log)
			}
			if o.summary.ExitCode != 2 {
				t.Errorf("JSON summary %+v", o.summary)
			}
			if left, _ := filepath.Glob(filepath.Join(cfg.Common.LogDir, "DisableAccountBackup*")); len(left) > 0 {
				t.Errorf("an empty backup file was left: %v", left)
			}
		})
	}
}

func TestRunRefusedIsFatal(t *testing.T) {
	users := filepath.Join(t.TempDir(), "users.txt")
	os.WriteFile(users, []byte("sip:ann@foo.com\nsip:bob@foo.com\nnot-a-user\n"), 0o600)
	cfg, asked := offlineConfig(t, users)
	o := runJob(t, cfg)
	if !*asked {
		t.Error("the password was not asked for")
	}
	checkCounts(t, o, result.Summary{Errors: 1, NotAttempted: 2}, result.ExitFatal)
	for _, want := range []string{"LDAPS", "certificate", "--ldap-starttls"} {
		if !strings.Contains(o.stderr, want) || !strings.Contains(o.log, want) {
			t.Errorf("stderr/log lack %q:\n%s", want, o.stderr)
		}
	}
	if strings.Count(o.stderr, "error: ") != 1 {
		t.Errorf("want ONE error message on stderr:\n%s", o.stderr)
	}
	if r := o.records["sip:ann@foo.com"]; r.Outcome != result.NotAttempted || r.Line != 1 {
		t.Errorf("ann: %+v", r)
	}
	if strings.Contains(o.log+o.stderr+o.stdout, "S3cret-pw!") {
		t.Error("the password leaked")
	}
}

func TestRunEmptyFileConnectsNothing(t *testing.T) {
	users := filepath.Join(t.TempDir(), "users.txt")
	os.WriteFile(users, []byte("# nothing yet\r\n\r\n"), 0o600)
	cfg, asked := offlineConfig(t, users)
	o := runJob(t, cfg)
	if *asked {
		t.Error("an empty file asked for the password")
	}
	checkCounts(t, o, result.Summary{}, result.ExitOK)
}
