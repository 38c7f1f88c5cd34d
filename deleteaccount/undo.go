package deleteaccount

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// undoUser is one user's committed transactions (one per server).
type undoUser struct {
	user string
	txns []*undoTxn
}

// runUndo is --undo FILE: re-insert the rows of the committed users, a
// transaction per (user, server), skipping rows that are already there
// (SPEC 3.6). It has its own log and summary. The servers are the ones the
// backup names, checked like a delete run's before any row goes back.
func runUndo(ctx context.Context, cfg Config) (code int) {
	opts := run.Options{
		Common: cfg.Common, Tool: Tool, Command: "deleteaccount --undo " + cfg.Undo,
		BindIdentity: bindIdentity(cfg),
	}
	txns, warnings, err := readBackup(cfg.Undo)
	if err != nil {
		// A bad backup file is an input error: it still gets a log with its
		// summary (SPEC 3.3), with no target server, exit 2.
		sess, _, serr := run.Start(ctx, opts)
		if serr != nil {
			return run.Fail(cfg.Common, serr)
		}
		return sess.Finish(result.Usage(err))
	}
	var users []*undoUser
	byUser := map[string]*undoUser{}
	var names []string
	seenServer := map[string]bool{}
	for _, t := range txns {
		k := strings.ToLower(t.head.User)
		u := byUser[k]
		if u == nil {
			u = &undoUser{user: t.head.User}
			byUser[k] = u
			users = append(users, u)
		}
		u.txns = append(u.txns, t)
		if s := strings.ToLower(t.head.Server); !seenServer[s] {
			seenServer[s] = true
			names = append(names, t.head.Server)
		}
	}
	opts.Targets = names
	sess, ctx, err := run.Start(ctx, opts)
	if err != nil {
		return run.Fail(cfg.Common, err)
	}
	defer sess.Guard(&code)
	return sess.Finish(undoUsers(ctx, sess, cfg, users, names, warnings))
}

func undoUsers(ctx context.Context, sess *run.Session, cfg Config, users []*undoUser, names, warnings []string) error {
	log := sess.Log()
	for _, w := range warnings {
		log.Warnf("%s", w)
	}
	if len(cfg.SQL.Servers) > 0 {
		log.Warnf("--sql-server is ignored with --undo: the rows go back to the servers the backup names")
	}
	log.Infof("Undo from %s: %d users with committed (or cut-short) deletes", cfg.Undo, len(users))
	expect := make([]result.Record, len(users))
	for i, u := range users {
		expect[i] = result.Record{User: u.user}
	}
	sess.Expect(expect)
	if len(users) == 0 {
		return nil
	}
	servers, err := openServers(ctx, sess.SQL(cfg.SQL), names, log)
	if err != nil {
		return err
	}
	defer closeServers(servers)
	byName := map[string]*server{}
	for i, s := range servers {
		byName[strings.ToLower(names[i])] = s
	}
	for _, u := range users {
		for _, t := range u.txns {
			s := byName[strings.ToLower(t.head.Server)]
			if string(s.schema.Version) != t.head.Version {
				return result.Fatal(fmt.Errorf("server %s is %s now but the backup was taken from %s", t.head.Server, s.schema.Version, t.head.Version))
			}
		}
	}
	return run.ForEach(ctx, users, sess.Workers(), func(ctx context.Context, u *undoUser) {
		overall := result.Record{User: u.user}
		defer sess.Recover(overall)
		var parts []result.Record
		for _, t := range u.txns {
			b := log.Block()
			parts = append(parts, undoOne(ctx, b, byName[strings.ToLower(t.head.Server)], t))
			b.Commit()
		}
		sess.Report(combine(overall, parts), parts...)
	})
}

// undoOne puts one transaction's rows back, parents first (the reverse of
// the order they were deleted in).
func undoOne(ctx context.Context, b *runlog.Block, s *server, t *undoTxn) result.Record {
	h := t.head
	rec := result.Record{User: h.User, Server: s.name()}
	b.Infof("Preparing to Restore Communications Server Data for User [%s] resource [%d] on [%s]", h.User, h.ResourceID, s.name())
	rows, existed, err := undoTx(ctx, b, s, t)
	switch {
	case err != nil:
		b.Errorf("%s on %s: %v", h.User, s.name(), err)
		rec.Outcome, rec.Detail = result.Error, err.Error()
	case len(rows) == 0:
		rec.Outcome, rec.Detail = result.Skipped, fmt.Sprintf("all %d rows already present", existed)
		b.Infof("Nothing to restore for resource [%d]: all %d rows already present", h.ResourceID, existed)
	default:
		total := int64(0)
		for _, n := range rows {
			total += n
		}
		rec.Outcome, rec.Rows = result.Processed, rows
		rec.Detail = fmt.Sprintf("restored %d rows (%d already present)", total, existed)
		b.Infof("Completed Restore for resource [%d]: %d rows", h.ResourceID, total)
	}
	return rec
}

func undoTx(ctx context.Context, b *runlog.Block, s *server, t *undoTxn) (map[string]int64, int, error) {
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("begin transaction: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	rows := map[string]int64{}
	existed := 0
	for i := len(t.rows) - 1; i >= 0; i-- {
		r := t.rows[i]
		inserted, err := undoRow(ctx, tx, s, r)
		if err != nil {
			return nil, 0, fmt.Errorf("restore %s: %w", r.Table, err)
		}
		if inserted {
			rows[r.Table]++
		} else {
			existed++
		}
	}
	if len(rows) == 0 {
		return nil, existed, nil
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("commit: %w", err)
	}
	for _, tb := range sortedTables(rows) {
		b.Infof("Inserted %d rows into %s", rows[tb], tb)
	}
	return rows, existed, nil
}

// undoRow inserts one row unless a row with its key is already there.
func undoRow(ctx context.Context, tx *sql.Tx, s *server, r backupRecord) (bool, error) {
	tb, ok := s.schema.Table(r.Table)
	if !ok {
		return false, fmt.Errorf("table %s is not in the %s plan", r.Table, s.schema.Version)
	}
	if len(r.Columns) != len(r.Values) || len(r.Columns) != len(r.Types) {
		return false, errors.New("backup row with mismatched columns and values")
	}
	vals := make([]any, len(r.Values))
	for i := range r.Values {
		v, err := undoValue(r.Values[i], r.Types[i])
		if err != nil {
			return false, fmt.Errorf("column %s: %w", r.Columns[i], err)
		}
		vals[i] = v
	}
	key := make([]any, len(tb.Key))
	for i, k := range tb.Key {
		j := indexFold(r.Columns, k)
		if j < 0 {
			return false, fmt.Errorf("key column %s not in the backup", k)
		}
		key[i] = vals[j]
	}
	var n int64
	if err := tx.QueryRowContext(ctx, existsSQL(tb.Name, tb.Key), key...).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	res, err := tx.ExecContext(ctx, insertSQL(tb.Name, r.Columns), vals...)
	if err != nil {
		return false, err
	}
	if got, err := res.RowsAffected(); err == nil && got != 1 {
		return false, fmt.Errorf("insert reported %d rows", got)
	}
	return true, nil
}

func indexFold(list []string, s string) int {
	for i, v := range list {
		if strings.EqualFold(v, s) {
			return i
		}
	}
	return -1
}
