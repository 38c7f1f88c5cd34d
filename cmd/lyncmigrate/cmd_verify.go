package main

import (
	"github.com/urfave/cli/v2"

	"github.com/lyncmigrate/lyncmigrate/verify"
)

type verifyOpts struct {
	common commonOpts
	ldap   ldapOpts
	sql    sqlOpts
	krb5   krb5Opts
	report string
}

func verifyCommand(inv *invocation) *cli.Command {
	return &cli.Command{
		Name:      cmdVerify,
		Usage:     "report where each migrating user stands, in AD and on every rtc database, changing nothing",
		UsageText: "lyncmigrate verify --ldap-server DC --sql-server DB [--sql-server DB…] -f FILE [--report FILE.html] [flags]",
		Description: "Reads Active Directory and every pool's rtc database and gives each user one state: migrated,\n" +
			"not_disabled, not_replicated, not_deleted, address_lost or not_found, with what to do next.\n" +
			"Writes nothing to AD or SQL Server. Exit 0 only when every user is migrated. --report writes a\n" +
			"self-contained HTML page for the change board.",
		Flags: concat(commonFlags(), []cli.Flag{
			&cli.StringFlag{Name: flagReport, Usage: "also write the result as one self-contained HTML page (FILE.html) for a change board"},
		}, ldapFlags(cmdVerify), sqlFlags("every back end and front end"), krb5Flags()),
		CustomHelpTemplate: commandHelpTemplate(cmdVerify),
		OnUsageError:       onUsageError,
		Action:             action(inv, func(c *cli.Context) (verify.Config, error) { return verifyConfig(c, inv) }, inv.sys.jobs.verify),
	}
}

func verifyConfig(c *cli.Context, inv *invocation) (verify.Config, error) {
	r := newResolver(c, inv)
	o := verifyOpts{common: resolveCommon(r)}
	o.report = r.str(flagReport)
	o.ldap = resolveLDAP(r)
	o.sql = resolveSQL(r)
	o.krb5 = resolveKrb5(r)

	prompt := o.common.file != "-"
	cmdErr := validateVerify(r, &o, inv.canPrompt(prompt))
	passwords := append(o.ldap.passwordSettings(inv, o.krb5, prompt), o.sql.passwordSettings(inv, o.krb5, prompt)...)
	cfg := verify.Config{
		Common: o.common.common(r, r.settings(passwords...)),
		LDAP:   *o.ldap.config(inv, o.krb5, prompt),
		SQL:    *o.sql.config(inv, o.krb5, prompt),
		Report: o.report,
	}
	if err := withJob(r, cmdErr, cfg.Validate()); err != nil {
		return verify.Config{}, err
	}
	return cfg, nil
}
