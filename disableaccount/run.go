package disableaccount

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// File names of the run's set (SPEC 3.3, 3.6).
const (
	toolName     = "DisableAccount"
	backupPrefix = "DisableAccountBackup"
	backupExt    = ".ldif"
)

// Run disables the users of cfg.Common.File (or, with cfg.Undo, restores a
// backup) and returns the exit code. A setting error ends before any file
// or connection; from the log on, every path ends with its summary.
func Run(ctx context.Context, cfg Config) int {
	if err := cfg.Validate(); err != nil {
		return run.Fail(cfg.Common, result.Usage(err))
	}
	opts := run.Options{
		Common:       cfg.Common,
		Tool:         toolName,
		Command:      "disableaccount",
		DryRun:       cfg.DryRun,
		BindIdentity: cfg.LDAP.Identity(),
		Targets:      []string{cfg.LDAP.Server},
	}
	if cfg.Undo != "" {
		opts.Command = "disableaccount --undo " + cfg.Undo
	}
	if !cfg.DryRun && !cfg.noBackup {
		opts.Files = []run.File{{Prefix: backupPrefix, Ext: backupExt}}
	}
	return run.Execute(ctx, opts, func(ctx context.Context, s *run.Session) error {
		ts, _ := targets(cfg.Clear) // valid: Validate checked them
		j := &job{cfg: cfg, s: s, log: s.Log(), targets: ts}
		err := j.run(ctx)
		if cerr := j.bak.Close(); cerr != nil && err == nil {
			err = result.Fatal(cerr)
		}
		return err
	})
}

type job struct {
	cfg     Config
	s       *run.Session
	log     *runlog.Logger
	targets []target
	bak     *backup // nil in a dry run
}

func (j *job) run(ctx context.Context) error {
	if j.cfg.Undo != "" {
		return j.undo(ctx)
	}
	list, err := j.s.LoadInput(input.Options{Command: input.Disable, MaxUsers: j.cfg.MaxUsers})
	if err != nil {
		return err
	}
	if len(list.Entries) == 0 {
		j.log.Warnf("No users to disable in %s", list.File)
		return nil
	}
	c, err := j.connect(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return j.disable(ctx, c, list.Entries)
}

// connect binds to AD with the run's settings (password redacted, pool) and
// opens the backup: what a run needs before its first change.
func (j *job) connect(ctx context.Context) (*adclient.Client, error) {
	c, err := adclient.Connect(ctx, j.s.LDAP(j.cfg.LDAP), j.log)
	if err != nil {
		return nil, result.Fatal(err)
	}
	j.log.Infof("Connected to %s, base %s", c.URL(), c.Base())
	if err := j.openBackup(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// lost stops the run when err says the server is gone and not regained.
func (j *job) lost(err error) {
	if errors.Is(err, adclient.ErrServerLost) {
		j.s.Stop(err)
	}
}

// openBackup opens the backup file of the run (none in a dry run): each
// user's prior values go to it before the change (SPEC 3.6).
func (j *job) openBackup() error {
	if j.cfg.DryRun || j.cfg.noBackup {
		return nil
	}
	f, err := j.s.Open(backupPrefix)
	if err != nil {
		return result.Fatal(fmt.Errorf("backup file: %w", err))
	}
	j.bak = newBackup(f, ldifHeader(j.cfg.Common.Version, j.s.Now().Format(time.RFC3339)))
	j.log.Infof("Backup of the prior values: %s", f.Name())
	return nil
}
