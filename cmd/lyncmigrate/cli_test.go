package main

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

func TestPositionalArgumentIsUsageError(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		// urfave v2 stops at the first positional: the trailing --dry-run would be ignored.
		{[]string{"lyncmigrate", "disableaccount", "-s/dc1", "-f", "users.txt", "extra", "--dry-run"},
			`unexpected argument "extra": disableaccount takes only flags, and nothing after it was read (--dry-run)`},
		{[]string{"lyncmigrate", "exportcontacts", "users.txt"}, `unexpected argument "users.txt"`},
		{[]string{"lyncmigrate", "deleteaccount", `-s/sql\rtc`, "-f", "-", "-", "--dry-run"}, `unexpected argument "-"`},
		{[]string{"lyncmigrate", "deleteaccount", `-s/sql\rtc`, "-f/u.txt", "--", "--dry-run"}, `unexpected argument "--dry-run"`},
		// A bool flag takes no separate value: "false" is a positional.
		{[]string{"lyncmigrate", "disableaccount", "-s/dc1", "-f/u.txt", "--dry-run", "false"}, `unexpected argument "false"`},
		{[]string{"DisableAccount.exe", "disableaccount", "-s/dc1", "-f/u.txt"}, `unexpected argument "disableaccount"`},
	}
	for _, tc := range tests {
		o := proc{}.run(t, tc.args...)
		hint := "lyncmigrate " + tc.args[1] + " --help"
		if tc.args[0] != "lyncmigrate" {
			hint = tc.args[0] + " --help"
		}
		o.mustRefuse(t, hint, tc.want)
	}
}

func TestUsageErrorsGoToStderrWithHint(t *testing.T) {
	tests := []struct {
		args []string
		hint string
		want string
	}{
		{[]string{"lyncmigrate", "disableaccount", "--bogus"}, "lyncmigrate disableaccount --help", "flag provided but not defined: -bogus"},
		{[]string{"lyncmigrate", "disableaccount", "-s/dc1", "-f/u.txt", "-l/verbose"}, "lyncmigrate disableaccount --help", `-l/ "verbose": use error, info or debug`},
		{[]string{"lyncmigrate", "disableaccount", "-f/u.txt"}, "lyncmigrate disableaccount --help", "--ldap-server is required (also: Cisco -s/, $LYNCMIGRATE_LDAP_SERVER)"},
		{[]string{"lyncmigrate", "disableaccount", "-s/dc1", "--workers", "x"}, "lyncmigrate disableaccount --help", "invalid value \"x\" for flag -workers"},
		{[]string{"lyncmigrate", "--bogus"}, "lyncmigrate --help", "flag provided but not defined: -bogus"},
		{[]string{"lyncmigrate", "frobnicate"}, "lyncmigrate --help", `unknown command "frobnicate"`},
		{[]string{"lyncmigrate"}, "lyncmigrate --help", "no command given"},
		// urfave returns this one as cli.Exit(…, 3): without the no-op
		// ExitErrHandler it would os.Exit inside Run and kill this test.
		{[]string{"lyncmigrate", "help", "frobnicate"}, "lyncmigrate --help", "No help topic for 'frobnicate'"},
	}
	for _, tc := range tests {
		proc{}.run(t, tc.args...).mustRefuse(t, tc.hint, tc.want)
	}
}

func TestHelpGoesToStdout(t *testing.T) {
	for _, args := range [][]string{
		{"lyncmigrate", "--help"},
		{"lyncmigrate", "disableaccount", "--help"},
		{"DeleteAccount.exe", "-h"},
		{"lyncmigrate", "help", "exportcontacts"},
	} {
		o := proc{}.run(t, args...)
		if o.code != 0 || o.jobs != 0 || !strings.Contains(o.stdout, "EXAMPLES:") || o.stderr != "" {
			t.Errorf("%q: exit %d, jobs %d, stderr %q, stdout has EXAMPLES: %v", args, o.code, o.jobs, o.stderr, strings.Contains(o.stdout, "EXAMPLES:"))
		}
	}
}

