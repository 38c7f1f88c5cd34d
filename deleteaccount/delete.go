package deleteaccount

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// errNothingLeft ends a transaction that would delete nothing: skipped.
var errNothingLeft = errors.New("nothing left to delete")

// onServer is one (user, server) pair: a log section and a JSON part-record.
func (j *job) onServer(ctx context.Context, b *runlog.Block, s *server, pre *prefetch, i int, e input.Entry) result.Record {
	rec := result.Record{User: e.URI, Line: e.Line, Server: s.name()}
	uah := e.UserAtHost
	b.Infof("Preparing to Delete Communications Server Data for User [%s]", uah)
	b.Infof("Server [%s] database [%s] (%s)", s.name(), s.db.Database, s.schema.Version)
	var (
		id   int64
		err  error
		snap *prefetched // the set-based backup read; nil: read per user
	)
	pid, snap, found := pre.get(ctx, i)
	if found {
		id = pid
		b.Debugf("ResourceId [%d] from the set-based lookup of its chunk", id)
	} else {
		b.Debugf("SQL is [%s] with @p1 = [%s]", lookupSQL, uah)
		err = s.db.SQL.QueryRowContext(ctx, lookupSQL, uah).Scan(&id)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		b.Infof("User [%s] does not exist in the Microsoft server database [%s]", uah, s.name())
		rec.Outcome, rec.Detail = result.NotFound, "not in the rtc database"
		return rec
	case err != nil:
		return j.failed(ctx, b, s, rec, fmt.Errorf("look up %s: %w", uah, err))
	}
	b.Infof("Found user [%s] with ResourceId [%d], proceeding to delete data", uah, id)

	var rows map[string]int64
	if j.cfg.DryRun {
		rows, err = j.count(ctx, s, id)
	} else {
		rows, err = j.deleteUser(ctx, b, s, e, id, snap)
	}
	switch {
	case errors.Is(err, errNothingLeft):
		b.Infof("Nothing left to delete for resource [%d]", id)
		rec.Outcome, rec.Detail = result.Skipped, fmt.Sprintf("nothing left to delete (ResourceId %d)", id)
		return rec
	case err != nil:
		return j.failed(ctx, b, s, rec, err)
	}
	rec.Outcome, rec.Rows = result.Processed, rows
	total := int64(0)
	for _, t := range sortedTables(rows) {
		total += rows[t]
		if j.cfg.DryRun {
			b.Infof("Would delete %d rows from %s for resource [%d]", rows[t], t, id)
		}
	}
	verb := "deleted"
	if j.cfg.DryRun {
		verb = "would delete"
	}
	rec.Detail = fmt.Sprintf("%s %d rows (ResourceId %d)", verb, total, id)
	return rec
}

// failed makes a (user, server) pair an error; if the server does not
// answer any more, the whole run stops (SPEC 3.4: server lost, exit 3).
func (j *job) failed(ctx context.Context, b *runlog.Block, s *server, rec result.Record, err error) result.Record {
	b.Errorf("%s on %s: %v", rec.User, s.name(), err)
	rec.Outcome, rec.Detail = result.Error, err.Error()
	var sqlErr interface{ SQLErrorNumber() int32 }
	if !errors.As(err, &sqlErr) && !errors.Is(err, errBackup) {
		pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if perr := s.db.SQL.PingContext(pctx); perr != nil {
			b.Errorf("Server [%s] lost: %v", s.name(), perr)
			j.stop(fmt.Errorf("server %s lost and not regained: %w", s.name(), perr))
		}
	}
	return rec
}

