// Package verify is the `verify` command (SPEC 9): it reads Active Directory
// and every rtc server, changes nothing, and gives each user exactly one
// state — migrated, not_disabled, not_replicated, not_deleted, address_lost
// or not_found — with the same log, --json, summary and exit codes as the
// other commands, and optionally a self-contained HTML report for a change
// board.
package verify

import (
	"context"
	"fmt"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// Tool names the run's log: VerifyLog<ts>.txt.
const Tool = "Verify"

// Run verifies the users of cfg.Common.File and returns the exit code: 0
// only when every user is migrated, 1 otherwise, 3 when AD or an rtc server
// could not be read (the users are still reported from what could be).
func Run(ctx context.Context, cfg Config) int {
	if err := cfg.Validate(); err != nil {
		return run.Fail(cfg.Common, result.Usage(err))
	}
	opts := run.Options{
		Common: cfg.Common, Tool: Tool, Command: "verify",
		BindIdentity: bindIdentity(cfg), Targets: append([]string{cfg.LDAP.Server}, cfg.SQL.Servers...),
		States: true,
	}
	return run.Execute(ctx, opts, func(ctx context.Context, s *run.Session) error {
		list, err := s.LoadInput(input.Options{Command: input.Verify})
		if err != nil {
			return err
		}
		j := newJob(s, cfg, list)
		runErr := j.run(ctx)
		// The report is written on every path after the input: with what
		// the run found, and saying what it could not check.
		if err := j.writeReport(runErr); err != nil {
			s.Log().Errorf("%v", err)
			if runErr == nil {
				runErr = result.Fatal(err)
			}
		}
		return runErr
	})
}

// bindIdentity is who the run reads as, for the audit header.
func bindIdentity(cfg Config) string {
	id := "LDAP " + cfg.LDAP.Identity()
	sql := fmt.Sprintf("SQL %s", cfg.SQL.WithDefaults().Auth)
	if cfg.SQL.User != "" {
		sql += " " + cfg.SQL.User
	}
	return id + "; " + sql
}
