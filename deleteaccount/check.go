package deleteaccount

import (
	"context"
	"errors"
	"fmt"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// runCheck is --check: connect, detect and check every server, print each
// one's version, plan and the facts they rest on with their grades; touch
// nothing, read no users file.
func runCheck(ctx context.Context, cfg Config) int {
	o := run.Options{Common: cfg.Common, Tool: Tool, Command: "deleteaccount", BindIdentity: bindIdentity(cfg), Targets: cfg.SQL.Servers}
	return run.Check(ctx, o, func(ctx context.Context, sess *run.Session) error { return checkServers(ctx, sess, cfg) })
}

func checkServers(ctx context.Context, sess *run.Session, cfg Config) error {
	log := sess.Log()
	for _, w := range cfg.SQL.Warnings() {
		log.Warnf("%s", w)
	}
	// Every server is checked, also after one fails, so that --check names
	// every problem at once; --dump-schema dumps every server it reached.
	sqlCfg := sess.SQL(cfg.SQL)
	var servers []*server
	defer func() { closeServers(servers) }()
	var errs []error
	var dumps []*rtcclient.SchemaDump
	for _, name := range cfg.SQL.Servers {
		s, err := openServer(ctx, sqlCfg, name, log)
		if err != nil {
			errs = append(errs, err)
		}
		if s == nil {
			continue
		}
		servers = append(servers, s)
		if cfg.DumpSchema != "" {
			var procs []rtcschema.Procedure
			if s.schema != nil {
				procs = s.schema.Procedures
			}
			d, derr := s.db.DumpSchema(ctx, procs, err)
			if derr != nil {
				errs = append(errs, result.Fatal(derr))
				continue
			}
			dumps = append(dumps, d)
		}
	}
	if len(dumps) > 0 {
		if err := sess.WriteSchemaDump(cfg.DumpSchema, dumps); err != nil {
			errs = append(errs, err)
		}
	}
	for _, s := range servers {
		if s.stmts == nil {
			continue // its check failed: the error names why
		}
		sess.ShowCheck(s.name(), fmt.Sprintf("server: %s (database %s): schema check passed", s.name(), s.db.Database),
			append(rtcclient.Report(s.schema, s.needs, s.cat, true), measured(s)...))
	}
	return errors.Join(errs...)
}

// measured is what SPEC 6.1 measures in every user's transaction, whatever
// the plan is believed to touch: the discovered user-keyed tables, and the
// replication check where the server has its column.
func measured(s *server) []string {
	lines := []string{"user keys (a user's rows are those with the ResourceId in one of these integer columns):"}
	for _, k := range rtcschema.UserKeys {
		lines = append(lines, fmt.Sprintf("  %-12s %s: %s", k.Name, k.Side, k.Fact))
	}
	lines = append(lines, s.users.Describe()...)
	rd := rtcschema.ResourceDirectory
	if s.stmts.enabledAt >= 0 {
		return append(lines, fmt.Sprintf("replication check: %s (a user whose row still says enabled is refused): %s", rd.Enabled, rd.Enabled.Fact))
	}
	return append(lines, fmt.Sprintf("replication check: none (no %s column on this server)", rd.Enabled))
}
