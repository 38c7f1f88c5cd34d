package main

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// Cisco's runbook lines, run on Windows (where no credentials are needed).
func TestCiscoFormsExport(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"joined", []string{"lyncmigrate", "exportcontacts", `-s/dc1.corp.local`, "-f/ALL", "-l/DEBUG", "-r/statsonly", `-i/sqlbe\rtc`, "-d/corp.local"}},
		{"spaced", []string{"lyncmigrate", "exportcontacts", "-s/", "dc1.corp.local", "-f/", "ALL", "-l/", "DEBUG", "-r/", "statsonly", "-i/", `sqlbe\rtc`, "-d/", "corp.local"}},
		{"exe name", []string{`C:\Tools\ExportContacts.exe`, `-s/dc1.corp.local`, "-f/ALL", "-l/DEBUG", "-r/statsonly", `-i/ sqlbe\rtc`, "-d/ corp.local"}},
		{"upper-case letters", []string{"lyncmigrate", "exportcontacts", `-S/dc1.corp.local`, "-F/ALL", "-L/DEBUG", "-R/statsonly", `-I/sqlbe\rtc`, "-D/corp.local"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "exe name" { // "-i/ sqlbe\rtc" as one argv entry is not Cisco's form: split it
				tc.args = splitSpaced(tc.args)
			}
			o := proc{}.run(t, tc.args...).mustRun(t)
			cfg := o.export
			if cfg.LDAP == nil || cfg.LDAP.Server != "dc1.corp.local" {
				t.Errorf("LDAP = %+v", cfg.LDAP)
			}
			if cfg.SQL == nil || !reflect.DeepEqual(cfg.SQL.Servers, []string{`sqlbe\rtc`}) {
				t.Errorf("SQL = %+v", cfg.SQL)
			}
			if cfg.Common.File != "ALL" || cfg.Common.LogLevel != "debug" || cfg.RunMode != "STATSONLY" || cfg.Domain != "corp.local" {
				t.Errorf("file %q level %q mode %q domain %q", cfg.Common.File, cfg.Common.LogLevel, cfg.RunMode, cfg.Domain)
			}
			for _, name := range []string{"--ldap-server", "--sql-server", "--file", "--log-level", "--run-mode", "--domain"} {
				if s, ok := o.setting(t, name); !ok || s.Source != runlog.SourceCisco {
					t.Errorf("setting %s = %+v, want source %q", name, s, runlog.SourceCisco)
				}
			}
		})
	}
}

func splitSpaced(args []string) []string {
	var out []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") && strings.Contains(a, "/ ") {
			f, v, _ := strings.Cut(a, " ")
			out = append(out, f, v)
			continue
		}
		out = append(out, a)
	}
	return out
}

func TestCiscoFormsDisable(t *testing.T) {
	for _, args := range [][]string{
		{"lyncmigrate", "disableaccount", "-s/dc1.corp.local", "-f/users.txt", "-l/Info"},
		{"lyncmigrate", "disableaccount", "-s/", "dc1.corp.local", "-f/", "users.txt", "-l/", "Info"},
		{"DisableAccount.exe", "-s/dc1.corp.local", "-f/", "users.txt", "-l/Info"},
	} {
		o := proc{}.run(t, args...).mustRun(t)
		cfg := o.disable
		if cfg.LDAP.Server != "dc1.corp.local" || cfg.Common.File != "users.txt" || cfg.Common.LogLevel != "info" {
			t.Errorf("%q: server %q file %q level %q", args, cfg.LDAP.Server, cfg.Common.File, cfg.Common.LogLevel)
		}
		if s, _ := o.setting(t, "--ldap-server"); s.Source != runlog.SourceCisco {
			t.Errorf("%q: --ldap-server source %q", args, s.Source)
		}
	}
}

func TestCiscoFormsDelete(t *testing.T) {
	for _, args := range [][]string{
		{"lyncmigrate", "deleteaccount", `-s/localhost\rtclocal`, "-f/users.txt", "-l/error"},
		{"lyncmigrate", "deleteaccount", "-s/", `localhost\rtclocal`, "-f/", "users.txt", "-l/", "ERROR"},
		{`C:\Tools\DELETEACCOUNT.EXE`, `-s/localhost\rtclocal`, "-f/users.txt", "-l/error"},
	} {
		o := proc{}.run(t, args...).mustRun(t)
		cfg := o.delete
		if !reflect.DeepEqual(cfg.SQL.Servers, []string{`localhost\rtclocal`}) || cfg.Common.File != "users.txt" || cfg.Common.LogLevel != "error" {
			t.Errorf("%q: servers %q file %q level %q", args, cfg.SQL.Servers, cfg.Common.File, cfg.Common.LogLevel)
		}
		if cfg.LDAP != nil {
			t.Errorf("%q: -s/ of deleteaccount is the database, but LDAP = %+v", args, cfg.LDAP)
		}
	}
}

