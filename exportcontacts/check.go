package exportcontacts

import (
	"context"
	"errors"
	"fmt"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// runCheck is --check: connect, detect the version, check what the export
// reads (names and type families), print each fact with its grade; no users
// file, no AD, no CSV.
func runCheck(ctx context.Context, cfg Config) int {
	sqlOnly := Config{SQL: cfg.SQL} // no AD in a check
	o := run.Options{Common: cfg.Common, Tool: Tool, Command: "exportcontacts", BindIdentity: bindIdentity(sqlOnly), Targets: targets(sqlOnly)}
	return run.Check(ctx, o, func(ctx context.Context, sess *run.Session) error {
		log := sess.Log()
		for _, w := range cfg.SQL.Warnings() {
			log.Warnf("%s", w)
		}
		db, err := rtcclient.Open(ctx, sess.SQL(*cfg.SQL), cfg.SQL.Servers[0], log)
		if err != nil {
			return result.Fatal(fmt.Errorf("Error While Connecting to the SQL Server: %w", err))
		}
		defer db.Close()
		c, err := checkContactTables(ctx, db, log)
		if cfg.DumpSchema != "" {
			// Also, above all, when the check failed: the dump shows why.
			if derr := dumpSchema(ctx, sess, cfg, db, c, err); derr != nil {
				return errors.Join(err, derr)
			}
		}
		if err != nil {
			return err
		}
		sess.ShowCheck(db.Server, fmt.Sprintf("server: %s (database %s): schema check passed for exportcontacts", db.Server, db.Database),
			rtcclient.Report(c.schema, c.needs, c.cat, false))
		return nil
	})
}

// dumpSchema writes --dump-schema's file: the catalog and the text of the
// detected version's delete procedures, for an administrator to check or send.
func dumpSchema(ctx context.Context, sess *run.Session, cfg Config, db *rtcclient.DB, c checked, checkErr error) error {
	var procs []rtcschema.Procedure
	if c.schema != nil {
		procs = c.schema.Procedures
	}
	d, err := db.DumpSchema(ctx, procs, checkErr)
	if err != nil {
		return result.Fatal(fmt.Errorf("--dump-schema: %w", err))
	}
	return sess.WriteSchemaDump(cfg.DumpSchema, []*rtcclient.SchemaDump{d})
}
