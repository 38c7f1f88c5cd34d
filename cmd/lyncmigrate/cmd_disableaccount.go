package main

import (
	"github.com/urfave/cli/v2"

	"github.com/lyncmigrate/lyncmigrate/disableaccount"
)

type disableOpts struct {
	common   commonOpts
	ldap     ldapOpts
	krb5     krb5Opts
	dryRun   bool
	maxUsers int
	clear    []string
	undo     string
}

func disableCommand(inv *invocation) *cli.Command {
	return &cli.Command{
		Name:      cmdDisable,
		Usage:     "disable users' Lync/OCS accounts in Active Directory (Cisco's DisableAccount)",
		UsageText: "lyncmigrate disableaccount --ldap-server DC (-f FILE | --undo BACKUP) [--dry-run] [flags]",
		Description: "Sets msRTCSIP-UserEnabled to FALSE and removes the home server attributes of each user, in one\n" +
			"modify request, after saving the prior values to DisableAccountBackup<ts>.ldif.\n" +
			"msRTCSIP-PrimaryUserAddress is never changed. Then wait for AD replication (up to 30 minutes).",
		Flags: concat(commonFlags(), dryRunFlags(), []cli.Flag{
			&cli.StringSliceFlag{Name: flagClear, Usage: "also remove this attribute (repeatable)"},
			&cli.StringFlag{Name: flagUndo, Usage: "restore the values saved in a DisableAccountBackup LDIF file"},
		}, ldapFlags(cmdDisable), krb5Flags()),
		CustomHelpTemplate: commandHelpTemplate(cmdDisable),
		OnUsageError:       onUsageError,
		Action:             action(inv, func(c *cli.Context) (disableaccount.Config, error) { return disableConfig(c, inv) }, inv.sys.jobs.disable),
	}
}

func disableConfig(c *cli.Context, inv *invocation) (disableaccount.Config, error) {
	r := newResolver(c, inv)
	o := disableOpts{common: resolveCommon(r)}
	o.dryRun = r.boolean(flagDryRun)
	o.maxUsers = r.integer(flagMaxUsers)
	o.clear = r.strs(flagClear)
	o.undo = r.str(flagUndo)
	o.ldap = resolveLDAP(r)
	o.krb5 = resolveKrb5(r)

	prompt := o.common.file != "-"
	cmdErr := validateDisable(r, &o, inv.canPrompt(prompt))
	cfg := disableaccount.Config{
		Common:   o.common.common(r, r.settings(o.ldap.passwordSettings(inv, o.krb5, prompt)...)),
		LDAP:     *o.ldap.config(inv, o.krb5, prompt),
		DryRun:   o.dryRun,
		Clear:    o.clear,
		Undo:     o.undo,
		MaxUsers: o.maxUsers,
	}
	if err := withJob(r, cmdErr, cfg.Validate()); err != nil {
		return disableaccount.Config{}, err
	}
	return cfg, nil
}
