package deleteaccount

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// errBackup marks a failure to write the backup: the user is rolled back.
var errBackup = errors.New("backup not written")

// errChanged marks a transaction that found other rows than the backup
// holds (rows added or removed between the backup read and the
// transaction): it is rolled back, and the user is tried once more.
var errChanged = errors.New("rows changed since they were backed up")

// afterBackup, when set by a test, runs between the backup read and the
// transaction: where another client's change would fall.
var afterBackup func(id int64)

// deleteUser runs the user's transaction, and once more after a deadlock
// (SQL error 1205) or when the rows changed since they were backed up.
func (j *job) deleteUser(ctx context.Context, b *runlog.Block, s *server, e input.Entry, id int64, snap *prefetched) (map[string]int64, error) {
	rows, err := j.deleteTx(ctx, b, s, e, id, snap)
	switch {
	case isDeadlock(err):
		b.Warnf("Deadlock (SQL error 1205) for resource [%d]; retrying once", id)
	case errors.Is(err, errChanged):
		b.Warnf("%v for resource [%d]; retrying once", err, id)
	default:
		return rows, err
	}
	return j.deleteTx(ctx, b, s, e, id, nil) // read afresh: the first read is stale
}

// deleteTx deletes one user's rows on one server.
//
// With a backup, the rows are read, written and synced to disk first,
// outside any transaction: the server's write locks are held only for the
// plan, not for the reading and the disk, so that other workers' users go
// on meanwhile. The transaction then counts the rows again and goes on
// only if every table holds exactly what was backed up; each step deletes
// at most that; a difference rolls it back (errChanged). So a COMMIT
// happens only when what is deleted is what the backup holds, and the
// backup is on disk before it.
//
// The committed record follows the COMMIT; it is synced by the next sync
// or when the file is closed. A transaction whose begin has neither a
// committed nor an aborted record was cut short around its COMMIT, and
// --undo restores whichever of its rows are missing.
//
// snap, when not nil, is the user's rows as the set-based read of its chunk
// found them (and, with snap.txn, already wrote and synced them); the
// recount in the transaction holds them to the same test.
func (j *job) deleteTx(ctx context.Context, b *runlog.Block, s *server, e input.Entry, id int64, snap *prefetched) (rows map[string]int64, err error) {
	h := txnHeader{User: e.URI, Server: s.name(), Database: s.db.Database, Version: string(s.schema.Version), ResourceID: id}
	var (
		txn   int64            // the backup's transaction number; 0 = nothing written
		saved map[string]int64 // rows backed up per table (lower-case name); nil without a backup
	)
	if j.backup != nil {
		var read []backupRow
		if snap != nil {
			read, saved, txn = snap.rows, savedCounts(s, snap.rows), snap.txn
		} else if read, saved, err = j.snapshot(ctx, s, id); err != nil {
			return nil, err
		}
		if sum(saved) == 0 {
			return nil, errNothingLeft
		}
		if txn == 0 {
			if txn, err = j.backup.begin(h, read); err != nil {
				return nil, fmt.Errorf("%w: %v", errBackup, err)
			}
		}
		if afterBackup != nil {
			afterBackup(id)
		}
	}
	abort := func(reason error) {
		if txn == 0 || errors.Is(reason, errBackup) {
			return
		}
		if aerr := j.backup.aborted(txn, h, errString(reason)); aerr != nil {
			b.Errorf("%v", aerr)
		}
	}

	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		err = fmt.Errorf("begin transaction: %w", err)
		abort(err)
		return nil, err
	}
	done := false
	defer func() {
		if done {
			return
		}
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			b.Errorf("Rollback for resource [%d]: %v", id, rerr)
		}
		abort(err)
	}()

	have, err := j.countIn(ctx, tx, s, id)
	if err != nil {
		return nil, err
	}
	if saved != nil {
		if err := sameCounts(s, have, saved); err != nil {
			return nil, err
		}
	}
	if sum(have) == 0 {
		return nil, errNothingLeft
	}

	rows = map[string]int64{}
	for i, st := range s.schema.Plan {
		if err := j.step(ctx, b, tx, s, st, id, have, rows); err != nil {
			return nil, fmt.Errorf("step %d (%s): %w", i+1, stepName(st), err)
		}
	}
	if sum(rows) == 0 {
		return nil, errNothingLeft
	}
	b.Infof("Committing transaction for resource [%d]", id)
	if err = tx.Commit(); err != nil {
		var sqlErr interface{ SQLErrorNumber() int32 }
		if !errors.As(err, &sqlErr) {
			// No answer from the server: the COMMIT may have happened. No
			// aborted record, so that --undo restores what is missing.
			b.Errorf("COMMIT for resource [%d] not confirmed: %v", id, err)
			txn = 0
		}
		return nil, fmt.Errorf("commit: %w", err)
	}
	done = true
	if txn != 0 {
		if cerr := j.backup.committed(txn, h); cerr != nil {
			// The rows are gone and on disk in the backup: --undo restores a
			// transaction without its committed record.
			b.Warnf("Committed record for resource [%d] not written: %v", id, cerr)
		}
	}
	b.Infof("Completed Updates for resource [%d]", id)
	return rows, nil
}

// countIn counts the user's rows in every touched table, inside the
// transaction: one round trip.
func (j *job) countIn(ctx context.Context, tx *sql.Tx, s *server, id int64) (map[string]int64, error) {
	n, err := countRows(ctx, tx, s.stmts.count, len(s.stmts.tables), id)
	if err != nil {
		return nil, fmt.Errorf("count rows: %w", err)
	}
	have := make(map[string]int64, len(n))
	for i, t := range s.stmts.tables {
		have[strings.ToLower(t.touch.Table)] = n[i]
	}
	return have, nil
}

// sameCounts is nil when every table holds as many rows as were backed up.
func sameCounts(s *server, have, saved map[string]int64) error {
	for _, t := range s.stmts.tables {
		k := strings.ToLower(t.touch.Table)
		if have[k] != saved[k] {
			return fmt.Errorf("%w: %s has %d rows, %d were backed up", errChanged, t.touch.Table, have[k], saved[k])
		}
	}
	return nil
}

func sum(m map[string]int64) int64 {
	total := int64(0)
	for _, n := range m {
		total += n
	}
	return total
}

// isDeadlock reports SQL Server error 1205 (chosen as the deadlock victim).
func isDeadlock(err error) bool {
	var e interface{ SQLErrorNumber() int32 }
	return errors.As(err, &e) && e.SQLErrorNumber() == 1205
}
