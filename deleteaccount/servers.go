package deleteaccount

import (
	"context"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// server is one checked rtc database with its version's plan and statements.
type server struct {
	db     *rtcclient.DB
	schema *rtcschema.Schema
	needs  rtcschema.Needs // what the check required
	cat    *rtcclient.Catalog
	users  *rtcclient.UserTables // the user-keyed tables discovered on the server (SPEC 6.1)
	stmts  *statements
}

func (s *server) name() string { return s.db.Server }

// openServers connects to every server, detects its version and runs the
// schema check, all before any user is touched (SPEC 6). Any failure is fatal
// (exit 3) and closes what was opened. cfg is the run's (run.Session.SQL):
// one password read for every server, one connection per worker.
func openServers(ctx context.Context, cfg rtcclient.Config, names []string, log rtcclient.Logger) ([]*server, error) {
	var out []*server
	for _, n := range names {
		s, err := openServer(ctx, cfg, n, log)
		if s != nil {
			out = append(out, s)
		}
		if err != nil {
			closeServers(out)
			return nil, err
		}
	}
	return out, nil
}

// openServer connects to one server, detects its version and runs the schema
// check. Once connected it returns the server, also with an error (fatal):
// --check --dump-schema still dumps a server that fails its check.
func openServer(ctx context.Context, cfg rtcclient.Config, name string, log rtcclient.Logger) (*server, error) {
	db, err := rtcclient.Open(ctx, cfg, name, log)
	if err != nil {
		return nil, result.Fatal(fmt.Errorf("Error While Connecting to the SQL Server: %w", err))
	}
	s := &server{db: db}
	v, err := db.Detect(ctx, log)
	if err != nil {
		return s, result.Fatal(err)
	}
	s.schema = rtcschema.For(v)
	log.Infof("Server [%s] database [%s]: %s", db.Server, db.Database, s.schema.Name)
	s.needs = s.schema.Needs().With(lookup, lookupIn)
	s.cat, err = db.Check(ctx, s.needs)
	if err != nil {
		return s, result.Fatal(err)
	}
	log.Infof("Schema check passed on [%s]: %d tables, %d columns, %d procedures", db.Server, len(s.needs.Tables), len(s.needs.Columns), len(s.needs.Procedures))
	if s.users, err = db.DiscoverUserTables(ctx, s.cat); err != nil {
		return s, result.Fatal(err)
	}
	// Measured, not assumed (what a real rtc database indexes is not public):
	// where no index leads a user-key column, each user's counts scan the table.
	if err := db.MeasureKeyIndexes(ctx, s.users); err != nil {
		log.Infof("Server [%s]: which user-key columns lead an index could not be measured (%v): only a --trial on a pilot batch shows what the per-user counts cost", db.Server, err)
	} else if cols := s.users.Unindexed(); len(cols) > 0 {
		log.Infof("Server [%s]: measured from sys.index_columns: %d user-key columns lead no index (%s): each user's counts scan those tables inside the transaction; a --trial on a pilot batch shows the speed", db.Server, len(cols), strings.Join(cols, ", "))
	} else {
		log.Infof("Server [%s]: measured from sys.index_columns: an index leads every user-key column", db.Server)
	}
	if s.stmts, err = newStatements(s.schema, s.users); err != nil {
		return s, result.Fatal(fmt.Errorf("%s: %w", db.Server, err))
	}
	log.Infof("Server [%s]: %d user-keyed tables (%s)", db.Server, len(s.users.List), s.stmts.describeTables())
	if s.stmts.enabledAt < 0 {
		log.Infof("Server [%s]: no %s column: whether the AD change has replicated to this pool cannot be checked here", db.Server, rtcschema.ResourceDirectory.Enabled)
	}
	return s, nil
}

func closeServers(ss []*server) {
	for _, s := range ss {
		s.db.Close()
	}
}
