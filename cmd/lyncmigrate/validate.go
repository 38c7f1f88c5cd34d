package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/exportcontacts"
	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
	"github.com/lyncmigrate/lyncmigrate/internal/setting"
)

// The rules each setting follows live with the package that uses it: each
// job's Config.Validate (its own rules, then the connection's and the common
// settings'), which the command calls once its Config is built. This file
// holds only what the command line alone knows: a flag typed for a
// connection this run does not make, where a password will come from, the
// auths that exist on the OS the run targets, the numbers whose zero means
// "default" in a Config, what to do (-f, --undo, --check), the users file.
// Every message names the setting the way it was given (--flag, Cisco -x/ or
// $LYNCMIGRATE_…). All problems are reported at once, as usage errors (exit
// 2), before any prompt or connection.

const maxWorkers = 64

type problems struct{ list []string }

func (p *problems) addf(format string, args ...any) {
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

// add appends the problems of a Validate, the settings named as given.
func (p *problems) add(r *resolver, err error) {
	if err != nil {
		p.list = append(p.list, strings.Split(setting.Render(err, r), "\n")...)
	}
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return errors.New(strings.Join(p.list, "\n"))
}

// Show and Required make the resolver a setting.Shower: a setting named the
// way the operator gave it.
func (r *resolver) Show(n setting.Name) string     { return r.origin(string(n)) }
func (r *resolver) Required(n setting.Name) string { return r.required(string(n)) }

// need says how a command uses a connection.
type need int

const (
	needNone     need = iota
	needOptional      // the job says when it is required
	needSettings      // the servers come from elsewhere (deleteaccount --undo: the backup names them); the connection settings apply
	needConflict      // another source is used: the other flags are unused, a typed server is kept for the job to refuse
)

func orList(values []string) string { return setting.OrList(values) }

func validateCommon(r *resolver, p *problems, o *commonOpts) {
	for _, e := range r.errs {
		p.addf("%s", e)
	}
	o.logLevel = setting.Canonical(o.logLevel, runlog.LevelNames)
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

// skipConnection handles a connection the run does not make (or makes with
// no server given): flags typed for it are reported, its settings dropped.
// It reports whether the connection's own checks are over.
func skipConnection(r *resolver, p *problems, names []string, server string, n need, why string) bool {
	switch {
	case n == needConflict:
		unused(r, p, names[1:], why)
		r.drop(names[1:]...)
		if !r.onCommandLine(names[0]) {
			r.drop(names[0])
		}
		return true
	case n == needNone:
		unused(r, p, names, why)
	case server == "" && n != needSettings:
		unused(r, p, names[1:], "needs --"+names[0])
	default:
		return false
	}
	r.drop(names...)
	return true
}

func validateLDAP(r *resolver, p *problems, o *ldapOpts, k krb5Opts, n need, why string, canPrompt bool) {
	if skipConnection(r, p, ldapFlagNames, o.server, n, why) {
		if n != needConflict || !r.onCommandLine(flagLDAPServer) {
			o.server = ""
		}
		return
	}
	o.auth = setting.Canonical(o.auth, adclient.AuthValues)
	if adclient.Auth(o.auth) == adclient.AuthSSPI {
		if r.inv.sys.goos != "windows" {
			p.add(r, adclient.ErrSSPIOnlyWindows)
		}
		for _, f := range []string{flagLDAPBindDN, flagLDAPPasswordFile} {
			if r.given(f) {
				p.addf("%s: sspi binds as the logged-on user; drop it or use --%s simple", r.origin(f), flagLDAPAuth)
			}
		}
	}
	if o.config(r.inv, k, false).NeedsPassword() {
		passwordSource(r, p, "LDAP", envLDAPPassword, o.passwordEnv, flagLDAPPasswordFile, o.passwordFile, canPrompt)
	} else if o.passwordFile != "" && adclient.Auth(o.auth) != adclient.AuthSSPI && r.onCommandLine(flagLDAPPasswordFile) {
		p.addf("%s: --%s %s does not use a password", r.origin(flagLDAPPasswordFile), flagLDAPAuth, o.auth)
	}
}

func validateSQL(r *resolver, p *problems, o *sqlOpts, k krb5Opts, n need, why string, canPrompt bool) {
	for i, s := range o.servers {
		o.servers[i] = strings.TrimSpace(s)
	}
	server := strings.Join(o.servers, ";")
	if skipConnection(r, p, sqlFlagNames, server, n, why) {
		if n != needConflict || !r.onCommandLine(flagSQLServer) {
			o.servers = nil
		}
		return
	}
	if strings.TrimSpace(o.database) == "" {
		p.addf("%s: empty database name", r.origin(flagSQLDatabase))
	}
	o.auth = setting.Canonical(o.auth, rtcclient.AuthValues)
	o.encrypt = setting.Canonical(o.encrypt, rtcclient.EncryptValues)
	if rtcclient.Auth(o.auth) == rtcclient.AuthWindows {
		if r.inv.sys.goos != "windows" {
			p.add(r, rtcclient.ErrWindowsAuthOnlyWindows)
		}
		if r.given(flagSQLPasswordFile) {
			p.addf("%s: --%s windows uses the logged-on user; drop it or use --%s sql", r.origin(flagSQLPasswordFile), flagSQLAuth, flagSQLAuth)
		}
	}
	if o.config(r.inv, k, false).NeedsPassword() {
		passwordSource(r, p, "SQL", envSQLPassword, o.passwordEnv, flagSQLPasswordFile, o.passwordFile, canPrompt)
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
	if !strings.EqualFold(file, "ALL") {
		validateInputFile(r, p, flagFile, file, "users file", "the file of users")
	}
}

// validateInputFile names an input file that is missing or a folder (the job
// finds it too, but only once its log is open).
func validateInputFile(r *resolver, p *problems, flag, file, what, give string) {
	stat := r.inv.sys.statFile
	if stat == nil || file == "" || file == "-" {
		return
	}
	fi, err := stat(file)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is named below, as given
	}
	switch {
	case err != nil:
		p.addf("%s: open %s %q: %v", r.origin(flag), what, file, err)
	case fi.IsDir():
		p.addf("%s: %q is a folder: give %s", r.origin(flag), file, give)
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
	o.runMode = setting.Canonical(o.runMode, exportcontacts.RunModes)
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
		ldapNeed, ldapWhy = needNone, "--"+flagCheck+" does not use Active Directory"
	case o.fromExport != "":
		sqlNeed, sqlWhy = needConflict, "not used with --"+flagFromExport
		if o.common.file == "" {
			p.addf("%s", r.required(flagFile))
		}
		validateUsersFile(r, &p, o.common.file)
		validateInputFile(r, &p, flagFromExport, o.fromExport, "export file", "the Export-CsUserData zip or the DBImpExp XML file")
	default:
		validateUsersFile(r, &p, o.common.file)
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
	validateLDAP(r, &p, &o.ldap, o.krb5, needOptional, "", canPrompt)
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
	validateLDAP(r, &p, &o.ldap, o.krb5, needOptional, "", canPrompt)
	validateSQL(r, &p, &o.sql, o.krb5, needOptional, "", canPrompt)
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
	ldapNeed, ldapWhy := needOptional, ""
	if o.check {
		ldapNeed, ldapWhy = needNone, "--"+flagCheck+" does not use Active Directory"
	}
	sqlNeed := needOptional
	if o.undo != "" {
		sqlNeed = needSettings // --sql-server given anyway is ignored, with a WARN in the log
	}
	validateSQL(r, &p, &o.sql, o.krb5, sqlNeed, "", canPrompt)
	validateLDAP(r, &p, &o.ldap, o.krb5, ldapNeed, ldapWhy, canPrompt)
	validateKrb5(r, &p, o.krb5, kerberosUsed(o.ldap, o.sql) || (o.undo != "" && rtcclient.Auth(o.sql.auth) == rtcclient.AuthKerberos))
	return p.err()
}

// withJob adds the problems the job's Config.Validate finds to the command
// line's own, each setting named as the operator gave it.
func withJob(r *resolver, cmdErr, jobErr error) error {
	var p problems
	if cmdErr != nil {
		p.list = strings.Split(cmdErr.Error(), "\n")
	}
	p.add(r, jobErr)
	return p.err()
}
