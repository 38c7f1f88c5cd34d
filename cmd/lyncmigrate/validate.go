package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/exportcontacts"
	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// Every rule that involves more than one flag, or a flag's value, lives in
// this file. Each message names the setting the way it was given (--flag,
// Cisco -x/ or $LYNCMIGRATE_…). All problems are reported at once, as usage
// errors (exit 2), before any prompt or connection.

const maxWorkers = 64

var (
	logLevels  = []string{"error", "info", "debug"}
	runModes   = []string{exportcontacts.ModeNormal, exportcontacts.ModeStatsOnly}
	ldapAuths  = []string{string(adclient.AuthSimple), string(adclient.AuthKerberos), string(adclient.AuthSSPI)}
	sqlAuths   = []string{string(rtcclient.AuthWindows), string(rtcclient.AuthSQL), string(rtcclient.AuthKerberos)}
	sqlEncrypt = []string{"disable", "false", "true", "strict"}
	attrName   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)
)

type problems struct{ list []string }

func (p *problems) addf(format string, args ...any) {
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return errors.New(strings.Join(p.list, "\n"))
}

// need says how a command uses a connection.
type need int

const (
	needNone need = iota
	needOptional
	needRequired
	needSettings // the servers come from elsewhere (deleteaccount --undo: the backup names them); the connection settings apply
)

// enum normalises *v to the matching value of values (compared
// case-insensitively) or reports it.
func enum(r *resolver, p *problems, flag string, v *string, values []string) {
	for _, want := range values {
		if strings.EqualFold(*v, want) {
			*v = want
			return
		}
	}
	p.addf("%s %q: use %s", r.origin(flag), *v, orList(values))
}

