package deleteaccount

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// runCheck is --check: connect, detect and check every server, print each
// one's version, plan and the facts they rest on with their grades; touch
// nothing, read no users file.
func runCheck(ctx context.Context, cfg Config) (code int) {
	sess, ctx, err := run.Start(ctx, run.Options{
		Common: cfg.Common, Tool: Tool, Command: "deleteaccount --check", DryRun: true,
		BindIdentity: bindIdentity(cfg), Targets: cfg.SQL.Servers,
	})
	if err != nil {
		return run.Fail(cfg.Common, err)
	}
	defer sess.Guard(&code)
	log := sess.Log()
	for _, w := range cfg.SQL.Warnings() {
		log.Warnf("%s", w)
	}
	servers, err := openServers(ctx, cfg.SQL, cfg.SQL.Servers, 1, log)
	if err != nil {
		return sess.Finish(err)
	}
	defer closeServers(servers)
	var out io.Writer = os.Stdout
	if cfg.Common.Stdout != nil {
		out = cfg.Common.Stdout
	}
	if cfg.Common.JSON {
		out = sess.Stderr() // stdout carries only JSON
	}
	for _, s := range servers {
		fmt.Fprintf(out, "server: %s (database %s): schema check passed\n", s.name(), s.db.Database)
		for _, l := range append(rtcclient.Report(s.schema, s.needs, s.cat, true), measured(s)...) {
			fmt.Fprintln(out, l)
			log.Infof("%s: %s", s.name(), l)
		}
	}
	return sess.Finish(nil)
}

// measured is what SPEC 6.1 measures in every user's transaction, whatever
// the plan is believed to touch: the discovered user-keyed tables, and the
// replication check where the server has its column.
func measured(s *server) []string {
	lines := s.users.Describe()
	rd := rtcschema.ResourceDirectory
	if s.stmts.enabledAt >= 0 {
		return append(lines, fmt.Sprintf("replication check: %s (a user whose row still says enabled is refused): %s", rd.Enabled, rd.Enabled.Fact))
	}
	return append(lines, fmt.Sprintf("replication check: none (no %s column on this server)", rd.Enabled))
}
