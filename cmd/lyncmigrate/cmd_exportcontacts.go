package main

import (
	"github.com/urfave/cli/v2"

	"github.com/lyncmigrate/lyncmigrate/exportcontacts"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

type exportOpts struct {
	common       commonOpts
	ldap         ldapOpts
	sql          sqlOpts
	krb5         krb5Opts
	check        bool
	dump         string
	fromExport   string
	domain       string
	runMode      string
	outDir       string
	defaultGroup string
	noHeader     bool
	stateColumn  bool
	maxContacts  int
}

func exportCommand(inv *invocation) *cli.Command {
	return &cli.Command{
		Name:      cmdExport,
		Usage:     "export users' contact lists to the IM and Presence BAT CSV (Cisco's ExportContacts)",
		UsageText: "lyncmigrate exportcontacts -f FILE|ALL (--sql-server DB --ldap-server DC | --from-export FILE) [flags]",
		Description: "Reads each user's contacts and groups from the rtc database (users resolved in AD) or, offline,\n" +
			"from an Export-CsUserData zip or a DBImpExp XML, and writes ExportedContacts<ts>.csv,\n" +
			"ExportedContactsRejected<ts>.csv and UserList<ts>.txt (the input of disable and delete).",
		Flags: concat(commonFlags(), []cli.Flag{
			&cli.BoolFlag{Name: flagCheck, Usage: "only check the rtc database schema and print its version"},
			&cli.StringFlag{Name: flagDumpSchema, Usage: "with --check: write the database's tables, columns, procedures and their text to FILE (JSON, no row data)"},
			&cli.StringFlag{Name: flagFromExport, Usage: "read contacts offline from an Export-CsUserData zip or a DBImpExp XML"},
			&cli.StringFlag{Name: flagDomain, Aliases: []string{"d"}, Usage: "presence domain, for an IM and Presence user export as the input (Cisco: -d/)"},
			&cli.StringFlag{Name: flagRunMode, Aliases: []string{"r"}, Value: defaultRunMode, Usage: "NORMAL writes the CSV; STATSONLY only the log's statistics (Cisco: -r/)"},
			&cli.StringFlag{Name: flagOutDir, DefaultText: "the log folder", Usage: "folder for the CSV files and the user list"},
			&cli.StringFlag{Name: flagDefaultGroup, Value: defaultDefaultGroup, Usage: "group of contacts in no group or in the default group"},
			&cli.BoolFlag{Name: flagNoHeader, Usage: "write the CSV without its header line"},
			&cli.BoolFlag{Name: flagStateColumn, Usage: "add the State column (IM and Presence 12.5 SU4 and later)"},
			&cli.IntFlag{Name: flagMaxContacts, Value: defaultMaxContacts, Usage: "warn about users with more contacts than this"},
		}, ldapFlags(cmdExport), sqlFlags("Cisco: -i/"), krb5Flags()),
		CustomHelpTemplate: commandHelpTemplate(cmdExport),
		OnUsageError:       onUsageError,
		Action:             action(inv, func(c *cli.Context) (exportcontacts.Config, error) { return exportConfig(c, inv) }, inv.sys.jobs.export),
	}
}

func exportConfig(c *cli.Context, inv *invocation) (exportcontacts.Config, error) {
	r := newResolver(c, inv)
	o := exportOpts{common: resolveCommon(r)}
	o.check = r.boolean(flagCheck)
	o.dump = r.str(flagDumpSchema)
	o.fromExport = r.str(flagFromExport)
	o.domain = r.str(flagDomain)
	o.runMode = r.str(flagRunMode)
	o.outDir = r.strOr(flagOutDir, o.common.logDir)
	o.defaultGroup = r.str(flagDefaultGroup)
	o.noHeader = r.boolean(flagNoHeader)
	o.stateColumn = r.boolean(flagStateColumn)
	o.maxContacts = r.integer(flagMaxContacts)
	o.ldap = resolveLDAP(r)
	o.sql = resolveSQL(r)
	o.krb5 = resolveKrb5(r)

	prompt := o.common.file != "-" && o.fromExport != "-" // standard input is not the list
	cmdErr := validateExport(r, &o, inv.canPrompt(prompt))

	cfg := exportcontacts.Config{
		FromExport:   o.fromExport,
		Check:        o.check,
		DumpSchema:   o.dump,
		Domain:       o.domain,
		RunMode:      o.runMode,
		OutDir:       o.outDir,
		DefaultGroup: o.defaultGroup,
		NoHeader:     o.noHeader,
		StateColumn:  o.stateColumn,
		MaxContacts:  o.maxContacts,
	}
	var passwords []runlog.Setting
	if o.ldap.server != "" {
		cfg.LDAP = o.ldap.config(inv, o.krb5, prompt)
		passwords = append(passwords, o.ldap.passwordSettings(inv, o.krb5, prompt)...)
	}
	if len(o.sql.servers) > 0 {
		cfg.SQL = o.sql.config(inv, o.krb5, prompt)
		passwords = append(passwords, o.sql.passwordSettings(inv, o.krb5, prompt)...)
	}
	cfg.Common = o.common.common(r, r.settings(passwords...))
	if err := withJob(r, cmdErr, cfg.Validate()); err != nil {
		return exportcontacts.Config{}, err
	}
	return cfg, nil
}
