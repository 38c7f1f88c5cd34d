package main

import (
	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
	"github.com/lyncmigrate/lyncmigrate/internal/secret"
)

// The settings as read from the command line, the environment and the
// defaults, before validation (validate.go) turns them into job configs.

type commonOpts struct {
	file, logLevel, logDir string
	json                   bool
	workers                int
}

type ldapOpts struct {
	server, bindDN, passwordFile, auth, spn, caFile, base string
	startTLS, insecure                                    bool
	passwordEnv                                           *string // LYNCMIGRATE_LDAP_PASSWORD when set
}

type sqlOpts struct {
	servers                                              []string
	database, user, passwordFile, auth, spn, encrypt, ca string
	trustCert                                            bool
	passwordEnv                                          *string // LYNCMIGRATE_SQL_PASSWORD when set
}

type krb5Opts struct{ config, keytab, ccache string }

var (
	ldapFlagNames = []string{flagLDAPServer, flagLDAPBindDN, flagLDAPPasswordFile, flagLDAPAuth, flagLDAPSPN,
		flagLDAPCAFile, flagLDAPStartTLS, flagLDAPInsecure, flagLDAPBase}
	sqlFlagNames = []string{flagSQLServer, flagSQLDatabase, flagSQLUser, flagSQLPasswordFile, flagSQLAuth,
		flagSQLSPN, flagSQLEncrypt, flagSQLTrustCert, flagSQLCAFile}
	krb5FlagNames = []string{flagKrb5Config, flagKrb5Keytab, flagKrb5CCache}
)

func resolveCommon(r *resolver) commonOpts {
	return commonOpts{
		file:     r.str(flagFile),
		logLevel: r.str(flagLogLevel),
		logDir:   r.logDir(),
		json:     r.boolean(flagJSON),
		workers:  r.integer(flagWorkers),
	}
}

// logDir resolves --log-dir; its default is shown in the audit header as the
// folder it stands for.
func (r *resolver) logDir() string {
	def := ""
	if r.inv.sys.logDir != nil {
		if d, err := r.inv.sys.logDir(); err == nil {
			def = d
		}
	}
	return r.strOr(flagLogDir, def)
}

func resolveLDAP(r *resolver) ldapOpts {
	o := ldapOpts{
		server:       r.str(flagLDAPServer),
		bindDN:       r.str(flagLDAPBindDN),
		passwordFile: r.str(flagLDAPPasswordFile),
	}
	o.auth = r.strOr(flagLDAPAuth, defaultLDAPAuth(r.inv.sys.goos, o.bindDN))
	o.spn = r.str(flagLDAPSPN)
	o.caFile = r.str(flagLDAPCAFile)
	o.startTLS = r.boolean(flagLDAPStartTLS)
	o.insecure = r.boolean(flagLDAPInsecure)
	o.base = r.str(flagLDAPBase)
	if v, ok := r.inv.sys.lookupEnv(envLDAPPassword); ok {
		o.passwordEnv = &v
	}
	return o
}

func resolveSQL(r *resolver) sqlOpts {
	o := sqlOpts{
		servers:      r.strs(flagSQLServer),
		database:     r.str(flagSQLDatabase),
		user:         r.str(flagSQLUser),
		passwordFile: r.str(flagSQLPasswordFile),
		auth:         r.strOr(flagSQLAuth, defaultSQLAuth(r.inv.sys.goos)),
		spn:          r.str(flagSQLSPN),
		encrypt:      r.str(flagSQLEncrypt),
		trustCert:    r.boolean(flagSQLTrustCert),
		ca:           r.str(flagSQLCAFile),
	}
	if v, ok := r.inv.sys.lookupEnv(envSQLPassword); ok {
		o.passwordEnv = &v
	}
	return o
}

func resolveKrb5(r *resolver) krb5Opts {
	return krb5Opts{config: r.str(flagKrb5Config), keytab: r.str(flagKrb5Keytab), ccache: r.str(flagKrb5CCache)}
}

