package main

import "strings"

// Environment fallbacks (SPEC 3.4): connection and authentication settings
// ONLY. Never the users file, --dry-run, --undo, --clear, --max-users, the
// search base or anything else that chooses which users change, and never a
// switch that weakens TLS: those must be visible on the command line.
// env_test.go enforces this list.
var envFlags = map[string]bool{
	flagLDAPServer:       true,
	flagLDAPBindDN:       true,
	flagLDAPPasswordFile: true,
	flagLDAPAuth:         true,
	flagLDAPSPN:          true,
	flagLDAPCAFile:       true,
	flagLDAPStartTLS:     true,
	flagSQLServer:        true, // several separated by ';'
	flagSQLDatabase:      true,
	flagSQLUser:          true,
	flagSQLPasswordFile:  true,
	flagSQLAuth:          true,
	flagSQLSPN:           true,
	flagSQLEncrypt:       true,
	flagSQLCAFile:        true,
	flagKrb5Config:       true,
	flagKrb5Keytab:       true,
	flagKrb5CCache:       true,
}

// The passwords themselves have no flag: only these variables, a
// --*-password-file or the prompt.
const (
	envLDAPPassword = "LYNCMIGRATE_LDAP_PASSWORD"
	envSQLPassword  = "LYNCMIGRATE_SQL_PASSWORD"
)

// envSliceSeparator separates several --sql-server values in one variable:
// not ',' because "host,port" is one server.
const envSliceSeparator = ";"

// envVarFor returns the variable a flag falls back to: --ldap-bind-dn ->
// LYNCMIGRATE_LDAP_BIND_DN. ok is false for flags without a fallback.
func envVarFor(flag string) (name string, ok bool) {
	if !envFlags[flag] {
		return "", false
	}
	return "LYNCMIGRATE_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_")), true
}