func TestCommandHelpShowsCiscoExamples(t *testing.T) {
	for cmd, want := range map[string][]string{
		cmdExport:  {"-i/localhost\\rtclocal", "-r/STATSONLY", "-d/corp.local", "--from-export", "-i/ = --sql-server", "-s/ = --ldap-server"},
		cmdDisable: {"DisableAccount.exe -s/ dc1.corp.local", "--dry-run", "--undo", "-s/ = --ldap-server"},
		cmdDelete:  {"DeleteAccount.exe -s/ sqlbe.corp.local\\rtc", "--check", "-s/ = --sql-server"},
	} {
		o := proc{}.run(t, "lyncmigrate", cmd, "--help")
		for _, w := range append(want, "EXIT CODES:", "130") {
			if !strings.Contains(o.stdout, w) {
				t.Errorf("%s --help lacks %q", cmd, w)
			}
		}
	}
}

func TestJobExitCodeIsReturned(t *testing.T) {
	for _, code := range []int{result.ExitOK, result.ExitPartial, result.ExitFatal, result.ExitInterrupted} {
		o := proc{jobCode: code}.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f/u.txt")
		if o.code != code || o.jobs != 1 {
			t.Errorf("job returned %d: exit %d, jobs %d", code, o.code, o.jobs)
		}
	}
}

func TestCommandNameAnyCase(t *testing.T) {
	o := proc{}.run(t, "lyncmigrate", "DisableAccount", "-s/dc1", "-f/u.txt").mustRun(t)
	if o.disable == nil {
		t.Fatal("disableaccount did not run")
	}
}

// DN values and host,port are never split on commas (SPEC 3.1).
func TestSliceFlagsNotSplitOnCommas(t *testing.T) {
	o := proc{}.run(t, "lyncmigrate", "deleteaccount", "--sql-server", "sqlbe,1433", "--sql-server", `fe1\rtclocal`, "-f", "u.txt").mustRun(t)
	if want := []string{"sqlbe,1433", `fe1\rtclocal`}; !reflect.DeepEqual(o.delete.SQL.Servers, want) {
		t.Errorf("servers = %q, want %q", o.delete.SQL.Servers, want)
	}
	o = proc{}.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f/u.txt", "--clear", "msRTCSIP-OptionFlags", "--clear", "msRTCSIP-Line").mustRun(t)
	if want := []string{"msRTCSIP-OptionFlags", "msRTCSIP-Line"}; !reflect.DeepEqual(o.disable.Clear, want) {
		t.Errorf("clear = %q", o.disable.Clear)
	}
	o = proc{}.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f/u.txt", "--ldap-base", `OU=Doe\, John,DC=corp,DC=local`).mustRun(t)
	if o.disable.LDAP.Base != `OU=Doe\, John,DC=corp,DC=local` {
		t.Errorf("base = %q", o.disable.LDAP.Base)
	}
}

func TestVersion(t *testing.T) {
	defer func(v, c string) { version, commit = v, c }(version, commit)
	version, commit = "v1.4.2", "0123abcd"
	for _, goos := range []string{"linux", "windows"} {
		o := proc{goos: goos}.run(t, "lyncmigrate", "--version")
		want := "lyncmigrate v1.4.2 (commit 0123abcd, " + goos + "/" + runtime.GOARCH + ", " + runtime.Version() + ")\n"
		if o.code != 0 || o.stdout != want || o.stderr != "" {
			t.Errorf("exit %d stdout %q stderr %q; want %q", o.code, o.stdout, o.stderr, want)
		}
	}
}

func TestCommonSettingsReachTheJob(t *testing.T) {
	o := proc{}.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f", "u.txt", "--json", "--workers", "9", "--log-dir", "/tmp/x", "-l", "DEBUG").mustRun(t)
	c := o.common(t)
	if c.File != "u.txt" || !c.JSON || c.Workers != 9 || c.LogDir != "/tmp/x" || c.LogLevel != "debug" || c.Version == "" ||
		c.Stdout == nil || c.Stderr == nil || c.Stdin == nil {
		t.Errorf("common = %+v", c)
	}
	o = proc{}.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f", "u.txt").mustRun(t)
	c = o.common(t)
	if c.Workers != 4 || c.LogLevel != "info" || c.LogDir != "/var/log/lm" || c.JSON || o.disable.MaxUsers != 5000 {
		t.Errorf("defaults: %+v, max users %d", c, o.disable.MaxUsers)
	}
}
