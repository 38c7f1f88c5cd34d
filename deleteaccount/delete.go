package deleteaccount

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// errNothingLeft ends a transaction that would delete nothing: skipped.
var errNothingLeft = errors.New("nothing left to delete")

// pair is the end of one (user, server) pair.
type pair struct {
	rec     result.Record // the JSON part-record
	id      int64         // the user's ResourceId on the server; 0: not found
	waiting bool          // not replicated to the server yet: --wait-replication checks again
}

// onServer is one (user, server) pair: a log section and a JSON part-record.
func (j *job) onServer(ctx context.Context, b *runlog.Block, s *server, pre *prefetch, i int, e input.Entry) pair {
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
		return pair{rec: rec}
	case err != nil:
		return pair{rec: j.failed(ctx, b, s, rec, fmt.Errorf("look up %s: %w", uah, err))}
	}
	b.Infof("Found user [%s] with ResourceId [%d], proceeding to delete data", uah, id)
	var rows map[string]int64
	if snap != nil && snap.notReplicated {
		err = &notReplicatedError{server: s.name()} // the chunk's read: no transaction begun
	} else {
		rows, err = j.process(ctx, b, s, e, id, snap)
	}
	return j.outcome(ctx, b, s, rec, id, rows, err)
}

// outcome is the end of a pair whose user was found.
func (j *job) outcome(ctx context.Context, b *runlog.Block, s *server, rec result.Record, id int64, rows map[string]int64, err error) pair {
	rec, waiting := j.settled(b, s, rec, id, rows, err)
	if rec.Outcome == result.Error && !waiting {
		rec = j.failed(ctx, b, s, rec, err)
	}
	return pair{rec: rec, id: id, waiting: waiting}
}

// process deletes (or, in a dry run, counts) one found user's rows on one server.
func (j *job) process(ctx context.Context, b *runlog.Block, s *server, e input.Entry, id int64, snap *prefetched) (map[string]int64, error) {
	if j.cfg.DryRun {
		return j.count(ctx, b, s, id)
	}
	return j.deleteUser(ctx, b, s, e, id, snap)
}

// waitingFor reports an error that --wait-replication waits out.
func waitingFor(err error, cfg Config) bool {
	var nr *notReplicatedError
	return cfg.WaitReplication > 0 && !cfg.DryRun && errors.As(err, &nr)
}

// settled turns what process returned into the pair's record and log
// lines; waiting is a user --wait-replication will check again (its record
// is the error it ends with if the deadline passes).
func (j *job) settled(b *runlog.Block, s *server, rec result.Record, id int64, rows map[string]int64, err error) (result.Record, bool) {
	switch {
	case errors.Is(err, errNothingLeft):
		b.Infof("Nothing left to delete for resource [%d]", id)
		rec.Outcome, rec.Detail = result.Skipped, fmt.Sprintf("nothing left to delete (ResourceId %d)", id)
		return rec, false
	case waitingFor(err, j.cfg):
		b.Infof("%s: %v; waiting for it (--wait-replication %s)", rec.User, err, j.cfg.WaitReplication)
		rec.Outcome, rec.Detail = result.Error, err.Error()
		return rec, true
	case err != nil:
		rec.Outcome, rec.Detail = result.Error, err.Error()
		return rec, false
	}
	rec.Outcome, rec.Rows = result.Processed, rows
	total := int64(0)
	var parts []string
	for _, t := range sortedTables(rows) {
		total += rows[t]
		parts = append(parts, fmt.Sprintf("%s %d", t, rows[t]))
	}
	switch {
	case j.cfg.DryRun:
		for _, t := range sortedTables(rows) {
			b.Infof("Would delete %d rows from %s for resource [%d]", rows[t], t, id)
		}
		rec.Detail = fmt.Sprintf("would delete %d rows (ResourceId %d)", total, id)
	case j.cfg.Trial:
		b.Infof("Trial: the transaction deleted %d rows for resource [%d] (%s) and was rolled back", total, id, strings.Join(parts, ", "))
		rec.Detail = fmt.Sprintf("trial: deleted %d rows and rolled back (ResourceId %d)", total, id)
	default:
		b.Infof("Deleted %d rows for resource [%d]: %s", total, id, strings.Join(parts, ", "))
		rec.Detail = fmt.Sprintf("deleted %d rows (ResourceId %d)", total, id)
	}
	return rec, false
}

