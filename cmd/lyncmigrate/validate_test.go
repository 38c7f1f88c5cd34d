package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// Each rule of validate.go: the command line, and what stderr must say.
func TestValidationRefusals(t *testing.T) {
	linuxSQL := map[string]string{"LYNCMIGRATE_SQL_USER": "u", "LYNCMIGRATE_SQL_PASSWORD": "p"}
	tests := []struct {
		name string
		p    proc
		args []string
		want []string
	}{
		{"clear PrimaryUserAddress", proc{}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--clear", "msrtcsip-primaryuseraddress"},
			[]string{"--clear msrtcsip-primaryuseraddress: this attribute is never changed"}},
		{"clear objectGUID", proc{}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--clear", "objectGUID"},
			[]string{"--clear objectGUID: this attribute is never changed (the object's identity)"}},
		{"clear not an attribute", proc{}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--clear", "a b"}, []string{`--clear "a b": not an attribute name`}},
		{"clear twice", proc{}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--clear", "msRTCSIP-Line", "--clear", "msrtcsip-line"}, []string{"given twice"}},
		{"clear with undo", proc{}, []string{"disableaccount", "-s/dc1", "--undo", "b.ldif", "--clear", "msRTCSIP-Line"}, []string{"--clear: --undo restores a backup as it is"}},
		{"disable nothing to do", proc{}, []string{"disableaccount", "-s/dc1"}, []string{"nothing to do: give -f/--file or --undo"}},
		{"disable file and undo", proc{}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--undo", "b.ldif"}, []string{"-f/ and --undo cannot be used together"}},
		{"max users zero", proc{}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--max-users", "0"}, []string{"--max-users 0: use a positive number"}},
		{"workers zero", proc{}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--workers", "0"}, []string{"--workers 0: use 1 to 64"}},
		{"export no source", proc{}, []string{"exportcontacts", "-s/dc1", "-f/ALL"},
			[]string{"no source of contacts: give --sql-server for the rtc database (Cisco -i/), or --from-export FILE"}},
		{"export two sources", proc{}, []string{"exportcontacts", "-f/u.txt", `-i/sql\rtc`, "--from-export", "x.zip"},
			[]string{"-i/ and --from-export are two sources of contacts"}},
		{"export sql needs AD", proc{}, []string{"exportcontacts", "-f/u.txt", `-i/sql\rtc`}, []string{"--ldap-server is required (also: Cisco -s/"}},
		{"export needs file", proc{}, []string{"exportcontacts", "--from-export", "x.zip"}, []string{"--file (-f) is required (also: Cisco -f/)"}},
		{"export both stdin", proc{}, []string{"exportcontacts", "--from-export", "-", "-f", "-"}, []string{"only one can read standard input"}},
		{"export bad run mode", proc{}, []string{"exportcontacts", "--from-export", "x.zip", "-f/u.txt", "-r/FAST"}, []string{`-r/ "FAST": use NORMAL or STATSONLY`}},
		{"export check reads no users", proc{}, []string{"exportcontacts", "--check", `-i/sql\rtc`, "-f/u.txt"}, []string{"-f/: --check runs only the schema check"}},
		{"export check no AD", proc{}, []string{"exportcontacts", "--check", `-i/sql\rtc`, "-s/dc1"}, []string{"-s/: --check does not use Active Directory"}},
		{"export check needs sql", proc{}, []string{"exportcontacts", "--check"}, []string{"--sql-server is required (also: Cisco -i/, $LYNCMIGRATE_SQL_SERVER)"}},
		{"export zero max contacts", proc{}, []string{"exportcontacts", "--from-export", "x.zip", "-f/u.txt", "--max-contacts", "0"}, []string{"--max-contacts 0"}},
		{"export empty default group", proc{}, []string{"exportcontacts", "--from-export", "x.zip", "-f/u.txt", "--default-group", " "}, []string{"--default-group: the group name cannot be empty"}},
		{"sql flags with from-export", proc{}, []string{"exportcontacts", "--from-export", "x.zip", "-f/u.txt", "--sql-user", "u"}, []string{"--sql-user: not used with --from-export"}},
		{"delete needs sql", proc{}, []string{"deleteaccount", "-f/u.txt"}, []string{"--sql-server is required (also: Cisco -s/, $LYNCMIGRATE_SQL_SERVER)"}},
		{"delete check and file", proc{}, []string{"deleteaccount", `-s/sql\rtc`, "--check", "-f/u.txt"}, []string{"-f/ and --check cannot be used together"}},
		{"delete check and dry run", proc{}, []string{"deleteaccount", `-s/sql\rtc`, "--check", "--dry-run"}, []string{"--dry-run with --check"}},
		{"delete trial and dry run", proc{}, []string{"deleteaccount", `-s/sql\rtc`, "-f/u.txt", "--trial", "--dry-run"},
			[]string{"--trial runs the deletes and rolls them back: it cannot be combined with --dry-run, --check or --undo"}},
		{"wait-replication with check", proc{}, []string{"deleteaccount", `-s/sql\rtc`, "--check", "--wait-replication", "5m"},
			[]string{"--wait-replication applies to a delete run, not to --check or --undo"}},
		{"delete nothing to do", proc{}, []string{"deleteaccount", `-s/sql\rtc`}, []string{"nothing to do: give -f/--file, --check or --undo"}},
		{"delete server twice", proc{}, []string{"deleteaccount", `-s/sql\rtc`, "--sql-server", `SQL\RTC`, "-f/u.txt"}, []string{`SQL\RTC given twice`}},
		{"delete bad server", proc{}, []string{"deleteaccount", "--sql-server", "a b c", "-f/u.txt"}, []string{`"a b c"`}},
		{"ldap flag without server", proc{}, []string{"deleteaccount", `-s/sql\rtc`, "-f/u.txt", "--ldap-bind-dn", "a@b"}, []string{"--ldap-bind-dn: needs --ldap-server"}},
		{"delete check no AD", proc{}, []string{"deleteaccount", `-s/sql\rtc`, "--check", "--ldap-server", "dc1"}, []string{"--ldap-server: --check does not use Active Directory"}},
		{"bad sql encrypt", proc{}, []string{"deleteaccount", `-s/sql\rtc`, "-f/u.txt", "--sql-encrypt", "maybe"}, []string{`--sql-encrypt "maybe": use disable, false, true or strict`}},
		{"bad sql auth", proc{}, []string{"deleteaccount", `-s/sql\rtc`, "-f/u.txt", "--sql-auth", "ntlm"}, []string{`--sql-auth "ntlm": use windows, sql or kerberos`}},
		{"sspi off Windows", proc{goos: "linux"}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--ldap-auth", "SSPI"}, []string{"--ldap-auth sspi works only on Windows"}},
		{"sql windows off Windows", proc{goos: "linux"}, []string{"deleteaccount", `-s/sql\rtc`, "-f/u.txt", "--sql-auth", "windows"}, []string{"--sql-auth windows works only on Windows"}},
		{"simple needs bind dn", proc{goos: "linux"}, []string{"disableaccount", "-s/dc1", "-f/u.txt"},
			[]string{"--ldap-auth simple: --ldap-bind-dn is required (also: $LYNCMIGRATE_LDAP_BIND_DN)"}},
		{"sql login needs user", proc{goos: "linux"}, []string{"deleteaccount", `-s/sql\rtc`, "-f/u.txt"}, []string{"--sql-auth sql: --sql-user is required (also: $LYNCMIGRATE_SQL_USER)"}},
		{"no password source", proc{goos: "linux", tty: false}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--ldap-bind-dn", "a@corp.local"},
			[]string{"LDAP password needed: set $LYNCMIGRATE_LDAP_PASSWORD, use --ldap-password-file FILE, or run on a terminal"}},
		{"stdin list means no prompt", proc{goos: "linux", tty: true, env: linuxSQL}, []string{"disableaccount", "-s/dc1", "-f", "-", "--ldap-bind-dn", "a@corp.local"},
			[]string{"LDAP password needed"}},
		{"password twice", proc{goos: "linux", env: map[string]string{"LYNCMIGRATE_LDAP_PASSWORD": "x"}},
			[]string{"disableaccount", "-s/dc1", "-f/u.txt", "--ldap-bind-dn", "a@corp.local", "--ldap-password-file", "pw.txt"},
			[]string{"LDAP password given twice, by $LYNCMIGRATE_LDAP_PASSWORD and --ldap-password-file"}},
		{"empty env password", proc{goos: "linux", env: map[string]string{"LYNCMIGRATE_SQL_USER": "u", "LYNCMIGRATE_SQL_PASSWORD": ""}},
			[]string{"deleteaccount", `-s/sql\rtc`, "-f/u.txt"}, []string{"$LYNCMIGRATE_SQL_PASSWORD is set but empty"}},
		{"starttls with ldaps url", proc{}, []string{"disableaccount", "-s/ldaps://dc1", "-f/u.txt", "--ldap-starttls"}, []string{"--ldap-starttls with -s/ ldaps://dc1"}},
		{"insecure with CA", proc{}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--ldap-insecure-skip-verify", "--ldap-ca-file", "ca.pem"}, []string{"--ldap-insecure-skip-verify with --ldap-ca-file"}},
		{"bad ldap scheme", proc{}, []string{"disableaccount", "-s/http://dc1", "-f/u.txt"}, []string{"http://dc1"}},
		{"sspi with bind dn", proc{}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--ldap-auth", "sspi", "--ldap-bind-dn", "a@b.c"}, []string{"--ldap-bind-dn: sspi binds as the logged-on user"}},
		{"krb5 without kerberos", proc{}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--krb5-keytab", "k"}, []string{"--krb5-keytab: used only with --ldap-auth kerberos or --sql-auth kerberos"}},
		{"keytab and ccache", proc{goos: "linux"}, []string{"disableaccount", "-s/dc1", "-f/u.txt", "--ldap-auth", "kerberos", "--ldap-bind-dn", "a@CORP", "--krb5-keytab", "k", "--krb5-ccache", "c"},
			[]string{"--krb5-keytab and --krb5-ccache: give one source"}},
		{"several problems at once", proc{}, []string{"disableaccount", "-l/loud", "--workers", "0"}, []string{`-l/ "loud"`, "--workers 0", "--ldap-server is required", "nothing to do"}},
		{"verify needs everything", proc{}, []string{"verify"},
			[]string{"--file (-f) is required", "--ldap-server is required (also: $LYNCMIGRATE_LDAP_SERVER)", "--sql-server is required (also: $LYNCMIGRATE_SQL_SERVER)"}},
		{"verify report not html", proc{}, []string{"verify", "--ldap-server", "dc1", "--sql-server", `sql\rtc`, "-f/u.txt", "--report", "verify.txt"},
			[]string{"--report verify.txt: the report is an HTML page; name it FILE.html"}},
		{"verify has no -s/", proc{}, []string{"verify", "-s/dc1", "--sql-server", `sql\rtc`, "-f/u.txt"}, []string{"-s/ is not a Cisco flag of verify (its Cisco flags are -f/ -l/)"}},
		{"verify changes nothing", proc{}, []string{"verify", "--ldap-server", "dc1", "--sql-server", `sql\rtc`, "-f/u.txt", "--dry-run"}, []string{"flag provided but not defined: -dry-run"}},
		{"verify server twice", proc{}, []string{"verify", "--ldap-server", "dc1", "--sql-server", `sql\rtc`, "--sql-server", `SQL\RTC`, "-f/u.txt"}, []string{`SQL\RTC given twice`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.p.run(t, append([]string{"lyncmigrate"}, tc.args...)...)
			o.mustRefuse(t, "lyncmigrate "+tc.args[0]+" --help", tc.want...)
		})
	}
}

// verify: every connection setting reaches its Config, with the report.
func TestVerifyConfig(t *testing.T) {
	p := proc{goos: "linux", env: map[string]string{"LYNCMIGRATE_LDAP_PASSWORD": "pw-l", "LYNCMIGRATE_SQL_PASSWORD": "pw-s"}}
	o := p.run(t, "lyncmigrate", "verify", "--ldap-server", "dc1.corp.local", "--ldap-bind-dn", "admin@corp.local", "--ldap-ca-file", "ca.pem",
		"--sql-server", "sqlbe.corp.local,1433", "--sql-server", `fe1\rtclocal`, "--sql-user", "lyncmig", "-f/u.txt", "-l/debug",
		"--report", "batch1.html", "--json").mustRun(t)
	c := o.verify
	if c == nil {
		t.Fatal("verify did not run")
	}
	if c.LDAP.Server != "dc1.corp.local" || c.LDAP.BindDN != "admin@corp.local" || c.LDAP.CAFile != "ca.pem" || c.LDAP.Auth != adclient.AuthSimple ||
		len(c.SQL.Servers) != 2 || c.SQL.Servers[1] != `fe1\rtclocal` || c.SQL.User != "lyncmig" || c.SQL.Auth != rtcclient.AuthSQL ||
		c.Report != "batch1.html" || c.Common.File != "u.txt" || c.Common.LogLevel != "debug" || !c.Common.JSON {
		t.Errorf("config %+v", c)
	}
	if l, _ := c.LDAP.PasswordFunc(); l != "pw-l" {
		t.Errorf("LDAP password %q", l)
	}
	if s, _ := c.SQL.PasswordFunc(); s != "pw-s" {
		t.Errorf("SQL password %q", s)
	}
	if s, ok := o.setting(t, "--report"); !ok || s.Value != "batch1.html" {
		t.Errorf("--report setting %+v", s)
	}
	// verify is not one of Cisco's tools: no executable name runs it.
	if got := commandFromArgv0(`C:\Tools\Verify.exe`); got != "" {
		t.Errorf("Verify.exe runs %q", got)
	}
}

func TestOSDefaults(t *testing.T) {
	win := proc{goos: "windows"}
	o := win.run(t, "lyncmigrate", "deleteaccount", `-s/sql\rtc`, "-s/dc1", "-f/u.txt") // second -s/ is another server
	o.mustRun(t)
	if o.delete.SQL.Auth != rtcclient.AuthWindows || o.delete.SQL.PasswordFunc != nil {
		t.Errorf("windows: sql auth %q, password func set: %v", o.delete.SQL.Auth, o.delete.SQL.PasswordFunc != nil)
	}
	o = win.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f/u.txt").mustRun(t)
	if o.disable.LDAP.Auth != adclient.AuthSSPI || o.disable.LDAP.PasswordFunc != nil {
		t.Errorf("windows without bind DN: ldap auth %q", o.disable.LDAP.Auth)
	}
	win.env = map[string]string{"LYNCMIGRATE_LDAP_PASSWORD": "pw"}
	o = win.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f/u.txt", "--ldap-bind-dn", "a@corp.local").mustRun(t)
	if o.disable.LDAP.Auth != adclient.AuthSimple || o.disable.LDAP.PasswordFunc == nil {
		t.Errorf("windows with bind DN: ldap auth %q", o.disable.LDAP.Auth)
	}

	lin := proc{goos: "linux", env: map[string]string{"LYNCMIGRATE_LDAP_PASSWORD": "pw", "LYNCMIGRATE_SQL_PASSWORD": "pw"}}
	o = lin.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f/u.txt", "--ldap-bind-dn", "a@corp.local").mustRun(t)
	if o.disable.LDAP.Auth != adclient.AuthSimple {
		t.Errorf("linux: ldap auth %q", o.disable.LDAP.Auth)
	}
	o = lin.run(t, "lyncmigrate", "deleteaccount", `-s/sql\rtc`, "-f/u.txt", "--sql-user", "lyncmig").mustRun(t)
	if o.delete.SQL.Auth != rtcclient.AuthSQL {
		t.Errorf("linux: sql auth %q", o.delete.SQL.Auth)
	}
	if s, _ := o.setting(t, "--sql-auth"); s.Value != "sql" || s.Source != "default" {
		t.Errorf("--sql-auth setting %+v", s)
	}
	if got := defaultLDAPAuth("windows", ""); got != "sspi" {
		t.Errorf("defaultLDAPAuth(windows) = %q", got)
	}
}

func TestEnumsCaseInsensitive(t *testing.T) {
	o := proc{goos: "linux", env: map[string]string{"LYNCMIGRATE_SQL_PASSWORD": "pw"}}.run(t, "lyncmigrate", "exportcontacts",
		`-i/sql\rtc`, "-s/dc1", "--ldap-auth", "Kerberos", "--sql-auth", "SQL", "--sql-user", "u", "--sql-encrypt", "Strict",
		"-f/u.txt", "-r/StatsOnly", "-l/Debug").mustRun(t)
	c := o.export
	if c.LDAP.Auth != "kerberos" || c.SQL.Auth != "sql" || c.SQL.Encrypt != "strict" || c.RunMode != "STATSONLY" || c.Common.LogLevel != "debug" {
		t.Errorf("not normalised: ldap %q sql %q encrypt %q mode %q level %q", c.LDAP.Auth, c.SQL.Auth, c.SQL.Encrypt, c.RunMode, c.Common.LogLevel)
	}
}

// Passwords reach the clients through PasswordFunc and never the audit list.
func TestSecretsNeverInSettings(t *testing.T) {
	const ldapPW, sqlPW = "hunter2-ldap", "hunter2-sql"
	p := proc{goos: "linux", env: map[string]string{"LYNCMIGRATE_LDAP_PASSWORD": ldapPW, "LYNCMIGRATE_SQL_PASSWORD": sqlPW}}
	o := p.run(t, "lyncmigrate", "exportcontacts", "-s/dc1", "--ldap-bind-dn", "admin@corp.local", `-i/sql\rtc`, "--sql-user", "u", "-f/u.txt").mustRun(t)
	if got, err := o.export.LDAP.PasswordFunc(); got != ldapPW || err != nil {
		t.Errorf("LDAP password func = %q, %v", got, err)
	}
	if got, err := o.export.SQL.PasswordFunc(); got != sqlPW || err != nil {
		t.Errorf("SQL password func = %q, %v", got, err)
	}
	var secrets int
	for _, s := range o.common(t).Settings {
		if strings.Contains(s.Value, "hunter2") || strings.Contains(s.Name, "hunter2") {
			t.Errorf("secret in setting %+v", s)
		}
		if s.Secret {
			secrets++
			if s.Source != "environment" {
				t.Errorf("secret setting %+v", s)
			}
		}
	}
	if secrets != 2 {
		t.Errorf("%d secret settings, want 2 (LDAP and SQL password)", secrets)
	}
}

func TestPasswordFileAndPrompt(t *testing.T) {
	o := proc{goos: "linux", tty: true}.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f/u.txt", "--ldap-bind-dn", "a@corp.local").mustRun(t)
	if got, err := o.disable.LDAP.PasswordFunc(); got != "typed" || err != nil {
		t.Errorf("prompted password = %q, %v", got, err)
	}
	if s, ok := o.setting(t, "LDAP password"); !ok || s.Value != "prompt on the terminal" {
		t.Errorf("password setting %+v", s)
	}
	o = proc{goos: "linux"}.run(t, "lyncmigrate", "disableaccount", "-s/dc1", "-f/u.txt", "--ldap-bind-dn", "a@corp.local", "--ldap-password-file", "/nonexistent/pw").mustRun(t)
	if _, err := o.disable.LDAP.PasswordFunc(); err == nil || !strings.Contains(err.Error(), "--ldap-password-file") {
		t.Errorf("missing password file: %v", err)
	}
	if s, ok := o.setting(t, "--ldap-password-file"); !ok || s.Value != "/nonexistent/pw" || s.Secret {
		t.Errorf("password file setting %+v", s)
	}
}

// A users file that cannot be read is a usage error named with the others,
// before any job: on Linux `-f/missing.txt` would otherwise be hidden behind
// the missing bind DN.
func TestUsersFileChecked(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.txt")
	present := filepath.Join(dir, "users.txt")
	if err := os.WriteFile(present, []byte("sip:ann@foo.com\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// the product quotes paths with %q and says what the OS says of a missing file
	qMissing, qDir, notExist := strconv.Quote(missing), strconv.Quote(dir), ostest.NotExistText(t)
	linuxLDAP := map[string]string{"LYNCMIGRATE_LDAP_BIND_DN": "a@corp.local", "LYNCMIGRATE_LDAP_PASSWORD": "p"}
	refused := []struct {
		name string
		p    proc
		args []string
		want []string
	}{
		{"Cisco name, Windows defaults", proc{realFiles: true}, []string{"DisableAccount.exe", "-s/ad.example.com", "-f/" + missing, "-l/debug"},
			[]string{`DisableAccount.exe: -f/: open users file ` + qMissing + `: ` + notExist}},
		{"Linux without credentials: every problem", proc{realFiles: true, goos: "linux"},
			[]string{"DisableAccount.exe", "-s/ad.example.com", "-f/" + missing, "-l/debug"},
			[]string{`open users file ` + qMissing + `: ` + notExist, "--ldap-bind-dn is required"}},
		{"delete", proc{realFiles: true}, []string{"lyncmigrate", "deleteaccount", `-s/sql\rtc`, "--file", missing},
			[]string{`--file: open users file ` + qMissing + `: ` + notExist}},
		{"export", proc{realFiles: true, env: linuxLDAP, goos: "linux"}, []string{"lyncmigrate", "exportcontacts", "--from-export", present, "-f", missing},
			[]string{`--file: open users file ` + qMissing}},
		{"export file", proc{realFiles: true, env: linuxLDAP, goos: "linux"}, []string{"lyncmigrate", "exportcontacts", "--from-export", missing, "-f", present},
			[]string{`--from-export: open export file ` + qMissing + `: ` + notExist}},
		{"a folder", proc{realFiles: true}, []string{"lyncmigrate", "disableaccount", "-s/dc1", "-f", dir},
			[]string{`--file: ` + qDir + ` is a folder`}},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			hint := "lyncmigrate " + tc.args[1] + " --help"
			if tc.args[0] != "lyncmigrate" {
				hint = tc.args[0] + " --help"
			}
			tc.p.run(t, tc.args...).mustRefuse(t, hint, tc.want...)
		})
	}
	// Read by the job, not the CLI: an existing file, stdin, and ALL in any
	// case (the job says why disable and delete refuse it).
	for _, args := range [][]string{
		{"lyncmigrate", "disableaccount", "-s/dc1", "-f", present},
		{"lyncmigrate", "disableaccount", "-s/dc1", "-f", "-"},
		{"lyncmigrate", "disableaccount", "-s/dc1", "-f/ALL"},
		{"lyncmigrate", "deleteaccount", `-s/sql\rtc`, "-f/all"},
	} {
		proc{realFiles: true}.run(t, args...).mustRun(t)
	}
}

// deleteaccount --undo takes its servers from the backup: --sql-server is
// not required, the other connection settings still apply and are checked.
func TestDeleteUndoNeedsNoServer(t *testing.T) {
	lin := proc{goos: "linux", env: map[string]string{"LYNCMIGRATE_SQL_PASSWORD": "pw"}}
	o := lin.run(t, "lyncmigrate", "deleteaccount", "--undo", "b.jsonl", "--sql-user", "lyncmig", "--sql-encrypt", "true").mustRun(t)
	c := o.delete
	if c.Undo != "b.jsonl" || len(c.SQL.Servers) != 0 || c.SQL.Auth != rtcclient.AuthSQL || c.SQL.User != "lyncmig" || c.SQL.Encrypt != "true" || c.SQL.PasswordFunc == nil {
		t.Errorf("undo config: undo %q servers %v auth %q user %q encrypt %q", c.Undo, c.SQL.Servers, c.SQL.Auth, c.SQL.User, c.SQL.Encrypt)
	}
	// a server given anyway is passed on: the job says in its log that it is ignored
	o = lin.run(t, "lyncmigrate", "deleteaccount", "--undo", "b.jsonl", "--sql-user", "lyncmig", `-s/sql\rtc`).mustRun(t)
	if len(o.delete.SQL.Servers) != 1 {
		t.Errorf("servers %v", o.delete.SQL.Servers)
	}
	// kerberos keys apply without a server
	o = proc{goos: "linux"}.run(t, "lyncmigrate", "deleteaccount", "--undo", "b.jsonl", "--sql-auth", "kerberos", "--krb5-keytab", "k.keytab", "--sql-user", "svc@CORP").mustRun(t)
	if o.delete.SQL.Auth != rtcclient.AuthKerberos || o.delete.SQL.Krb5Keytab != "k.keytab" {
		t.Errorf("kerberos undo: auth %q keytab %q", o.delete.SQL.Auth, o.delete.SQL.Krb5Keytab)
	}
	// the settings are still checked
	proc{goos: "linux"}.run(t, "lyncmigrate", "deleteaccount", "--undo", "b.jsonl").
		mustRefuse(t, "lyncmigrate deleteaccount --help", "--sql-auth sql: --sql-user is required")
	proc{goos: "linux", env: map[string]string{"LYNCMIGRATE_SQL_PASSWORD": "pw"}}.run(t, "lyncmigrate", "deleteaccount", "--undo", "b.jsonl", "--sql-user", "u", "--sql-encrypt", "maybe").
		mustRefuse(t, "lyncmigrate deleteaccount --help", `--sql-encrypt "maybe"`)
}
