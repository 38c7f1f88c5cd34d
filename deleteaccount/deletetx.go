package deleteaccount

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// errBackup marks a failure to write the backup: the user is rolled back.
var errBackup = errors.New("backup not written")

// errChanged marks a transaction in which a DELETE step removed more rows
// than the transaction had counted (rows added by another client meanwhile,
// unseen by the backup): it is rolled back, and the user is tried once more.
var errChanged = errors.New("rows changed during the transaction")

// invariantError is a transaction whose plan removed what must stay (SPEC
// 6.1): the Resource row, or other users' rows naming the user. It is
// rolled back.
type invariantError struct{ problems []string }

func (e *invariantError) Error() string {
	return strings.Join(e.problems, "; ") + ": rolled back, nothing changed"
}

// notReplicatedError is a user whose ResourceDirectory row on the server
// still says enabled: the AD change has not reached this pool yet.
type notReplicatedError struct{ server string }

func (e *notReplicatedError) Error() string {
	return "not yet replicated to " + e.server + ": wait and run again (" + rtcschema.ResourceDirectory.Enabled.String() + " still says enabled); nothing deleted"
}

// afterBackup, when set by a test, runs between the chunk's backup read and
// the user's transaction: where another client's change would fall.
var afterBackup func(id int64)

// deleteUser runs the user's transaction, and once more after a deadlock
// (SQL error 1205), when rows changed during it, or when an invariant
// failed: on SQL Server, another worker's user who had this one on their
// contact list may delete (and commit) that row between this transaction's
// two counts; the second attempt counts afresh, and a plan that really
// removes other users' rows fails it again.
func (j *job) deleteUser(ctx context.Context, b *runlog.Block, s *server, e input.Entry, id int64, snap *prefetched) (map[string]int64, error) {
	rows, err := j.deleteTx(ctx, b, s, e, id, snap)
	var ie *invariantError
	switch {
	case rtcclient.IsDeadlock(err):
		b.Warnf("Deadlock (SQL error 1205) for resource [%d]; retrying once", id)
	case errors.Is(err, errChanged), errors.As(err, &ie):
		b.Warnf("%v for resource [%d]; retrying once", err, id)
	default:
		return rows, err
	}
	return j.deleteTx(ctx, b, s, e, id, nil) // read afresh: the first read is stale
}

