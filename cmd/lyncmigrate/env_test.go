package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// SPEC 3.4: environment fallbacks for connection and authentication settings
// only. These must never come from the environment.
var neverFromEnvironment = []string{
	flagFile, flagDryRun, flagUndo, flagClear, flagMaxUsers, flagCheck, flagFromExport, flagDomain,
	flagRunMode, flagOutDir, flagLDAPBase, flagLDAPInsecure, flagSQLTrustCert, flagLogLevel, flagLogDir,
	flagJSON, flagWorkers, flagDefaultGroup, flagNoHeader, flagStateColumn, flagMaxContacts,
}

func allCommands() []*cli.Command {
	return newApp(&invocation{sys: &system{}}).Commands
}

func TestEnvFallbacksAreConnectionSettingsOnly(t *testing.T) {
	connection := map[string]bool{}
	for _, n := range concat3(ldapFlagNames, sqlFlagNames, krb5FlagNames) {
		connection[n] = true
	}
	for f := range envFlags {
		if !connection[f] {
			t.Errorf("--%s has an environment fallback but is not a connection setting", f)
		}
	}
	for _, f := range neverFromEnvironment {
		if envFlags[f] {
			t.Errorf("--%s must never come from the environment", f)
		}
	}
	// urfave's own EnvVars would bypass the list and the audit sources.
	for _, c := range allCommands() {
		for _, f := range c.Flags {
			if ev, ok := f.(interface{ GetEnvVars() []string }); ok && len(ev.GetEnvVars()) > 0 {
				t.Errorf("%s --%s sets urfave EnvVars %v", c.Name, f.Names()[0], ev.GetEnvVars())
			}
		}
	}
}

func concat3(a, b, c []string) []string { return append(append(append([]string{}, a...), b...), c...) }

// Every flag of every command has a LYNCMIGRATE_ variable set to a value
// that would change the run; only the listed connection settings may move.
func TestEnvironmentCannotChooseUsers(t *testing.T) {
	env := map[string]string{}
	for _, c := range allCommands() {
		for _, f := range c.Flags {
			name := f.Names()[0]
			v := "/env/" + name
			switch f.(type) {
			case *cli.BoolFlag:
				v = "true"
			case *cli.IntFlag:
				v = "7"
			}
			env["LYNCMIGRATE_"+strings.ToUpper(strings.ReplaceAll(name, "-", "_"))] = v
		}
	}
	// Make the connection values valid so that the run goes through.
	env["LYNCMIGRATE_LDAP_SERVER"] = "envdc.corp.local"
	env["LYNCMIGRATE_LDAP_AUTH"] = "sspi"
	delete(env, "LYNCMIGRATE_LDAP_BIND_DN")
	delete(env, "LYNCMIGRATE_LDAP_PASSWORD_FILE")
	delete(env, "LYNCMIGRATE_LDAP_STARTTLS")
	env["LYNCMIGRATE_SQL_SERVER"] = `envsql\rtc`
	env["LYNCMIGRATE_SQL_AUTH"] = "windows"
	env["LYNCMIGRATE_SQL_ENCRYPT"] = "true"
	delete(env, "LYNCMIGRATE_SQL_USER")
	delete(env, "LYNCMIGRATE_SQL_PASSWORD_FILE")
	delete(env, "LYNCMIGRATE_SQL_CA_FILE")
	for _, k := range []string{"LYNCMIGRATE_KRB5_CONFIG", "LYNCMIGRATE_KRB5_KEYTAB", "LYNCMIGRATE_KRB5_CCACHE"} {
		delete(env, k)
	}

	p := proc{env: env}
	d := p.run(t, "lyncmigrate", "disableaccount", "-f", "cli.txt").mustRun(t)
	if d.disable.DryRun || d.disable.Undo != "" || len(d.disable.Clear) != 0 || d.disable.MaxUsers != defaultMaxUsers ||
		d.disable.Common.File != "cli.txt" || d.disable.LDAP.Base != "" || d.disable.LDAP.InsecureSkipVerify ||
		d.disable.Common.JSON || d.disable.Common.Workers != defaultWorkers || d.disable.Common.LogDir != "/var/log/lm" {
		t.Errorf("disable took a forbidden variable: %+v", d.disable)
	}
	if d.disable.LDAP.Server != "envdc.corp.local" {
		t.Errorf("LYNCMIGRATE_LDAP_SERVER not used: %q", d.disable.LDAP.Server)
	}
	x := p.run(t, "lyncmigrate", "deleteaccount", "-f", "cli.txt").mustRun(t)
	if x.delete.DryRun || x.delete.Check || x.delete.Undo != "" || x.delete.MaxUsers != defaultMaxUsers || x.delete.SQL.TrustServerCert {
		t.Errorf("delete took a forbidden variable: %+v", x.delete)
	}
	if want := []string{`envsql\rtc`}; !reflect.DeepEqual(x.delete.SQL.Servers, want) || x.delete.SQL.Database != "/env/sql-database" || x.delete.SQL.Encrypt != "true" {
		t.Errorf("delete SQL from environment: %+v", x.delete.SQL)
	}
	e := p.run(t, "lyncmigrate", "exportcontacts", "-f", "cli.txt").mustRun(t)
	if e.export.Check || e.export.FromExport != "" || e.export.Domain != "" || e.export.RunMode != defaultRunMode ||
		e.export.DefaultGroup != defaultDefaultGroup || e.export.NoHeader || e.export.StateColumn || e.export.MaxContacts != defaultMaxContacts {
		t.Errorf("export took a forbidden variable: %+v", e.export)
	}
	for _, o := range []outcome{d, x, e} {
		for _, s := range o.common(t).Settings {
			name := strings.TrimPrefix(s.Name, "--")
			if s.Source == runlog.SourceEnvironment && !envFlags[name] && !s.Secret {
				t.Errorf("setting %s came from the environment", s.Name)
			}
		}
	}
}

