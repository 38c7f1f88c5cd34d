package disableaccount

import (
	"context"
	"errors"
	"fmt"
	"os"
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
// backup) and returns the exit code. The log and its summary are always
// written.
func Run(ctx context.Context, cfg Config) int {
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
		opts.Extra = []runlog.FileSpec{{Prefix: backupPrefix, Ext: backupExt}}
	}
	s, sctx, err := run.Start(ctx, opts)
	if err != nil {
		return run.Fail(cfg.Common, err)
	}
	j := &job{cfg: cfg, s: s, log: s.Log()}
	err = j.run(sctx)
	if cerr := j.closeBackup(); cerr != nil && err == nil {
		err = result.Fatal(cerr)
	}
	return s.Finish(err)
}

// closeBackup closes the backup, and removes it when no user was changed:
// Start reserved the name with the log's, but an empty backup only makes
// the operator wonder what it should hold.
func (j *job) closeBackup() error {
	path := j.s.Path(backupPrefix)
	if path == "" {
		return nil
	}
	if j.bak != nil {
		if err := j.bak.Close(); err != nil {
			return err
		}
		if j.bak.Records() > 0 {
			return nil
		}
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("remove the empty backup file: %w", err)
	}
	j.log.Debugf("No user was changed: the empty backup file %s was removed", path)
	return nil
}

type job struct {
	cfg     Config
	s       *run.Session
	log     *runlog.Logger
	targets []target
	bak     *backup // nil in a dry run
}

func (j *job) run(ctx context.Context) error {
	if err := j.validate(); err != nil {
		return result.Usage(err)
	}
	if j.cfg.Undo != "" {
		return j.undo(ctx)
	}
	list, err := input.Load(j.cfg.Common.File, j.cfg.Common.Stdin,
		input.Options{Command: input.Disable, MaxUsers: j.cfg.MaxUsers})
	if err != nil {
		return result.Usage(err)
	}
	j.expect(list)
	if len(list.Entries) == 0 {
		j.log.Warnf("No users to disable in %s", list.File)
		return nil
	}
	c, err := j.connect(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := j.openBackup(); err != nil {
		return err
	}
	return j.disable(ctx, c, list.Entries)
}

func (j *job) validate() error {
	ts, err := targets(j.cfg.Clear)
	if err != nil {
		return err
	}
	j.targets = ts
	if j.cfg.Undo != "" && len(j.cfg.Clear) > 0 {
		return errors.New("--clear does not go with --undo: the backup says what to restore")
	}
	return j.cfg.LDAP.Validate()
}

// expect registers every input user, reports the malformed lines as errors
// and counts the duplicates (SPEC 3.2).
func (j *job) expect(list *input.List) {
	users := make([]result.Record, 0, len(list.Entries)+len(list.Invalid))
	for _, e := range list.Entries {
		users = append(users, result.Record{User: e.URI, Line: e.Line})
	}
	for _, le := range list.Invalid {
		users = append(users, result.Record{User: le.Text, Line: le.Line})
	}
	j.s.Expect(users)
	for _, le := range list.Invalid {
		j.log.Errorf("%v", le)
		j.s.Report(result.Record{User: le.Text, Line: le.Line, Outcome: result.Error, Detail: le.Reason})
	}
	for _, d := range list.Duplicates {
		j.log.Warnf("%s line %d: %s is a duplicate of line %d: ignored", list.File, d.Line, d.Value, d.FirstLine)
	}
	j.s.AddDuplicates(len(list.Duplicates))
}

// connect binds to AD; the password, once read, is redacted from the log.
func (j *job) connect(ctx context.Context) (*adclient.Client, error) {
	cfg := j.cfg.LDAP
	if pf := cfg.PasswordFunc; pf != nil {
		cfg.PasswordFunc = func() (string, error) {
			p, err := pf()
			j.log.AddSecret(p)
			return p, err
		}
	}
	if cfg.Conns == 0 {
		cfg.Conns = connsFor(j.s.Workers())
	}
	c, err := adclient.Connect(ctx, cfg, j.log)
	if err != nil {
		return nil, result.Fatal(err)
	}
	j.log.Infof("Connected to %s, base %s", c.URL(), c.Base())
	return c, nil
}

// connsFor is the connection pool for a number of workers: go-ldap
// multiplexes requests on one connection, but the DC serves each
// connection's requests in turn, so a few connections keep it busy.
func connsFor(workers int) int { return min(max(workers/2, 1), 4) }

func (j *job) openBackup() error {
	if j.cfg.DryRun || j.cfg.noBackup {
		return nil
	}
	path := j.s.Path(backupPrefix)
	b, err := openBackup(path, ldifHeader(j.cfg.Common.Version, j.s.Now().Format(time.RFC3339)))
	if err != nil {
		return result.Fatal(err)
	}
	j.bak = b
	j.log.Infof("Backup of the prior values: %s", path)
	return nil
}