// count is the dry run: the rows of each touched table, read-only, no
// transaction; errNothingLeft when there are none.
func (j *job) count(ctx context.Context, s *server, id int64) (map[string]int64, error) {
	n, err := countRows(ctx, s.db.SQL, s.stmts.count, len(s.stmts.tables), id)
	if err != nil {
		return nil, fmt.Errorf("count rows: %w", err)
	}
	rows := map[string]int64{}
	for i, t := range s.stmts.tables {
		if n[i] > 0 {
			rows[t.touch.Table] = n[i]
		}
	}
	if len(rows) == 0 {
		return nil, errNothingLeft
	}
	return rows, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func countRows(ctx context.Context, q querier, stmt string, n int, id int64) ([]int64, error) {
	out := make([]int64, n)
	dest := make([]any, n)
	for i := range out {
		dest[i] = &out[i]
	}
	return out, q.QueryRowContext(ctx, stmt, id).Scan(dest...)
}

// step runs one plan step and adds what the server reports deleting to rows.
// A step never deletes more rows than the transaction counted (and, with a
// backup, saved) before: that would mean rows appeared during the
// transaction, unsaved.
func (j *job) step(ctx context.Context, b *runlog.Block, tx *sql.Tx, s *server, st rtcschema.Step, id int64,
	have, rows map[string]int64) error {
	if st.Kind == rtcschema.StepDelete {
		t := s.stmts.table(st.Delete.Table)
		b.Debugf("SQL is [%s] with @p1 = [%d]", t.del, id)
		res, err := tx.ExecContext(ctx, t.del, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if max := have[strings.ToLower(st.Delete.Table)]; n > max {
			return fmt.Errorf("%w: deleted %d rows from %s but %d were backed up", errChanged, n, st.Delete.Table, max)
		}
		if n > 0 {
			rows[st.Delete.Table] += n
		}
		b.Infof("Deleted %s for resource [%d] (%d rows)", st.Delete.Table, id, n)
		return nil
	}

	p, _ := s.schema.Procedure(st.Procedure)
	// The one parameter the check discovered, by position: its name is the
	// server's (database/sql refuses names that start with "@_", as rtc's
	// do), and TDS passes an unnamed RPC parameter by position, which SQL
	// Server and rtcsim both accept.
	var status mssql.ReturnStatus
	param, _ := s.cat.Param(p)
	b.Debugf("RPC [%s] with %s = [%d]", p.Name, param.Name, id)
	res, err := tx.ExecContext(ctx, p.Name, id, &status)
	if err != nil {
		return err
	}
	if status != 0 {
		return fmt.Errorf("%s returned status %d", p.Name, status)
	}
	// Per-table counts: the server's DONEINPROC total confirms the rows read
	// before when it equals their sum; otherwise (SET NOCOUNT ON, or a
	// partial delete) count what is left afterwards: deleted = before - after.
	affected, _ := res.RowsAffected()
	before := int64(0)
	for _, tc := range p.Touches {
		before += have[strings.ToLower(tc.Table)]
	}
	if affected > before {
		// More rows than the tables it is believed to touch held: it deleted
		// rows the backup does not have. Refuse rather than lose them.
		return fmt.Errorf("%s reported %d rows deleted, but the tables it is believed to touch held %d: it deletes from tables the %s plan does not list (internal/rtcschema)",
			p.Name, affected, before, s.schema.Version)
	}
	if affected == before {
		for _, tc := range p.Touches {
			if n := have[strings.ToLower(tc.Table)]; n > 0 {
				rows[tc.Table] += n
			}
		}
	} else {
		after, err := countRows(ctx, tx, s.stmts.procCount[strings.ToLower(p.Name)], len(p.Touches), id)
		if err != nil {
			return fmt.Errorf("count rows after %s: %w", p.Name, err)
		}
		for i, tc := range p.Touches {
			n := have[strings.ToLower(tc.Table)] - after[i]
			if n < 0 {
				return fmt.Errorf("%w: after %s, %s has %d more rows than were backed up", errChanged, p.Name, tc.Table, -n)
			}
			if n > 0 {
				rows[tc.Table] += n
			}
		}
		b.Debugf("%s reported %d rows affected; counted %v per table", p.Name, affected, after)
	}
	b.Infof("Ran %s for resource [%d]", p.Name, id)
	return nil
}

func stepName(st rtcschema.Step) string {
	if st.Kind == rtcschema.StepProcedure {
		return st.Procedure
	}
	return "DELETE " + st.Delete.Table
}

func sortedTables(rows map[string]int64) []string {
	out := make([]string, 0, len(rows))
	for t := range rows {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