// deleteTx deletes one user's rows on one server and returns what vanished
// per table (SPEC 6.1).
//
// Inside the transaction one statement counts the user's rows in every
// user-keyed table, on both sides, before the plan, and one after it: the
// difference is what the transaction removed, whatever step removed it,
// tables the product never heard of included. The invariants are checked
// on those counts before COMMIT: the Resource row is still there, and no
// row of another user naming this one vanished; otherwise ROLLBACK.
//
// With a backup, the rows that vanished are on disk before COMMIT. The
// chunk's set-based read (snap) wrote and synced the user's rows before the
// transaction, so that the server's locks are not held for the disk; the
// transaction reads a table again only where its count differs from those
// rows (another client changed them) or where the plan removed some of the
// user's rows but not all. Rows that vanished and are not on disk yet are
// written and synced before COMMIT; rows on disk that did not vanish are
// named in a kept record, so that the backup holds exactly what the
// transaction removed.
//
// The committed record follows the COMMIT; it is synced by the next sync or
// when the file is closed. A transaction whose begin has no aborted record
// may have committed, and --undo restores whichever of its rows are missing.
//
// In a trial (--trial) everything runs and is verified, and the
// transaction is rolled back; nothing is backed up.
func (j *job) deleteTx(ctx context.Context, b *runlog.Block, s *server, e input.Entry, id int64, snap *prefetched) (rows map[string]int64, err error) {
	h := txnHeader{User: e.URI, Server: s.name(), Database: s.db.Database, Version: string(s.schema.Version), ResourceID: id}
	st := s.stmts
	var (
		txn  int64       // the backup's transaction number; 0 = nothing written
		disk []backupRow // the transaction's rows on disk, in file order
	)
	if snap != nil && snap.txn != 0 {
		txn, disk = snap.txn, snap.rows
	}
	abort := func(reason error) {
		if txn == 0 || errors.Is(reason, errBackup) {
			return
		}
		if aerr := j.backup.aborted(txn, h, errString(reason)); aerr != nil {
			b.Errorf("%v", aerr)
		}
	}

	if afterBackup != nil {
		afterBackup(id)
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

	b.Debugf("SQL is [%s] with @p1 = [%d]", st.count, id)
	before, err := st.readCounts(ctx, tx, st.count, id)
	if err != nil {
		return nil, err
	}
	if before.enabled(st) {
		return nil, &notReplicatedError{server: s.name()}
	}
	if before.owned(st) == 0 {
		return nil, errNothingLeft
	}

	// The user's rows before the plan, per backed-up table: those on disk
	// (diskAt: their positions in disk) where the transaction counts as
	// many, else read again now (reread).
	var diskAt map[string][]int
	reread := map[string][]backupRow{}
	if j.backup != nil {
		diskAt = positionsByTable(disk)
		for i := range st.tables {
			t := &st.tables[i]
			k := strings.ToLower(t.t.Name)
			if !t.backedUp() || int64(len(diskAt[k])) == before.owner(t) {
				continue
			}
			b.Debugf("%s holds %d rows of resource [%d], %d were read before the transaction: reading them again", t.t.Name, before.owner(t), id, len(diskAt[k]))
			if reread[k], err = readUserRows(ctx, tx, t, id); err != nil {
				return nil, fmt.Errorf("read %s: %w", t.t.Name, err)
			}
		}
	}

	for i, step := range s.schema.Plan {
		if err := j.step(ctx, b, tx, s, step, id, before); err != nil {
			return nil, fmt.Errorf("step %d (%s): %w", i+1, stepName(step), err)
		}
	}

	b.Debugf("SQL is [%s] with @p1 = [%d]", st.count, id)
	after, err := st.readCounts(ctx, tx, st.count, id)
	if err != nil {
		return nil, err
	}
	if err := st.invariants(before, after); err != nil {
		return nil, err
	}

	// What vanished: which rows on disk (vanished, by position), and rows
	// that vanished but are not on disk (more). A table whose rows on disk
	// all vanished, the common case, needs no comparison of rows.
	rows = map[string]int64{}
	vanished := make([]bool, len(disk))
	var more []backupRow
	for i := range st.tables {
		t := &st.tables[i]
		if !t.backedUp() {
			continue
		}
		bn, an := before.owner(t), after.owner(t)
		n := bn - an
		if j.backup != nil && an != bn {
			k := strings.ToLower(t.t.Name)
			had, isReread := reread[k]
			if an == 0 && !isReread {
				for _, at := range diskAt[k] {
					vanished[at] = true
				}
				n = int64(len(diskAt[k]))
			} else {
				if !isReread {
					had = rowsAt(disk, diskAt[k])
				}
				g := had
				if an != 0 {
					// Some of the user's rows remain: which ones vanished?
					left, err := readUserRows(ctx, tx, t, id)
					if err != nil {
						return nil, fmt.Errorf("read %s after the plan: %w", t.t.Name, err)
					}
					g = minus(had, left)
				}
				more = append(more, markOnDisk(disk, diskAt[k], g, vanished)...)
				n = int64(len(g))
			}
		}
		if n > 0 {
			rows[t.t.Name] = n
		}
	}
	if len(rows) == 0 {
		return nil, errNothingLeft
	}
	for _, t := range st.tables {
		if n := rows[t.t.Name]; n > 0 && !t.planned {
			b.Infof("%d rows of resource [%d] vanished from %s, a table the plan does not name (a procedure deleted them)", n, id, t.t.Name)
		}
	}

	if j.cfg.Trial {
		b.Infof("Trial: rolling back the transaction for resource [%d] (its deletes and checks ran in full)", id)
		return rows, nil // the deferred rollback
	}
	if j.backup != nil {
		if txn, err = j.backup.settle(txn, h, vanished, more); err != nil {
			return nil, fmt.Errorf("%w: %v", errBackup, err)
		}
	}
	b.Infof("Committing transaction for resource [%d]", id)
	if err = tx.Commit(); err != nil {
		if !rtcclient.ServerAnswered(err) {
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

// invariants compares the counts before and after the plan (SPEC 6.1).
func (st *statements) invariants(before, after userCounts) error {
	var problems []string
	for i := range st.tables {
		t := &st.tables[i]
		if t.resource && after.owner(t) < before.owner(t) {
			problems = append(problems, fmt.Sprintf("the plan would delete their %s row, which other users' contact lists point at", t.t.Name))
		}
		n := before.other(t) - after.other(t)
		if n <= 0 {
			continue
		}
		if strings.EqualFold(t.t.Name, rtcschema.Contact.Name) {
			problems = append(problems, fmt.Sprintf("the plan would remove them from %d other users' contact lists (%s rows whose %s names them)", n, t.t.Name, strings.Join(t.t.Other, "/")))
			continue
		}
		problems = append(problems, fmt.Sprintf("the plan would remove %d rows of other users that name them in %s (%s)", n, t.t.Name, strings.Join(t.t.Other, "/")))
	}
	if len(problems) > 0 {
		return &invariantError{problems: problems}
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