func TestCiscoFlagOfAnotherCommand(t *testing.T) {
	proc{}.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f/u.txt", `-i/sql\rtc`).
		mustRefuse(t, "lyncmigrate disableaccount --help", "-i/ is not a Cisco flag of disableaccount", "-f/ -l/ -s/")
	proc{}.run(t, "DeleteAccount.exe", `-s/sql\rtc`, "-f/u.txt", "-r/NORMAL").
		mustRefuse(t, "DeleteAccount.exe --help", "-r/ is not a Cisco flag of deleteaccount")
}

func TestArgv0Dispatch(t *testing.T) {
	tests := []struct {
		argv0 string
		want  string
	}{
		{"DisableAccount.exe", cmdDisable},
		{"disableaccount", cmdDisable},
		{`C:\Tools\DELETEACCOUNT.EXE`, cmdDelete},
		{"/opt/ExportContacts", cmdExport},
		{"./exportcontacts.exe", cmdExport},
		{`\\server\share\DeleteAccount.exe`, cmdDelete},
		{"lyncmigrate", ""},
		{`C:\Tools\lyncmigrate.exe`, ""},
		{"DisableAccount.exe.bak", ""},
		{"MyDisableAccount.exe", ""},
	}
	for _, tc := range tests {
		if got := commandFromArgv0(tc.argv0); got != tc.want {
			t.Errorf("commandFromArgv0(%q) = %q, want %q", tc.argv0, got, tc.want)
		}
	}
	// End to end: the name alone picks the job.
	for _, tc := range []struct {
		args []string
		ran  func(outcome) bool
	}{
		{[]string{"DisableAccount.exe", "-s/dc1", "-f/u.txt"}, func(o outcome) bool { return o.disable != nil }},
		{[]string{"disableaccount", "-s/dc1", "-f/u.txt"}, func(o outcome) bool { return o.disable != nil }},
		{[]string{`C:\Tools\DELETEACCOUNT.EXE`, `-s/sql\rtc`, "-f/u.txt"}, func(o outcome) bool { return o.delete != nil }},
		{[]string{"/opt/ExportContacts", "-s/dc1", "-f/u.txt", `-i/sql\rtc`}, func(o outcome) bool { return o.export != nil }},
	} {
		o := proc{}.run(t, tc.args...)
		if o.code != 0 || o.jobs != 1 || !tc.ran(o) {
			t.Errorf("%q: exit %d, stderr %q, wrong or no job", tc.args, o.code, o.stderr)
		}
	}
}

func TestTranslateCisco(t *testing.T) {
	flags := disableCommand(&invocation{sys: &system{}}).Flags
	tests := []struct {
		name    string
		args    []string
		want    []string
		cisco   map[string]string
		wantErr string
	}{
		{name: "joined", args: []string{"-s/dc1", "-f/u.txt"}, want: []string{"--ldap-server=dc1", "--file=u.txt"},
			cisco: map[string]string{flagLDAPServer: "-s/", flagFile: "-f/"}},
		{name: "spaced", args: []string{"-s/", "dc1", "-l/", "debug"}, want: []string{"--ldap-server=dc1", "--log-level=debug"},
			cisco: map[string]string{flagLDAPServer: "-s/", flagLogLevel: "-l/"}},
		{name: "stdin as spaced value", args: []string{"-f/", "-"}, want: []string{"--file=-"}, cisco: map[string]string{flagFile: "-f/"}},
		{name: "value with equals and slashes", args: []string{"-f/C:/a=b/u.txt"}, want: []string{"--file=C:/a=b/u.txt"}, cisco: map[string]string{flagFile: "-f/"}},
		{name: "flag value never translated", args: []string{"--ldap-bind-dn", "-s/odd", "-f", "-l/x"},
			want: []string{"--ldap-bind-dn", "-s/odd", "-f", "-l/x"}, cisco: map[string]string{}},
		{name: "long flags untouched", args: []string{"--dry-run", "--clear", "a", "--clear=b"},
			want: []string{"--dry-run", "--clear", "a", "--clear=b"}, cisco: map[string]string{}},
		{name: "after -- untouched", args: []string{"--", "-s/dc1"}, want: []string{"--", "-s/dc1"}, cisco: map[string]string{}},
		{name: "missing value at end", args: []string{"-f/u.txt", "-s/"}, wantErr: "-s/ needs a value"},
		{name: "missing value before flag", args: []string{"-s/", "-f/u.txt"}, wantErr: "-s/ needs a value"},
		{name: "unknown letter", args: []string{"-x/1"}, wantErr: "-x/ is not a Cisco flag of disableaccount"},
		{name: "twice, Cisco and long", args: []string{"-s/dc1", "--ldap-server", "dc2"}, wantErr: "--ldap-server given twice (-s/ and --ldap-server)"},
		{name: "twice, short and long", args: []string{"-f", "a", "--file=b"}, wantErr: "--file given twice"},
		{name: "repeatable may repeat", args: []string{"--clear", "a", "--clear", "b"}, want: []string{"--clear", "a", "--clear", "b"}, cisco: map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, cisco, err := translateCisco(cmdDisable, tc.args, flags)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tc.want) || !reflect.DeepEqual(cisco, tc.cisco) {
				t.Fatalf("got %q %v, %v; want %q %v", got, cisco, err, tc.want, tc.cisco)
			}
		})
	}
}
