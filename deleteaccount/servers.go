package deleteaccount

import (
	"context"
	"fmt"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// server is one checked rtc database with its version's plan and statements.
type server struct {
	db     *rtcclient.DB
	schema *rtcschema.Schema
	cat    *rtcclient.Catalog
	stmts  *statements
}

func (s *server) name() string { return s.db.Server }

// openServers connects to every server, detects its version and runs the
// schema check, all before any user is touched (SPEC 6). Any failure is fatal
// (exit 3) and closes what was opened. cfg is the run's (run.Session.SQL):
// one password read for every server, one connection per worker.
func openServers(ctx context.Context, cfg rtcclient.Config, names []string, log rtcclient.Logger) ([]*server, error) {
	var out []*server
	fail := func(err error) ([]*server, error) {
		closeServers(out)
		return nil, result.Fatal(err)
	}
	for _, n := range names {
		db, err := rtcclient.Open(ctx, cfg, n, log)
		if err != nil {
			return fail(fmt.Errorf("Error While Connecting to the SQL Server: %w", err))
		}
		s := &server{db: db}
		out = append(out, s)
		v, err := db.Detect(ctx, log)
		if err != nil {
			return fail(err)
		}
		s.schema = rtcschema.For(v)
		log.Infof("Server [%s] database [%s]: %s", db.Server, db.Database, s.schema.Name)
		s.cat, err = db.Check(ctx, s.schema.Tables, s.schema.Procedures)
		if err != nil {
			return fail(err)
		}
		log.Infof("Schema check passed on [%s]: %d tables, %d procedures", db.Server, len(s.schema.Tables), len(s.schema.Procedures))
		s.stmts = newStatements(s.schema, s.cat)
	}
	return out, nil
}

func closeServers(ss []*server) {
	for _, s := range ss {
		s.db.Close()
	}
}