func TestEnvFallbackSources(t *testing.T) {
	env := map[string]string{
		"LYNCMIGRATE_SQL_SERVER":   ` sqlbe.corp.local,1433 ; fe1\rtclocal;; `,
		"LYNCMIGRATE_SQL_AUTH":     "SQL",
		"LYNCMIGRATE_SQL_USER":     "lyncmig",
		"LYNCMIGRATE_SQL_PASSWORD": "pw",
	}
	o := proc{goos: "linux", env: env}.run(t, "lyncmigrate", "deleteaccount", "-f", "u.txt").mustRun(t)
	if want := []string{"sqlbe.corp.local,1433", `fe1\rtclocal`}; !reflect.DeepEqual(o.delete.SQL.Servers, want) {
		t.Errorf("servers = %q, want %q", o.delete.SQL.Servers, want)
	}
	if o.delete.SQL.Auth != "sql" || o.delete.SQL.User != "lyncmig" {
		t.Errorf("auth %q user %q", o.delete.SQL.Auth, o.delete.SQL.User)
	}
	want := map[string]runlog.Source{
		"--sql-server":   runlog.SourceEnvironment,
		"--sql-auth":     runlog.SourceEnvironment,
		"--sql-user":     runlog.SourceEnvironment,
		"--file":         runlog.SourceFlag,
		"--sql-database": runlog.SourceDefault,
		"--max-users":    runlog.SourceDefault,
		"SQL password":   runlog.SourceEnvironment,
	}
	for name, src := range want {
		if s, ok := o.setting(t, name); !ok || s.Source != src {
			t.Errorf("%s: %+v, want source %q", name, s, src)
		}
	}

	// A flag wins over its variable.
	o = proc{goos: "linux", env: env}.run(t, "lyncmigrate", "deleteaccount", "-f", "u.txt", "--sql-server", "other:1433").mustRun(t)
	if want := []string{"other:1433"}; !reflect.DeepEqual(o.delete.SQL.Servers, want) {
		t.Errorf("servers = %q, want the flag's", o.delete.SQL.Servers)
	}
	if s, _ := o.setting(t, "--sql-server"); s.Source != runlog.SourceFlag || s.Value != "other:1433" {
		t.Errorf("--sql-server setting %+v", s)
	}
}

func TestBadEnvironmentValueNamesTheVariable(t *testing.T) {
	env := map[string]string{"LYNCMIGRATE_LDAP_STARTTLS": "yes please", "LYNCMIGRATE_LDAP_AUTH": "ntlm"}
	proc{env: env}.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f", "u.txt").mustRefuse(t,
		"lyncmigrate disableaccount --help",
		`LYNCMIGRATE_LDAP_STARTTLS="yes please" is not true or false`,
		`LYNCMIGRATE_LDAP_AUTH "ntlm": use simple, kerberos or sspi`)
}

// Environment values for a connection the run does not make are ignored (the
// variables are often set once for all commands) and left out of the audit.
func TestUnusedEnvironmentIsIgnored(t *testing.T) {
	env := map[string]string{"LYNCMIGRATE_SQL_SERVER": `sql\rtc`, "LYNCMIGRATE_KRB5_KEYTAB": "/k.keytab", "LYNCMIGRATE_LDAP_SERVER": "dc1"}
	o := proc{env: env}.run(t, "lyncmigrate", "exportcontacts", "--from-export", "x.zip", "-f", "u.txt").mustRun(t)
	if o.export.SQL != nil {
		t.Errorf("SQL = %+v, want nil with --from-export", o.export.SQL)
	}
	if o.export.LDAP == nil || o.export.LDAP.Server != "dc1" {
		t.Errorf("LDAP = %+v", o.export.LDAP)
	}
	for _, name := range []string{"--sql-server", "--sql-auth", "--krb5-keytab"} {
		if s, ok := o.setting(t, name); ok {
			t.Errorf("unused setting in the audit: %+v", s)
		}
	}
}
