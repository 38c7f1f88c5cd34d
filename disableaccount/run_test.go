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
		name    string
		edit    func(*Config)
		stderr  string
		setting bool // a setting error: refused before the log is opened, no file at all
	}{
		{"missing file", func(c *Config) { c.Common.File = filepath.Join(dir, "missing.txt") }, "missing.txt", false},
		{"wildcard", func(c *Config) { c.Common.File = star }, "*", false},
		{"ALL", func(c *Config) { c.Common.File = "ALL" }, "ALL", false},
		{"too many users", func(c *Config) { c.Common.File, c.MaxUsers = users, 1 }, "--max-users", false},
		{"bad backup", func(c *Config) { c.Undo = badLDIF }, "bad.ldif line 2", false},
		{"missing backup", func(c *Config) { c.Undo = filepath.Join(dir, "none.ldif") }, "none.ldif", false},
		{"--clear PrimaryUserAddress", func(c *Config) { c.Common.File, c.Clear = users, []string{"msRTCSIP-PrimaryUserAddress"} }, "never changed", true},
		{"--clear objectGUID", func(c *Config) { c.Common.File, c.Clear = users, []string{"objectGUID"} }, "--clear objectGUID: this attribute is never changed", true},
		{"--clear with --undo", func(c *Config) { c.Undo, c.Clear = badLDIF, []string{"msRTCSIP-Line"} }, "--clear: --undo restores a backup as it is", true},
		{"bad server", func(c *Config) { c.Common.File, c.LDAP.Server = users, "http://dc1" }, "ldap:// or ldaps://", true},
		{"bad log level", func(c *Config) { c.Common.File, c.Common.LogLevel = users, "loud" }, `--log-level "loud": use error, info or debug`, true},
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
			if tt.setting {
				if left, _ := os.ReadDir(cfg.Common.LogDir); len(left) > 0 {
					t.Errorf("a setting error left files: %v", left)
				}
			} else if !strings.Contains(o.log, "[INFO]  Summary:\r\n") || !strings.Contains(o.log, "<<----- ") {
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

// A panic in the job's own goroutine (here while the password is read, before
// any worker) still ends with the summary and the closing banner, exit 3.
func TestRunPanicWritesSummary(t *testing.T) {
	users := filepath.Join(t.TempDir(), "users.txt")
	os.WriteFile(users, []byte("sip:ann@foo.com\r\n"), 0o600)
	cfg, _ := offlineConfig(t, users)
	cfg.LDAP.PasswordFunc = func() (string, error) { panic("bug in a password source") }
	var o outcome
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("the panic escaped Run: %v", r)
			}
		}()
		o = runJob(t, cfg)
	}()
	if o.code != result.ExitFatal {
		t.Errorf("exit %d, want 3", o.code)
	}
	for _, want := range []string{"[ERROR] internal error: panic: bug in a password source", "[INFO]  1 users not attempted\r\n", "\r\n<<----- "} {
		if !strings.Contains(o.log, want) {
			t.Errorf("log lacks %q:\n%s", want, o.log)
		}
	}
	if o.summary.ExitCode != 3 || o.summary.NotAttempted != 1 {
		t.Errorf("JSON summary %+v", o.summary)
	}
}