func (o commonOpts) common(r *resolver, settings []runlog.Setting) run.Common {
	v, _ := buildVersion()
	sys := r.inv.sys
	return run.Common{
		File:     o.file,
		LogLevel: o.logLevel,
		LogDir:   o.logDir,
		JSON:     o.json,
		Workers:  o.workers,
		Settings: settings,
		Version:  v,
		Stdin:    sys.stdin,
		Stdout:   sys.stdout,
		Stderr:   sys.stderr,
	}
}

// passwordSetting says in the audit header where a password will come from,
// never what it is.
func passwordSetting(name string, env *string, file string, prompt bool) []runlog.Setting {
	switch {
	case env != nil:
		return []runlog.Setting{{Name: name, Source: runlog.SourceEnvironment, Secret: true}}
	case file != "":
		return nil // the --*-password-file setting says it
	case prompt:
		return []runlog.Setting{{Name: name, Value: "prompt on the terminal", Source: runlog.SourceDefault}}
	}
	return []runlog.Setting{{Name: name, Value: "none available", Source: runlog.SourceDefault}}
}

func (o ldapOpts) passwordSettings(inv *invocation, k krb5Opts, prompt bool) []runlog.Setting {
	if !o.config(inv, k, false).NeedsPassword() {
		return nil
	}
	return passwordSetting("LDAP password", o.passwordEnv, o.passwordFile, prompt)
}

func (o sqlOpts) passwordSettings(inv *invocation, k krb5Opts, prompt bool) []runlog.Setting {
	if !o.config(inv, k, false).NeedsPassword() {
		return nil
	}
	return passwordSetting("SQL password", o.passwordEnv, o.passwordFile, prompt)
}

func (o ldapOpts) config(inv *invocation, k krb5Opts, prompt bool) *adclient.Config {
	cfg := &adclient.Config{
		Server:             o.server,
		BindDN:             o.bindDN,
		Auth:               adclient.Auth(o.auth),
		SPN:                o.spn,
		CAFile:             o.caFile,
		StartTLS:           o.startTLS,
		InsecureSkipVerify: o.insecure,
		Base:               o.base,
		Krb5Config:         k.config,
		Krb5Keytab:         k.keytab,
		Krb5CCache:         k.ccache,
	}
	if cfg.NeedsPassword() {
		cfg.PasswordFunc = inv.password(envLDAPPassword, o.passwordFile, "--"+flagLDAPPasswordFile, prompt,
			"LDAP password for "+o.bindDN)
	}
	return cfg
}

func (o sqlOpts) config(inv *invocation, k krb5Opts, prompt bool) *rtcclient.Config {
	cfg := &rtcclient.Config{
		Servers:         o.servers,
		Database:        o.database,
		Auth:            rtcclient.Auth(o.auth),
		User:            o.user,
		SPN:             o.spn,
		Encrypt:         o.encrypt,
		TrustServerCert: o.trustCert,
		CAFile:          o.ca,
		Krb5Config:      k.config,
		Krb5Keytab:      k.keytab,
		Krb5CCache:      k.ccache,
	}
	if cfg.NeedsPassword() {
		cfg.PasswordFunc = inv.password(envSQLPassword, o.passwordFile, "--"+flagSQLPasswordFile, prompt,
			"SQL password for "+o.user)
	}
	return cfg
}

// canPrompt reports whether a password prompt is possible: standard input is
// a terminal and does not carry the users list.
func (inv *invocation) canPrompt(stdinFree bool) bool {
	if !stdinFree {
		return false
	}
	t := inv.sys.terminal
	if t == nil {
		t = secret.StdinTerminal()
	}
	return t.IsTerminal()
}

func (inv *invocation) password(env, file, fileFlag string, prompt bool, label string) func() (string, error) {
	sys := inv.sys
	return secret.New(secret.Options{
		EnvName: env, File: file, FileFlag: fileFlag, Prompt: prompt, Label: label,
		LookupEnv: sys.lookupEnv, Terminal: sys.terminal, Stderr: sys.stderr, GOOS: sys.goos,
	})
}
