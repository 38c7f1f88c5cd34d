// Package deleteaccount deletes migrating users' homed data from the Lync/OCS
// rtc databases (SPEC 6): every server is connected, its version detected and
// its schema checked before any user; each (user, server) pair is one
// transaction whose rows are backed up and synced before COMMIT; --undo puts
// committed users' rows back.
package deleteaccount

import (
	"context"
	"errors"
	"fmt"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/setting"
)

// Tool names the run's files: DeleteAccountLog<ts>.txt, DeleteAccountBackup<ts>.jsonl.
const Tool = "DeleteAccount"

// Run runs one deleteaccount command and returns the exit code. A setting
// error ends before any file or connection; from the log on, every path
// (input error, fatal error, interruption, panic) ends with the log's
// summary and closing banner (SPEC 3.3).
func Run(ctx context.Context, cfg Config) int {
	if err := cfg.Validate(); err != nil {
		return run.Fail(cfg.Common, result.Usage(err))
	}
	switch {
	case cfg.Undo != "":
		return runUndo(ctx, cfg)
	case cfg.Check:
		return runCheck(ctx, cfg)
	}
	var files []run.File
	if !cfg.DryRun && !cfg.Trial && !cfg.noBackup {
		files = append(files, run.File{Prefix: BackupPrefix, Ext: ".jsonl"})
	}
	command := "deleteaccount"
	if cfg.Trial {
		command += " --trial"
	}
	return run.Execute(ctx, run.Options{
		Common: cfg.Common, Tool: Tool, Command: command, DryRun: cfg.DryRun, Trial: cfg.Trial,
		BindIdentity: bindIdentity(cfg), Targets: cfg.SQL.Servers, Files: files,
	}, func(ctx context.Context, s *run.Session) error {
		// Input errors (a `*` line, ALL, more than --max-users) stop it
		// before any connection, exit 2.
		list, err := s.LoadInput(input.Options{Command: input.Delete, MaxUsers: cfg.MaxUsers})
		if err != nil {
			return err
		}
		if cfg.Trial {
			s.Log().Infof("Trial: every user's transaction runs in full and is verified, then rolled back; nothing is committed and no backup is written. " +
				"A trial takes the locks a real run takes: run it when a real run would be acceptable")
		}
		return deleteUsers(ctx, s, cfg, list)
	})
}

// Validate checks the settings of a run — every problem at once, each
// naming its setting (internal/setting) — without reading a file or
// connecting: Run calls it first, and cmd/lyncmigrate before Run.
func (c Config) Validate() error {
	errs := []error{c.Common.Validate()}
	if len(c.SQL.Servers) == 0 && c.Undo == "" {
		errs = append(errs, setting.Errorf("%s: name the rtc database instance, e.g. -s/fe01\\rtclocal", setting.Required(setting.SQLServer)))
	}
	if c.Undo != "" && c.DryRun {
		errs = append(errs, setting.Errorf("%s and %s cannot be combined", setting.Undo, setting.DryRun))
	}
	if c.Undo != "" && c.Check {
		errs = append(errs, setting.Errorf("%s and %s cannot be combined", setting.Undo, setting.Check))
	}
	if c.Trial && (c.DryRun || c.Check || c.Undo != "") {
		errs = append(errs, setting.Errorf("%s runs the deletes and rolls them back: it cannot be combined with %s, %s or %s",
			setting.Trial, setting.DryRun, setting.Check, setting.Undo))
	}
	switch {
	case c.WaitReplication < 0:
		errs = append(errs, setting.Errorf("%s %s: give a positive duration, e.g. 30m", setting.WaitReplication, c.WaitReplication))
	case c.WaitReplication > 0 && (c.Check || c.Undo != ""):
		errs = append(errs, setting.Errorf("%s applies to a delete run, not to %s or %s", setting.WaitReplication, setting.Check, setting.Undo))
	}
	errs = append(errs, rtcclient.ValidateDump(c.DumpSchema, c.Check), c.SQL.Validate())
	if c.LDAP != nil {
		errs = append(errs, c.LDAP.Validate())
	}
	return errors.Join(errs...)
}

// bindIdentity is who the run acts as, for the audit header.
func bindIdentity(cfg Config) string {
	id := fmt.Sprintf("SQL %s", cfg.SQL.WithDefaults().Auth)
	if cfg.SQL.User != "" {
		id += " " + cfg.SQL.User
	}
	if cfg.LDAP != nil && cfg.LDAP.BindDN != "" {
		id += "; LDAP " + cfg.LDAP.BindDN
	}
	return id
}
