package main

import (
	"time"

	"github.com/urfave/cli/v2"

	"github.com/lyncmigrate/lyncmigrate/deleteaccount"
)

type deleteOpts struct {
	common   commonOpts
	sql      sqlOpts
	ldap     ldapOpts
	krb5     krb5Opts
	dryRun   bool
	maxUsers int
	check    bool
	dump     string
	undo     string
	trial    bool
	wait     time.Duration
}

func deleteCommand(inv *invocation) *cli.Command {
	return &cli.Command{
		Name:  cmdDelete,
		Usage: "delete users' homed data from the Lync/OCS rtc databases (Cisco's DeleteAccount)",
		UsageText: "lyncmigrate deleteaccount --sql-server DB [--sql-server DB…] (-f FILE | --check) [--dry-run] [flags]\n" +
			"lyncmigrate deleteaccount --undo BACKUP [flags]   (the backup names its servers)",
		Description: "Deletes each user's homed data, one transaction per user and server, after saving every row to\n" +
			"DeleteAccountBackup<ts>.jsonl; other users' contact lists keep the user. Give every back end and,\n" +
			"for Enterprise Edition, every front end's rtclocal. With --ldap-server, users still enabled in AD\n" +
			"are refused.",
		Flags: concat(commonFlags(), dryRunFlags(), []cli.Flag{
			&cli.BoolFlag{Name: flagCheck, Usage: "only detect each database's version, check its schema and print the plan"},
			&cli.StringFlag{Name: flagDumpSchema, Usage: "with --check: write every database's tables, columns, procedures and their text to FILE (JSON, no row data)"},
			&cli.StringFlag{Name: flagUndo, Usage: "re-insert the committed rows of a DeleteAccountBackup JSONL file into the servers it names (no --sql-server)"},
			&cli.BoolFlag{Name: flagTrial, Usage: "run every user's transaction in full, verify it and roll it back: exact row counts, nothing committed (a trial takes the locks a real run takes)"},
			&cli.DurationFlag{Name: flagWaitReplication, Usage: "re-check every 30s, for up to this long (e.g. 30m), users whose ResourceDirectory row still says enabled (the AD change has not replicated to the pool yet), then delete them"},
		}, sqlFlags("Cisco: -s/"), ldapFlags(cmdDelete), krb5Flags()),
		CustomHelpTemplate: commandHelpTemplate(cmdDelete),
		OnUsageError:       onUsageError,
		Action:             action(inv, func(c *cli.Context) (deleteaccount.Config, error) { return deleteConfig(c, inv) }, inv.sys.jobs.delete),
	}
}

func deleteConfig(c *cli.Context, inv *invocation) (deleteaccount.Config, error) {
	r := newResolver(c, inv)
	o := deleteOpts{common: resolveCommon(r)}
	o.dryRun = r.boolean(flagDryRun)
	o.maxUsers = r.integer(flagMaxUsers)
	o.check = r.boolean(flagCheck)
	o.dump = r.str(flagDumpSchema)
	o.undo = r.str(flagUndo)
	o.trial = r.boolean(flagTrial)
	o.wait = r.duration(flagWaitReplication)
	o.sql = resolveSQL(r)
	o.ldap = resolveLDAP(r)
	o.krb5 = resolveKrb5(r)

	prompt := o.common.file != "-"
	cmdErr := validateDelete(r, &o, inv.canPrompt(prompt))
	cfg := deleteaccount.Config{
		SQL:        *o.sql.config(inv, o.krb5, prompt),
		DryRun:     o.dryRun,
		Check:      o.check,
		DumpSchema: o.dump,
		Undo:       o.undo,
		MaxUsers:   o.maxUsers,

		Trial:           o.trial,
		WaitReplication: o.wait,
	}
	passwords := o.sql.passwordSettings(inv, o.krb5, prompt)
	if o.ldap.server != "" {
		cfg.LDAP = o.ldap.config(inv, o.krb5, prompt)
		passwords = append(passwords, o.ldap.passwordSettings(inv, o.krb5, prompt)...)
	}
	cfg.Common = o.common.common(r, r.settings(passwords...))
	if err := withJob(r, cmdErr, cfg.Validate()); err != nil {
		return deleteaccount.Config{}, err
	}
	return cfg, nil
}
