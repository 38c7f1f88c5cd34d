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
	"os"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// Tool names the run's files: DeleteAccountLog<ts>.txt, DeleteAccountBackup<ts>.jsonl.
const Tool = "DeleteAccount"

// Run runs one deleteaccount command and returns the exit code. Flag errors
// end before anything is opened; from the input file on, every path (input
// error, fatal error, interruption, panic) ends with the log's summary and
// closing banner (SPEC 3.3).
func Run(ctx context.Context, cfg Config) (code int) {
	if err := validate(cfg); err != nil {
		return run.Fail(cfg.Common, result.Usage(err))
	}
	switch {
	case cfg.Undo != "":
		return runUndo(ctx, cfg)
	case cfg.Check:
		return runCheck(ctx, cfg)
	}
	var extra []runlog.FileSpec
	if !cfg.DryRun && !cfg.Trial && !cfg.noBackup {
		extra = append(extra, runlog.FileSpec{Prefix: BackupPrefix, Ext: ".jsonl"})
	}
	command := "deleteaccount"
	if cfg.Trial {
		command += " --trial"
	}
	sess, ctx, err := run.Start(ctx, run.Options{
		Common: cfg.Common, Tool: Tool, Command: command, DryRun: cfg.DryRun, Trial: cfg.Trial,
		BindIdentity: bindIdentity(cfg), Targets: cfg.SQL.Servers, Extra: extra,
	})
	if err != nil {
		return run.Fail(cfg.Common, err)
	}
	// A panic outside the workers (connect, AD gate, backup) still ends
	// with the summary, exit 3.
	defer sess.Guard(&code)
	return sess.Finish(deleteRun(ctx, sess, cfg))
}

// deleteRun loads the input and deletes its users. Input errors (a `*` line,
// ALL, more than --max-users) stop it before any connection, exit 2.
func deleteRun(ctx context.Context, sess *run.Session, cfg Config) error {
	defer removeEmptyBackup(sess)
	list, err := input.Load(cfg.Common.File, cfg.Common.Stdin, input.Options{Command: input.Delete, MaxUsers: cfg.MaxUsers})
	if err != nil {
		return result.Usage(err)
	}
	if cfg.Trial {
		sess.Log().Infof("Trial: every user's transaction runs in full and is verified, then rolled back; nothing is committed and no backup is written. " +
			"A trial takes the locks a real run takes: run it when a real run would be acceptable")
	}
	return deleteUsers(ctx, sess, cfg, list)
}

// removeEmptyBackup removes the backup Start reserved when no row went into
// it (no server reached, nothing to delete): an empty file only makes the
// operator wonder what it should hold.
func removeEmptyBackup(sess *run.Session) {
	p := sess.Path(BackupPrefix)
	if p == "" {
		return
	}
	if err := sess.RemoveIfEmpty(BackupPrefix); err != nil {
		sess.Log().Warnf("%v", err)
		return
	}
	if _, err := os.Stat(p); os.IsNotExist(err) {
		sess.Log().Debugf("No row was backed up: the empty backup file %s was removed", p)
	}
}

func validate(cfg Config) error {
	if len(cfg.SQL.Servers) == 0 && cfg.Undo == "" {
		return errors.New("no --sql-server (-s/) given: name the rtc database instance, e.g. -s/fe01\\rtclocal")
	}
	if cfg.Undo != "" && cfg.DryRun {
		return errors.New("--undo and --dry-run cannot be combined")
	}
	if cfg.Undo != "" && cfg.Check {
		return errors.New("--undo and --check cannot be combined")
	}
	if cfg.Trial && (cfg.DryRun || cfg.Check || cfg.Undo != "") {
		return errors.New("--trial runs the deletes and rolls them back: it cannot be combined with --dry-run, --check or --undo")
	}
	if cfg.WaitReplication < 0 || (cfg.WaitReplication > 0 && (cfg.Check || cfg.Undo != "")) {
		return errors.New("--wait-replication takes a positive duration and applies to a delete run (not --check or --undo)")
	}
	if cfg.DumpSchema != "" {
		if !cfg.Check {
			return errors.New("--dump-schema writes what --check reads: give --check")
		}
		if err := rtcclient.CheckDumpPath(cfg.DumpSchema); err != nil {
			return fmt.Errorf("--dump-schema: %w", err)
		}
	}
	if err := cfg.SQL.Validate(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, name := range cfg.SQL.Servers {
		t, _ := rtcclient.ParseServer(name) // valid: checked just above
		k := strings.ToLower(t.String())
		if seen[k] {
			return fmt.Errorf("--sql-server %s given twice", name)
		}
		seen[k] = true
	}
	if cfg.LDAP != nil {
		if err := cfg.LDAP.Validate(); err != nil {
			return err
		}
	}
	return nil
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
