package verify

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// server is one rtc database as verify reads it. A server that could not be
// connected, detected or read keeps its first error and is not read again:
// its users are reported from the other servers, and the run ends with
// exit 3 naming it.
type server struct {
	name    string // Target.String(): how records and the report name it
	db      *rtcclient.DB
	version string // the schema's name, for the log and the report
	cat     catalog

	mu  sync.Mutex
	err error
}

func (s *server) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// fail records the server's first error; it reports whether it was the
// first, so that the log names it once.
func (s *server) fail(err error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return false
	}
	s.err = err
	return true
}

// openServers connects to every server, detects its version and discovers
// its user-keyed tables. A server that fails is kept with its error; only
// the others are read.
// cfg is the run's (run.Session.SQL): the password asked once for every
// server and redacted from the log, a pool of a connection per worker.
func openServers(ctx context.Context, cfg rtcclient.Config, log *runlog.Logger) []*server {
	out := make([]*server, 0, len(cfg.Servers))
	for _, name := range cfg.Servers {
		s := &server{name: name}
		if t, err := rtcclient.ParseServer(name); err == nil {
			s.name = t.String()
		}
		out = append(out, s)
		if err := s.open(ctx, cfg, name, log); err != nil {
			s.fail(err)
			log.Errorf("rtc database %s could not be read: %v; its users are reported from the other servers, and the run ends with exit 3", s.name, err)
		}
	}
	return out
}

func (s *server) open(ctx context.Context, cfg rtcclient.Config, name string, log *runlog.Logger) error {
	db, err := rtcclient.Open(ctx, cfg, name, log)
	if err != nil {
		return fmt.Errorf("Error While Connecting to the SQL Server: %w", err)
	}
	s.db = db
	v, err := db.Detect(ctx, log)
	if err != nil {
		return err
	}
	s.version = rtcschema.For(v).Name
	if s.cat, err = readCatalog(ctx, db); err != nil {
		return err
	}
	names := make([]string, len(s.cat.owned))
	for i, t := range s.cat.owned {
		names[i] = t.name
	}
	log.Infof("Server [%s] database [%s]: %s; homed rows counted in %d tables (%s)", s.name, db.Database, s.version, len(names), strings.Join(names, ", "))
	if s.cat.enabled {
		log.Infof("Server [%s]: %s tells whether each user's AD change has reached this pool", s.name, rtcschema.ResourceDirectory.Enabled)
	} else {
		log.Infof("Server [%s]: no %s column: replication cannot be told on this pool", s.name, rtcschema.ResourceDirectory.Enabled)
	}
	return nil
}

func closeServers(ss []*server) {
	for _, s := range ss {
		if s.db != nil {
			s.db.Close()
		}
	}
}

// onServer is what one server holds for a batch of users.
type onServer struct {
	ids     map[string]int64           // lower-case UserAtHost -> ResourceId
	enabled map[int64]bool             // ResourceDirectory.Enabled, where the column and the row exist
	homed   map[int64]map[string]int64 // ResourceId -> table -> own rows
	listed  map[int64]int64            // ResourceId -> other users with it on their contact list
}

// read reads a batch set-based (SPEC 3.8): one statement finds the users'
// ResourceIds, then one per table counts their rows, each with an IN list of
// the batch (at most rtcclient.MaxParams values). Read-only: SELECTs only.
func (s *server) read(ctx context.Context, entries []input.Entry) (*onServer, error) {
	r := &onServer{ids: map[string]int64{}, enabled: map[int64]bool{}, homed: map[int64]map[string]int64{}, listed: map[int64]int64{}}
	args := make([]any, 0, len(entries))
	seen := map[string]bool{}
	for _, e := range entries {
		if k := strings.ToLower(e.UserAtHost); !seen[k] {
			seen[k] = true
			args = append(args, e.UserAtHost)
		}
	}
	err := s.query(ctx, lookupSQL.Text, args, func(rows *sql.Rows) error {
		var id int64
		var uah string
		if err := rows.Scan(&id, &uah); err != nil {
			return err
		}
		r.ids[strings.ToLower(uah)] = id
		return nil
	})
	if err != nil || len(r.ids) == 0 {
		return r, err
	}
	ids := make([]any, 0, len(r.ids))
	for _, id := range r.ids {
		ids = append(ids, id)
	}
	if s.cat.enabled {
		err := s.query(ctx, directorySQL.Text, ids, func(rows *sql.Rows) error {
			var id int64
			var v any
			if err := rows.Scan(&id, &v); err != nil {
				return err
			}
			if on, ok := truth(v); ok {
				r.enabled[id] = on
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, t := range s.cat.owned {
		for _, col := range t.columns {
			err := s.query(ctx, countSQL(t.name, col), ids, func(rows *sql.Rows) error {
				var id, n int64
				if err := rows.Scan(&id, &n); err != nil {
					return err
				}
				if r.homed[id] == nil {
					r.homed[id] = map[string]int64{}
				}
				// A row with the user in two owner columns counts twice:
				// only whether rows are left decides the state.
				r.homed[id][t.name] += n
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	err = s.query(ctx, listedSQL.Text, ids, func(rows *sql.Rows) error {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		r.listed[id] = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// query runs one read over the batch's values (q's %s becomes their
// placeholders) and hands each row to fn.
func (s *server) query(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	return s.db.EachIn(ctx, q, args, fn)
}

// truth reads a flag column whatever its integer or bit type.
func truth(v any) (bool, bool) {
	switch b := v.(type) {
	case bool:
		return b, true
	case int64:
		return b != 0, true
	case int32:
		return b != 0, true
	case int16:
		return b != 0, true
	case uint8:
		return b != 0, true
	case []byte:
		return len(b) > 0 && b[0] != 0 && b[0] != '0', true
	}
	return false, false
}

// The statements, SPEC 7's subset: plain SELECTs with an IN list of the
// batch's parameters (spliced in for %s, at most rtcclient.MaxParams). Every
// name comes from rtcschema or, for the user-keyed tables, from the server's
// own catalog; every value is a parameter.
var (
	lookupSQL = rtcschema.SQL("SELECT {Resource.ResourceID}, {Resource.UserAtHost} FROM {Resource} WHERE {Resource.UserAtHost} IN (%s)")
	// directorySQL reads whether each user's AD change has reached the pool,
	// where ResourceDirectory has Enabled (not every version has it).
	directorySQL = rtcschema.SQL("SELECT {ResourceDirectory.ResourceID}, {ResourceDirectory.Enabled} FROM {ResourceDirectory} " +
		"WHERE {ResourceDirectory.ResourceID} IN (%s)")
	// listedSQL counts, per user, the OTHER users with the user on their
	// contact list (a user on their own list is not "listed by" anyone).
	listedSQL = rtcschema.SQL("SELECT {Contact.BuddyID}, COUNT(*) FROM {Contact} WHERE {Contact.BuddyID} IN (%s) " +
		"AND {Contact.OwnerID} <> {Contact.BuddyID} GROUP BY {Contact.BuddyID}")
)

// needs is what the schema check requires of every server: the tables and
// columns the statements above name, each of its type family. Enabled is
// read only where the server has it.
var needs = rtcschema.Needs{}.With(lookupSQL, listedSQL)

// countSQL counts a batch's rows in one user-keyed table by one owner
// column; the names come from the server's catalog.
func countSQL(table, column string) string {
	return "SELECT " + rtcclient.Ident(column) + ", COUNT(*) FROM " + rtcclient.Ident(table) + " WHERE " + rtcclient.Ident(column) +
		" IN (%s) GROUP BY " + rtcclient.Ident(column)
}
