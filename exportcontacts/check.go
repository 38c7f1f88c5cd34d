package exportcontacts

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// runCheck is --check: connect, detect the version, check what the export
// reads (names and type families), print each fact with its grade; no users
// file, no AD, no CSV.
func runCheck(ctx context.Context, cfg Config) (code int) {
	sess, ctx, err := run.Start(ctx, run.Options{
		Common: cfg.Common, Tool: Tool, Command: "exportcontacts --check", DryRun: true,
		BindIdentity: bindIdentity(Config{SQL: cfg.SQL}), Targets: targets(Config{SQL: cfg.SQL}),
	})
	if err != nil {
		return run.Fail(cfg.Common, err)
	}
	defer sess.Guard(&code)
	log := sess.Log()
	for _, w := range cfg.SQL.Warnings() {
		log.Warnf("%s", w)
	}
	db, err := rtcclient.Open(ctx, *cfg.SQL, cfg.SQL.Servers[0], log)
	if err != nil {
		return sess.Finish(result.Fatal(fmt.Errorf("Error While Connecting to the SQL Server: %w", err)))
	}
	defer db.Close()
	c, err := checkContactTables(ctx, db, log)
	if err != nil {
		return sess.Finish(err)
	}
	var out io.Writer = os.Stdout
	if cfg.Common.Stdout != nil {
		out = cfg.Common.Stdout
	}
	if cfg.Common.JSON {
		out = sess.Stderr() // stdout carries only JSON
	}
	fmt.Fprintf(out, "server: %s (database %s): schema check passed for exportcontacts\n", db.Server, db.Database)
	for _, l := range rtcclient.Report(c.schema, c.needs, c.cat, false) {
		fmt.Fprintln(out, l)
		log.Infof("%s: %s", db.Server, l)
	}
	return sess.Finish(nil)
}
