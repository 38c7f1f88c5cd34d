package deleteaccount

import (
	"context"
	"fmt"
	"io"

	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// runCheck is --check: connect, detect and check every server, print each
// one's version and plan, touch nothing, read no users file.
func runCheck(ctx context.Context, cfg Config) int {
	return run.Execute(ctx, run.Options{
		Common: cfg.Common, Tool: Tool, Command: "deleteaccount --check", DryRun: true,
		BindIdentity: bindIdentity(cfg), Targets: cfg.SQL.Servers,
	}, func(ctx context.Context, s *run.Session) error {
		log := s.Log()
		for _, w := range cfg.SQL.Warnings() {
			log.Warnf("%s", w)
		}
		servers, err := openServers(ctx, s.SQL(cfg.SQL), cfg.SQL.Servers, log)
		if err != nil {
			return err
		}
		defer closeServers(servers)
		for _, srv := range servers {
			printPlan(s.Human(), srv)
			for _, l := range srv.schema.Describe() {
				log.Infof("%s: %s", srv.name(), l)
			}
		}
		return nil
	})
}

func printPlan(w io.Writer, s *server) {
	fmt.Fprintf(w, "server: %s (database %s): schema check passed\n", s.name(), s.db.Database)
	for _, l := range s.schema.Describe() {
		fmt.Fprintln(w, l)
	}
}
