package exportcontacts

import (
	"context"
	"fmt"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// runCheck is --check: connect, detect the version, check the contact tables
// (names and types), print the result; no users file, no AD, no CSV.
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
	db, err := rtcclient.Open(ctx, sess.SQL(*cfg.SQL), cfg.SQL.Servers[0], log)
	if err != nil {
		return sess.Finish(result.Fatal(fmt.Errorf("Error While Connecting to the SQL Server: %w", err)))
	}
	defer db.Close()
	if err := checkContactTables(ctx, db, log); err != nil {
		return sess.Finish(err)
	}
	out := sess.Human()
	name := string(db.Version)
	if s := rtcschema.For(db.Version); s != nil {
		name = s.Name
	}
	fmt.Fprintf(out, "server: %s (database %s): %s (%s): contact tables check passed\n", db.Server, db.Database, name, db.Version)
	for _, t := range rtcschema.ContactTables() {
		fmt.Fprintf(out, "  %s:", t.Name)
		for _, c := range t.Columns {
			fmt.Fprintf(out, " %s %s", c.Name, c.Type)
		}
		fmt.Fprintln(out)
	}
	return sess.Finish(nil)
}
