package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
	"github.com/lyncmigrate/lyncmigrate/internal/setting"
)

// Flag names (SPEC 3.7.1): internal/setting holds them, so that the jobs' and
// the clients' errors name the same settings. Scripts depend on them: never
// rename one.
const (
	flagFile     = string(setting.File)
	flagLogLevel = string(setting.LogLevel)
	flagLogDir   = string(setting.LogDir)
	flagJSON     = string(setting.JSON)
	flagWorkers  = string(setting.Workers)

	flagLDAPServer       = string(setting.LDAPServer)
	flagLDAPBindDN       = string(setting.LDAPBindDN)
	flagLDAPPasswordFile = string(setting.LDAPPasswordFile)
	flagLDAPAuth         = string(setting.LDAPAuth)
	flagLDAPSPN          = string(setting.LDAPSPN)
	flagLDAPCAFile       = string(setting.LDAPCAFile)
	flagLDAPStartTLS     = string(setting.LDAPStartTLS)
	flagLDAPInsecure     = string(setting.LDAPInsecure)
	flagLDAPBase         = string(setting.LDAPBase)

	flagSQLServer       = string(setting.SQLServer)
	flagSQLDatabase     = string(setting.SQLDatabase)
	flagSQLUser         = string(setting.SQLUser)
	flagSQLPasswordFile = string(setting.SQLPasswordFile)
	flagSQLAuth         = string(setting.SQLAuth)
	flagSQLSPN          = string(setting.SQLSPN)
	flagSQLEncrypt      = string(setting.SQLEncrypt)
	flagSQLTrustCert    = string(setting.SQLTrustCert)
	flagSQLCAFile       = string(setting.SQLCAFile)

	flagKrb5Config = string(setting.Krb5Config)
	flagKrb5Keytab = string(setting.Krb5Keytab)
	flagKrb5CCache = string(setting.Krb5CCache)

	flagDryRun     = string(setting.DryRun)
	flagMaxUsers   = string(setting.MaxUsers)
	flagClear      = string(setting.Clear)
	flagUndo       = string(setting.Undo)
	flagCheck      = string(setting.Check)
	flagDumpSchema = string(setting.DumpSchema)

	flagTrial           = string(setting.Trial)
	flagWaitReplication = string(setting.WaitReplication)

	flagFromExport   = string(setting.FromExport)
	flagDomain       = string(setting.Domain)
	flagRunMode      = string(setting.RunMode)
	flagOutDir       = string(setting.OutDir)
	flagDefaultGroup = string(setting.DefaultGroup)
	flagNoHeader     = string(setting.NoHeader)
	flagStateColumn  = string(setting.StateColumn)
	flagMaxContacts  = string(setting.MaxContacts)

	flagReport = string(setting.Report) // verify

	flagVersion = "version" // root only
)

// Defaults that are the same on every OS. The OS-dependent ones (--ldap-auth,
// --sql-auth, --log-dir) are decided in defaults.go.
const (
	defaultLogLevel     = "info"
	defaultWorkers      = 4
	defaultMaxUsers     = 5000
	defaultMaxContacts  = 200 // the IM and Presence default contact list size
	defaultDefaultGroup = "General"
	defaultRunMode      = "NORMAL"
	defaultSQLDatabase  = "rtc"
	defaultSQLEncrypt   = "false"
)

// usageWithEnv appends the environment variable a connection flag falls back
// to, so that --help and env.go cannot disagree.
func usageWithEnv(name, usage string) string {
	if env, ok := envVarFor(name); ok {
		return fmt.Sprintf("%s [$%s]", usage, env)
	}
	return usage
}

func commonFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagFile, Aliases: []string{"f"}, Usage: "users file, one per line; - reads standard input (Cisco: -f/)"},
		&cli.StringFlag{Name: flagLogLevel, Aliases: []string{"l"}, Value: defaultLogLevel, Usage: "log level: " + orList(runlog.LevelNames) + " (Cisco: -l/)"},
		&cli.StringFlag{Name: flagLogDir, DefaultText: "the executable's folder on Windows, the working folder elsewhere", Usage: "folder for the log and the files written beside it (backups, CSVs)"},
		&cli.BoolFlag{Name: flagJSON, Usage: "write one JSON object per user, then a summary object, on standard output"},
		&cli.IntFlag{Name: flagWorkers, Value: defaultWorkers, Usage: "users in flight at once"},
	}
}

