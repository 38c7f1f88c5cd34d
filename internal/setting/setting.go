// Package setting names the settings of a run — by their long flag names,
// which SPEC 3.7.1 fixes — and carries the errors that name them. The
// packages that own a rule (each job's Config.Validate, the clients'
// Config.Validate, run.Common.Validate) word each problem once;
// cmd/lyncmigrate renders the names the way the operator gave each setting
// (--ldap-server, Cisco -s/, $LYNCMIGRATE_LDAP_SERVER).
package setting

import (
	"errors"
	"fmt"
	"strings"
)

// Name is a setting, by its long flag name without the dashes. It prints as
// the flag ("--ldap-server").
type Name string

func (n Name) String() string { return "--" + string(n) }

// The settings (SPEC 3.7.1). Scripts depend on the flag names: never rename one.
const (
	File     Name = "file"
	LogLevel Name = "log-level"
	LogDir   Name = "log-dir"
	JSON     Name = "json"
	Workers  Name = "workers"

	LDAPServer       Name = "ldap-server"
	LDAPBindDN       Name = "ldap-bind-dn"
	LDAPPasswordFile Name = "ldap-password-file"
	LDAPAuth         Name = "ldap-auth"
	LDAPSPN          Name = "ldap-spn"
	LDAPCAFile       Name = "ldap-ca-file"
	LDAPStartTLS     Name = "ldap-starttls"
	LDAPInsecure     Name = "ldap-insecure-skip-verify"
	LDAPBase         Name = "ldap-base"

	SQLServer       Name = "sql-server"
	SQLDatabase     Name = "sql-database"
	SQLUser         Name = "sql-user"
	SQLPasswordFile Name = "sql-password-file"
	SQLAuth         Name = "sql-auth"
	SQLSPN          Name = "sql-spn"
	SQLEncrypt      Name = "sql-encrypt"
	SQLTrustCert    Name = "sql-trust-server-cert"
	SQLCAFile       Name = "sql-ca-file"

	Krb5Config Name = "krb5-config"
	Krb5Keytab Name = "krb5-keytab"
	Krb5CCache Name = "krb5-ccache"

	DryRun   Name = "dry-run"
	MaxUsers Name = "max-users"
	Clear    Name = "clear"
	Undo     Name = "undo"
	Check    Name = "check"

	DumpSchema      Name = "dump-schema"
	Trial           Name = "trial"
	WaitReplication Name = "wait-replication"

	FromExport   Name = "from-export"
	Domain       Name = "domain"
	RunMode      Name = "run-mode"
	OutDir       Name = "out-dir"
	DefaultGroup Name = "default-group"
	NoHeader     Name = "no-header"
	StateColumn  Name = "state-column"
	MaxContacts  Name = "max-contacts"

	Report Name = "report" // verify
)

// Required, as an argument of Errorf, says that a setting must be given:
// "--ldap-server is required" (cmd/lyncmigrate adds every way to give it).
type Required Name

// Shower names settings for a person; cmd/lyncmigrate's knows how each one
// was given.
type Shower interface {
	Show(Name) string     // "-s/", "$LYNCMIGRATE_LDAP_SERVER" or "--ldap-server"
	Required(Name) string // "--ldap-server is required (also: Cisco -s/, …)"
}

// Error is one problem with the settings.
type Error struct {
	format string
	args   []any
}

// Errorf makes a setting error: the arguments of type Name and Required are
// rendered by the Shower (Render), or as flags by Error.
func Errorf(format string, args ...any) error { return &Error{format: format, args: args} }

func (e *Error) Error() string { return e.render(nil) }

func (e *Error) render(sh Shower) string {
	args := make([]any, len(e.args))
	for i, a := range e.args {
		switch v := a.(type) {
		case Name:
			if sh != nil {
				a = sh.Show(v)
			} else {
				a = v.String()
			}
		case Required:
			if sh != nil {
				a = sh.Required(Name(v))
			} else {
				a = Name(v).String() + " is required"
			}
		}
		args[i] = a
	}
	return fmt.Sprintf(e.format, args...)
}

// Render is err for a person, one problem a line: each setting error
// (errors.Join'ed ones each) with the names as sh shows them, any other
// error as it is.
func Render(err error, sh Shower) string {
	var lines []string
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case *Error:
			lines = append(lines, e.render(sh))
		case interface{ Unwrap() []error }:
			for _, c := range e.Unwrap() {
				walk(c)
			}
		default:
			// A wrapper that adds nothing (an exit-code mark) is see-through.
			if u := errors.Unwrap(err); u != nil && u.Error() == err.Error() {
				walk(u)
				return
			}
			lines = append(lines, err.Error())
		}
	}
	walk(err)
	return strings.Join(lines, "\n")
}

// OneOf is nil if v is one of values, else the error naming the setting and
// the values it takes: `--sql-encrypt "maybe": use disable, false, true or strict`.
func OneOf(n Name, v string, values []string) error {
	for _, want := range values {
		if v == want {
			return nil
		}
	}
	return Errorf("%s %q: use %s", n, v, OrList(values))
}

// Canonical is the value of values that equals v ignoring case (enum values
// are case-insensitive on the command line, SPEC 3.3), else v unchanged.
func Canonical(v string, values []string) string {
	for _, want := range values {
		if strings.EqualFold(v, want) {
			return want
		}
	}
	return v
}

// OrList is "a, b or c".
func OrList(values []string) string {
	if len(values) == 1 {
		return values[0]
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}