// failed makes a (user, server) pair an error; if the server does not
// answer any more, the whole run stops (SPEC 3.4: server lost, exit 3).
func (j *job) failed(ctx context.Context, b *runlog.Block, s *server, rec result.Record, err error) result.Record {
	b.Errorf("%s on %s: %v", rec.User, s.name(), err)
	rec.Outcome, rec.Detail = result.Error, err.Error()
	if !decided(err) {
		pctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if perr := s.db.SQL.PingContext(pctx); perr != nil {
			b.Errorf("Server [%s] lost: %v", s.name(), perr)
			j.stop(fmt.Errorf("server %s lost and not regained: %w", s.name(), perr))
		}
	}
	return rec
}

// decided reports an error that says what happened (the server answered,
// or the job itself decided): the server is not in doubt.
func decided(err error) bool {
	var (
		nr *notReplicatedError
		ie *invariantError
		pe *rtcclient.ProcedureError
	)
	return rtcclient.ServerAnswered(err) || errors.Is(err, errBackup) || errors.Is(err, errChanged) ||
		errors.As(err, &nr) || errors.As(err, &ie) || errors.As(err, &pe)
}

// count is the dry run: the user's rows in each table the plan names,
// read-only, in one statement outside any transaction; errNothingLeft when
// there are none. The user's rows in user-keyed tables the plan does not
// name are logged: only the real run or --trial can tell whether a
// procedure deletes them (SPEC 3.5).
func (j *job) count(ctx context.Context, b *runlog.Block, s *server, id int64) (map[string]int64, error) {
	st := s.stmts
	n, err := st.readCounts(ctx, s.db.SQL, st.dryCount, id)
	if err != nil {
		return nil, err
	}
	if n.enabled(st) {
		return nil, &notReplicatedError{server: s.name()}
	}
	rows := map[string]int64{}
	for i := range st.tables {
		t := &st.tables[i]
		c := n.owner(t)
		switch {
		case !t.backedUp() || c == 0:
		case t.planned:
			rows[t.t.Name] = c
		default:
			b.Infof("%s holds %d rows of resource [%d] that the plan does not name: the dry run cannot tell whether a procedure deletes them (--trial can)", t.t.Name, c, id)
		}
	}
	if len(rows) == 0 {
		return nil, errNothingLeft
	}
	return rows, nil
}

// step runs one plan step. A DELETE step never removes more rows than the
// transaction counted before the plan: more would mean rows added by
// another client meanwhile, which the backup has not seen (errChanged).
func (j *job) step(ctx context.Context, b *runlog.Block, tx *sql.Tx, s *server, st rtcschema.Step, id int64, before userCounts) error {
	if st.Kind == rtcschema.StepDelete {
		t, _ := s.stmts.table(st.Delete.Table) // every DELETE step's table is a user-keyed table (newStatements)
		b.Debugf("SQL is [%s] with @p1 = [%d]", t.del, id)
		res, err := tx.ExecContext(ctx, t.del, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if counted := before.owner(t); n > counted {
			return fmt.Errorf("%w: deleted %d rows from %s but %d were counted", errChanged, n, st.Delete.Table, counted)
		}
		b.Infof("Deleted %s for resource [%d] (%d rows)", st.Delete.Table, id, n)
		return nil
	}
	p, _ := s.schema.Procedure(st.Procedure)
	// The one parameter the check discovered, by position (rtcclient.CallProcedure).
	param, _ := s.cat.Param(p)
	b.Debugf("RPC [%s] with %s = [%d]", p.Name, param.Name, id)
	if _, err := rtcclient.CallProcedure(ctx, tx, p.Name, id); err != nil {
		return err
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