func orList(values []string) string {
	if len(values) == 1 {
		return values[0]
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

func validateCommon(r *resolver, p *problems, o *commonOpts) {
	for _, e := range r.errs {
		p.addf("%s", e)
	}
	enum(r, p, flagLogLevel, &o.logLevel, logLevels)
	if o.workers < 1 || o.workers > maxWorkers {
		p.addf("%s %d: use 1 to %d", r.origin(flagWorkers), o.workers, maxWorkers)
	}
}

// unused reports connection flags typed on the command line for a
// connection this run does not make. Environment values are ignored there:
// the variables are often set once for every command.
func unused(r *resolver, p *problems, names []string, why string) {
	for _, n := range names {
		if r.onCommandLine(n) {
			p.addf("%s: %s", r.origin(n), why)
		}
	}
}

// passwordSource checks that a needed password can be found without a
// network: one of the variable, the file or a terminal prompt.
func passwordSource(r *resolver, p *problems, label, env string, envValue *string, fileFlag, file string, canPrompt bool) {
	switch {
	case envValue != nil && file != "":
		p.addf("%s password given twice, by $%s and %s: use one", label, env, r.origin(fileFlag))
	case envValue != nil && *envValue == "":
		p.addf("$%s is set but empty", env)
	case envValue == nil && file == "" && !canPrompt:
		p.addf("%s password needed: set $%s, use --%s FILE, or run on a terminal to be prompted", label, env, fileFlag)
	}
}

func validateLDAP(r *resolver, p *problems, o *ldapOpts, k krb5Opts, n need, why string, canPrompt bool) {
	if o.server == "" || n == needNone {
		if n == needRequired {
			p.addf("%s", r.required(flagLDAPServer))
			return
		}
		if n == needNone {
			unused(r, p, ldapFlagNames, why)
		} else {
			unused(r, p, ldapFlagNames[1:], "needs --"+flagLDAPServer)
		}
		o.server = ""
		r.drop(ldapFlagNames...)
		return
	}
	enum(r, p, flagLDAPAuth, &o.auth, ldapAuths)
	switch adclient.Auth(o.auth) {
	case adclient.AuthSSPI:
		if r.inv.sys.goos != "windows" {
			p.addf("%s sspi works only on Windows: use simple or kerberos", r.origin(flagLDAPAuth))
		}
		for _, f := range []string{flagLDAPBindDN, flagLDAPPasswordFile} {
			if r.given(f) {
				p.addf("%s: sspi binds as the logged-on user; drop it or use --%s simple", r.origin(f), flagLDAPAuth)
			}
		}
	case adclient.AuthSimple:
		if o.bindDN == "" {
			p.addf("%s simple: %s", r.origin(flagLDAPAuth), r.required(flagLDAPBindDN))
		}
	}
	if o.startTLS && strings.HasPrefix(strings.ToLower(o.server), "ldaps://") {
		p.addf("%s with %s %s: StartTLS upgrades a plain ldap:// connection; drop one", r.origin(flagLDAPStartTLS), r.origin(flagLDAPServer), o.server)
	}
	if o.insecure && o.caFile != "" {
		p.addf("%s with %s: the certificate is either verified against the CA or not at all; drop one", r.origin(flagLDAPInsecure), r.origin(flagLDAPCAFile))
	}
	if o.needsPassword(k) {
		passwordSource(r, p, "LDAP", envLDAPPassword, o.passwordEnv, flagLDAPPasswordFile, o.passwordFile, canPrompt)
	} else if o.passwordFile != "" && adclient.Auth(o.auth) != adclient.AuthSSPI && r.onCommandLine(flagLDAPPasswordFile) {
		p.addf("%s: --%s %s does not use a password", r.origin(flagLDAPPasswordFile), flagLDAPAuth, o.auth)
	}
	if len(p.list) == 0 { // the client's own checks, on values now normalised
		cfg := o.config(r.inv, k, false)
		if cfg.Auth == adclient.AuthSSPI {
			// sspi was checked above against the OS the defaults are decided
			// for (tests run the Windows rules on Linux); the client would
			// check the OS it was compiled for. Its remaining check is the
			// server, which a kerberos config without keytab tests alike.
			cfg.Auth, cfg.Krb5Keytab = adclient.AuthKerberos, ""
		}
		if err := cfg.Validate(); err != nil {
			p.addf("%v", err)
		}
	}
}

func validateSQL(r *resolver, p *problems, o *sqlOpts, k krb5Opts, n need, why string, canPrompt bool) {
	if (len(o.servers) == 0 && n != needSettings) || n == needNone {
		if n == needRequired {
			p.addf("%s", r.required(flagSQLServer))
			return
		}
		if n == needNone {
			unused(r, p, sqlFlagNames, why)
		} else {
			unused(r, p, sqlFlagNames[1:], "needs --"+flagSQLServer)
		}
		o.servers = nil
		r.drop(sqlFlagNames...)
		return
	}
	seen := map[string]bool{}
	for i, s := range o.servers {
		s = strings.TrimSpace(s)
		o.servers[i] = s
		switch {
		case s == "":
			p.addf("%s: empty server name", r.origin(flagSQLServer))
		case seen[strings.ToLower(s)]:
			p.addf("%s %s given twice", r.origin(flagSQLServer), s)
		}
		seen[strings.ToLower(s)] = true
	}
	if strings.TrimSpace(o.database) == "" {
		p.addf("%s: empty database name", r.origin(flagSQLDatabase))
	}
	enum(r, p, flagSQLAuth, &o.auth, sqlAuths)
	enum(r, p, flagSQLEncrypt, &o.encrypt, sqlEncrypt)
	if rtcclient.Auth(o.auth) == rtcclient.AuthSQL && o.user == "" {
		p.addf("%s sql: %s", r.origin(flagSQLAuth), r.required(flagSQLUser))
	}
	if rtcclient.Auth(o.auth) == rtcclient.AuthWindows {
		if r.inv.sys.goos != "windows" {
			p.addf("%s windows works only on Windows: use sql (with --%s) or kerberos", r.origin(flagSQLAuth), flagSQLUser)
		}
		if r.given(flagSQLPasswordFile) {
			p.addf("%s: --%s windows uses the logged-on user; drop it or use --%s sql", r.origin(flagSQLPasswordFile), flagSQLAuth, flagSQLAuth)
		}
	}
	if o.trustCert && o.ca != "" {
		p.addf("%s with %s: the certificate is either verified against the CA or not at all; drop one", r.origin(flagSQLTrustCert), r.origin(flagSQLCAFile))
	}
	if o.needsPassword(k) {
		passwordSource(r, p, "SQL", envSQLPassword, o.passwordEnv, flagSQLPasswordFile, o.passwordFile, canPrompt)
	}
	if len(p.list) == 0 {
		if err := o.config(r.inv, k, false).Validate(); err != nil {
			p.addf("%v", err)
		}
	}
}

// validateKrb5 runs after the connections: the krb5 settings apply only
// with kerberos auth on one of them.
func validateKrb5(r *resolver, p *problems, k krb5Opts, used bool) {
	if !used {
		unused(r, p, krb5FlagNames, fmt.Sprintf("used only with --%s kerberos or --%s kerberos", flagLDAPAuth, flagSQLAuth))
		r.drop(krb5FlagNames...)
		return
	}
	if k.keytab != "" && k.ccache != "" {
		p.addf("%s and %s: give one source of Kerberos keys", r.origin(flagKrb5Keytab), r.origin(flagKrb5CCache))
	}
}

func kerberosUsed(l ldapOpts, s sqlOpts) bool {
	return (l.server != "" && adclient.Auth(l.auth) == adclient.AuthKerberos) ||
		(len(s.servers) > 0 && rtcclient.Auth(s.auth) == rtcclient.AuthKerberos)
}

// validateUsersFile names a missing users file (or a folder) among the other
// usage errors: on Linux a missing bind DN would otherwise be all that is
// said about `-f/missing.txt`. "-" (stdin) and ALL are the job's to judge.
func validateUsersFile(r *resolver, p *problems, file string) {
	stat := r.inv.sys.statFile
	if stat == nil || file == "" || file == "-" || strings.EqualFold(file, "ALL") {
		return
	}
	fi, err := stat(file)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is named below, as given
	}
	switch {
	case err != nil:
		p.addf("%s: open users file %q: %v", r.origin(flagFile), file, err)
	case fi.IsDir():
		p.addf("%s: %q is a folder: give the file of users", r.origin(flagFile), file)
	}
}

func validateMaxUsers(r *resolver, p *problems, n int) {
	if n < 1 {
		p.addf("%s %d: use a positive number", r.origin(flagMaxUsers), n)
	}
}

// choice is one of several mutually exclusive settings.
type choice struct {
	flag string
	set  bool
}

// exactlyOne reports unless exactly one of the choices is set.
func exactlyOne(r *resolver, p *problems, choices ...choice) {
	var given, all []string
	for _, c := range choices {
		if c.set {
			given = append(given, r.origin(c.flag))
		}
		name := "--" + c.flag
		if short := shortAlias(c.flag); short != "" {
			name = "-" + short + "/" + name
		}
		all = append(all, name)
	}
	switch len(given) {
	case 0:
		p.addf("nothing to do: give %s", orList(all))
	case 1:
	default:
		p.addf("%s and %s cannot be used together: give one", strings.Join(given[:len(given)-1], ", "), given[len(given)-1])
	}
}

func validateExport(r *resolver, o *exportOpts, canPrompt bool) error {
	var p problems
	validateCommon(r, &p, &o.common)
	enum(r, &p, flagRunMode, &o.runMode, runModes)
	if o.maxContacts < 1 {
		p.addf("%s %d: use a positive number", r.origin(flagMaxContacts), o.maxContacts)
	}
	if strings.TrimSpace(o.defaultGroup) == "" {
		p.addf("%s: the group name cannot be empty", r.origin(flagDefaultGroup))
	}
	sqlNeed, ldapNeed := needOptional, needOptional
	sqlWhy, ldapWhy := "", ""
	switch {
	case o.check:
		// --check compares the rtc schema and touches no user.
		for _, f := range []string{flagFile, flagFromExport} {
			if r.given(f) {
				p.addf("%s: --%s runs only the schema check and reads no users", r.origin(f), flagCheck)
			}
		}
		sqlNeed, ldapNeed, ldapWhy = needRequired, needNone, "--"+flagCheck+" does not use Active Directory"
	case o.fromExport != "":
		if r.onCommandLine(flagSQLServer) {
			p.addf("%s and --%s are two sources of contacts: give one", r.origin(flagSQLServer), flagFromExport)
		}
		sqlNeed, sqlWhy = needNone, "not used with --"+flagFromExport
		if o.common.file == "" {
			p.addf("%s", r.required(flagFile))
		}
		validateUsersFile(r, &p, o.common.file)
		if o.common.file == "-" && o.fromExport == "-" {
			p.addf("-f - and --%s -: only one can read standard input", flagFromExport)
		}
	default:
		validateUsersFile(r, &p, o.common.file)
		if len(o.sql.servers) == 0 {
			p.addf("no source of contacts: give %s for the rtc database (Cisco -i/), or --%s FILE for an Export-CsUserData zip or DBImpExp XML",
				"--"+flagSQLServer, flagFromExport)
			sqlNeed = needOptional
		} else {
			sqlNeed, ldapNeed = needRequired, needRequired // users are resolved in AD
		}
		if o.common.file == "" {
			p.addf("%s", r.required(flagFile))
		}
	}
	validateLDAP(r, &p, &o.ldap, o.krb5, ldapNeed, ldapWhy, canPrompt)
	validateSQL(r, &p, &o.sql, o.krb5, sqlNeed, sqlWhy, canPrompt)
	validateKrb5(r, &p, o.krb5, kerberosUsed(o.ldap, o.sql))
	return p.err()
}

func validateDisable(r *resolver, o *disableOpts, canPrompt bool) error {
	var p problems
	validateCommon(r, &p, &o.common)
	validateMaxUsers(r, &p, o.maxUsers)
	exactlyOne(r, &p, choice{flagFile, o.common.file != ""}, choice{flagUndo, o.undo != ""})
	validateUsersFile(r, &p, o.common.file)
	if o.undo != "" && len(o.clear) > 0 {
		p.addf("%s: --%s restores a backup as it is", r.origin(flagClear), flagUndo)
	}
	seen := map[string]bool{}
	for i, a := range o.clear {
		a = strings.TrimSpace(a)
		o.clear[i] = a
		switch {
		case strings.EqualFold(a, adclient.AttrPrimaryUserAddress):
			p.addf("--%s %s: this attribute is never changed (IM and Presence maps the directory URI to it and the Lync address book needs it)", flagClear, a)
		case !attrName.MatchString(a):
			p.addf("--%s %q: not an attribute name", flagClear, a)
		case seen[strings.ToLower(a)]:
			p.addf("--%s %s given twice", flagClear, a)
		}
		seen[strings.ToLower(a)] = true
	}
	validateLDAP(r, &p, &o.ldap, o.krb5, needRequired, "", canPrompt)
	validateKrb5(r, &p, o.krb5, kerberosUsed(o.ldap, sqlOpts{}))
	return p.err()
}

func validateVerify(r *resolver, o *verifyOpts, canPrompt bool) error {
	var p problems
	validateCommon(r, &p, &o.common)
	if o.common.file == "" {
		p.addf("%s", r.required(flagFile))
	}
	validateUsersFile(r, &p, o.common.file)
	if o.report != "" {
		if ext := strings.ToLower(filepath.Ext(o.report)); ext != ".html" && ext != ".htm" {
			p.addf("--%s %s: the report is an HTML page; name it FILE.html", flagReport, o.report)
		}
	}
	validateLDAP(r, &p, &o.ldap, o.krb5, needRequired, "", canPrompt)
	validateSQL(r, &p, &o.sql, o.krb5, needRequired, "", canPrompt)
	validateKrb5(r, &p, o.krb5, kerberosUsed(o.ldap, o.sql))
	return p.err()
}

func validateDelete(r *resolver, o *deleteOpts, canPrompt bool) error {
	var p problems
	validateCommon(r, &p, &o.common)
	validateMaxUsers(r, &p, o.maxUsers)
	exactlyOne(r, &p, choice{flagFile, o.common.file != ""}, choice{flagCheck, o.check}, choice{flagUndo, o.undo != ""})
	validateUsersFile(r, &p, o.common.file)
	if o.check && o.dryRun {
		p.addf("--%s with --%s: the check writes nothing anyway; drop --%s", flagDryRun, flagCheck, flagDryRun)
	}
	if o.trial && (o.dryRun || o.check || o.undo != "") {
		p.addf("--%s runs the deletes and rolls them back: it cannot be combined with --%s, --%s or --%s", flagTrial, flagDryRun, flagCheck, flagUndo)
	}
	switch {
	case o.wait < 0:
		p.addf("--%s %s: give a positive duration, e.g. 30m", flagWaitReplication, o.wait)
	case o.wait > 0 && (o.check || o.undo != ""):
		p.addf("--%s applies to a delete run, not to --%s or --%s", flagWaitReplication, flagCheck, flagUndo)
	}
	ldapNeed, ldapWhy := needOptional, ""
	if o.check {
		ldapNeed, ldapWhy = needNone, "--"+flagCheck+" does not use Active Directory"
	}
	sqlNeed := needRequired
	if o.undo != "" {
		sqlNeed = needSettings // --sql-server given anyway is ignored, with a WARN in the log
	}
	validateSQL(r, &p, &o.sql, o.krb5, sqlNeed, "", canPrompt)
	validateLDAP(r, &p, &o.ldap, o.krb5, ldapNeed, ldapWhy, canPrompt)
	validateKrb5(r, &p, o.krb5, kerberosUsed(o.ldap, o.sql) || (o.undo != "" && rtcclient.Auth(o.sql.auth) == rtcclient.AuthKerberos))
	return p.err()
}