// ldapFlags are the Active Directory connection flags of a command. Only the
// help text differs: deleteaccount uses AD as a safety gate, not as its
// target, and the Cisco form is named where the command has one.
func ldapFlags(command string) []cli.Flag {
	server := "domain controller: a host (ldaps://host:636, certificate verified) or an ldap:// or ldaps:// URL"
	if command == cmdDelete {
		server = "domain controller to check that each user is disabled in AD before deleting (recommended): a host or an ldap(s):// URL"
	}
	if letter := ciscoLetterFor(command, flagLDAPServer); letter != "" {
		server += " (Cisco: " + letter + ")"
	}
	return []cli.Flag{
		&cli.StringFlag{Name: flagLDAPServer, Usage: usageWithEnv(flagLDAPServer, server)},
		&cli.StringFlag{Name: flagLDAPBindDN, Usage: usageWithEnv(flagLDAPBindDN, "bind identity: a UPN (admin@corp.local) or a DN")},
		&cli.StringFlag{Name: flagLDAPPasswordFile, Usage: usageWithEnv(flagLDAPPasswordFile, "file whose first line is the bind password (or set $"+envLDAPPassword+", or type it at the prompt)")},
		&cli.StringFlag{Name: flagLDAPAuth, DefaultText: "simple; on Windows sspi when no --ldap-bind-dn", Usage: usageWithEnv(flagLDAPAuth, "bind mechanism: "+orList(adclient.AuthValues)+" (Windows)")},
		&cli.StringFlag{Name: flagLDAPSPN, DefaultText: "ldap/<host>", Usage: usageWithEnv(flagLDAPSPN, "service principal name for kerberos")},
		&cli.StringFlag{Name: flagLDAPCAFile, Usage: usageWithEnv(flagLDAPCAFile, "PEM file of the CA that issued the domain controller's certificate")},
		&cli.BoolFlag{Name: flagLDAPStartTLS, Usage: usageWithEnv(flagLDAPStartTLS, "connect to port 389 and upgrade with StartTLS instead of ldaps://")},
		&cli.BoolFlag{Name: flagLDAPInsecure, Usage: "do not verify the domain controller's certificate (insecure; command line only)"},
		&cli.StringFlag{Name: flagLDAPBase, DefaultText: "the rootDSE defaultNamingContext", Usage: "search base DN (one domain per run; command line only)"},
	}
}

func sqlFlags(cisco string) []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: flagSQLServer, Usage: usageWithEnv(flagSQLServer, "rtc database server: host\\instance, host,port or host:port; repeat for several ("+cisco+"; in the variable separate several with ;)")},
		&cli.StringFlag{Name: flagSQLDatabase, Value: defaultSQLDatabase, Usage: usageWithEnv(flagSQLDatabase, "database name")},
		&cli.StringFlag{Name: flagSQLUser, Usage: usageWithEnv(flagSQLUser, "SQL login, with --sql-auth sql")},
		&cli.StringFlag{Name: flagSQLPasswordFile, Usage: usageWithEnv(flagSQLPasswordFile, "file whose first line is the SQL password (or set $"+envSQLPassword+", or type it at the prompt)")},
		&cli.StringFlag{Name: flagSQLAuth, DefaultText: "windows on Windows, sql elsewhere", Usage: usageWithEnv(flagSQLAuth, "authentication: "+orList(rtcclient.AuthValues))},
		&cli.StringFlag{Name: flagSQLSPN, Usage: usageWithEnv(flagSQLSPN, "service principal name for kerberos (MSSQLSvc/host:port)")},
		&cli.StringFlag{Name: flagSQLEncrypt, Value: defaultSQLEncrypt, Usage: usageWithEnv(flagSQLEncrypt, "encryption: "+orList(rtcclient.EncryptValues)+" (old Lync SQL Express instances need disable)")},
		&cli.BoolFlag{Name: flagSQLTrustCert, Usage: "do not verify the SQL Server certificate (insecure; command line only)"},
		&cli.StringFlag{Name: flagSQLCAFile, Usage: usageWithEnv(flagSQLCAFile, "PEM file of the CA that issued the SQL Server certificate")},
	}
}

func krb5Flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagKrb5Config, DefaultText: "/etc/krb5.conf", Usage: usageWithEnv(flagKrb5Config, "krb5.conf, with --ldap-auth kerberos or --sql-auth kerberos")},
		&cli.StringFlag{Name: flagKrb5Keytab, Usage: usageWithEnv(flagKrb5Keytab, "keytab holding the key of the bind identity")},
		&cli.StringFlag{Name: flagKrb5CCache, Usage: usageWithEnv(flagKrb5CCache, "credential cache from kinit (its principal is the identity)")},
	}
}

func dryRunFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: flagDryRun, Usage: "connect, resolve every user and report what would change; write nothing"},
		&cli.IntFlag{Name: flagMaxUsers, Value: defaultMaxUsers, Usage: "refuse a users file with more users than this"},
	}
}

// shortAlias is the one-letter alias of a flag, for messages.
func shortAlias(name string) string {
	switch name {
	case flagFile:
		return "f"
	case flagLogLevel:
		return "l"
	case flagDomain:
		return "d"
	case flagRunMode:
		return "r"
	}
	return ""
}

func concat(groups ...[]cli.Flag) []cli.Flag {
	var out []cli.Flag
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
