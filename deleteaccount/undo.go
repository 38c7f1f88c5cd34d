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
func runUndo(ctx context.Context, cfg Config) int {
	// The backup is read first: the servers it names are the run's targets,
	// in the log's header. A bad backup file is an input error: the run still
	// gets a log with its summary (SPEC 3.3), no target server, exit 2.
	txns, warnings, readErr := readBackup(cfg.Undo)
	users, names := undoPlan(txns)
	return run.Execute(ctx, run.Options{
		Common: cfg.Common, Tool: Tool, Command: "deleteaccount --undo " + cfg.Undo,
		BindIdentity: bindIdentity(cfg), Targets: names,
	}, func(ctx context.Context, sess *run.Session) error {
		if readErr != nil {
			return result.Usage(readErr)
		}
		return undoUsers(ctx, sess, cfg, users, names, warnings)
	})
}

// undoPlan groups the backup's transactions by user, and lists the servers
// they name, both in the order the backup first names them.
func undoPlan(txns []*undoTxn) (users []*undoUser, servers []string) {
	byUser := map[string]*undoUser{}
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
			servers = append(servers, t.head.Server)
		}
	}
	return users, servers
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

// undoTx restores one transaction's rows in one transaction of its own,
// then checks, after COMMIT, that every row it inserted is there.
func undoTx(ctx context.Context, b *runlog.Block, s *server, t *undoTxn) (rows map[string]int64, existed int, err error) {
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("begin transaction: %w", err)
	}
	ins := identityInsert{tx: tx, b: b}
	defer func() {
		ins.off(ctx)  // the connection goes back to the pool: leave no table with IDENTITY_INSERT on
		tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	}()
	rows = map[string]int64{}
	var restored []*restoreRow
	for i := len(t.rows) - 1; i >= 0; i-- {
		r := t.rows[i]
		rr, err := s.restorePlan(r)
		if err != nil {
			return nil, 0, fmt.Errorf("restore %s: %w", r.Table, err)
		}
		there, err := rr.present(ctx, tx)
		if err != nil {
			return nil, 0, fmt.Errorf("restore %s: %w", r.Table, err)
		}
		if there {
			existed++
			continue
		}
		if err := ins.set(ctx, rr); err != nil {
			return nil, 0, fmt.Errorf("restore %s: %w", r.Table, err)
		}
		b.Debugf("SQL is [%s]", insertSQL(rr.table, rr.cols))
		res, err := tx.ExecContext(ctx, insertSQL(rr.table, rr.cols), rr.vals...)
		if err != nil {
			return nil, 0, fmt.Errorf("restore %s: %w", r.Table, err)
		}
		if got, err := res.RowsAffected(); err == nil && got != 1 {
			return nil, 0, fmt.Errorf("restore %s: insert reported %d rows", r.Table, got)
		}
		rows[rr.table]++
		restored = append(restored, rr)
	}
	if len(rows) == 0 {
		return nil, existed, nil
	}
	if err := ins.off(ctx); err != nil {
		return nil, 0, err
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, fmt.Errorf("commit: %w", err)
	}
	for _, tb := range sortedTables(rows) {
		b.Infof("Inserted %d rows into %s", rows[tb], tb)
	}
	missing := 0
	for _, rr := range restored {
		there, err := rr.present(ctx, s.db.SQL)
		if err != nil {
			return rows, existed, fmt.Errorf("committed, but checking the restored rows failed: %w", err)
		}
		if !there {
			missing++
			b.Errorf("A restored row of %s is not there after COMMIT: %v", rr.table, rr.keyVals)
		}
	}
	if missing > 0 {
		return rows, existed, fmt.Errorf("committed, but %d of the %d restored rows are not there afterwards", missing, len(restored))
	}
	b.Infof("Checked after COMMIT: all %d restored rows are there", len(restored))
	return rows, existed, nil
}

// restoreRow is one backed-up row as --undo writes it back: only the
// columns the live catalog says can be written, and the columns that tell
// whether the row is already there.
type restoreRow struct {
	table    string
	cols     []string
	vals     []any
	keyCols  []string
	keyVals  []any
	identity bool // an IDENTITY column is among cols: SET IDENTITY_INSERT ON for the insert
}

// restorePlan prepares a backed-up row for the server as it is now.
// Computed and rowversion columns are left to the server. A row is "already
// there" when a row has its key: the table's primary key as the live catalog
// gives it (rtcclient discovery), else the IDENTITY column, else every column
// whose values compare exactly (not dates, floats or the large-object types).
func (s *server) restorePlan(r backupRecord) (*restoreRow, error) {
	ut, ok := s.users.Table(r.Table)
	if !ok {
		return nil, fmt.Errorf("no user-keyed table %s on %s now", r.Table, s.name())
	}
	if len(r.Columns) != len(r.Values) || len(r.Columns) != len(r.Types) {
		return nil, errors.New("backup row with mismatched columns and values")
	}
	rr := &restoreRow{table: ut.Name}
	byName := map[string]any{}
	var comparable []string
	for i, c := range r.Columns {
		cc, ok := ut.Column(c)
		if !ok {
			return nil, fmt.Errorf("column %s of the backup is not in %s on the server now", c, ut.Name)
		}
		if !cc.Writable() {
			continue
		}
		v, err := undoValue(r.Values[i], r.Types[i])
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c, err)
		}
		rr.cols = append(rr.cols, cc.Name)
		rr.vals = append(rr.vals, v)
		byName[strings.ToLower(cc.Name)] = v
		rr.identity = rr.identity || cc.Identity
		if exactCompare(cc.DataType) {
			comparable = append(comparable, cc.Name)
		}
	}
	var key []string
	if len(ut.Key) > 0 && hasAll(byName, ut.Key) {
		key = ut.Key // the live catalog's primary key
	} else if id, ok := ut.IdentityColumn(); ok && hasAll(byName, []string{id}) {
		key = []string{id}
	} else {
		key = comparable
	}
	if len(key) == 0 {
		return nil, fmt.Errorf("no column of %s to recognise a row by", ut.Name)
	}
	for _, k := range key {
		rr.keyCols = append(rr.keyCols, k)
		rr.keyVals = append(rr.keyVals, byName[strings.ToLower(k)])
	}
	return rr, nil
}

// present reports whether a row with rr's key is in the table.
func (rr *restoreRow) present(ctx context.Context, q querier) (bool, error) {
	stmt, args := existsSQL(rr.table, rr.keyCols, rr.keyVals)
	var n int64
	if err := q.QueryRowContext(ctx, stmt, args...).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

func hasAll(m map[string]any, keys []string) bool {
	for _, k := range keys {
		if _, ok := m[strings.ToLower(k)]; !ok {
			return false
		}
	}
	return len(keys) > 0
}

// exactCompare reports a type whose values, sent back as parameters, equal
// the stored ones: not dates and times (their precision differs between
// the column and the parameter), floats, or the types SQL Server cannot
// compare (text, ntext, image, xml, sql_variant).
func exactCompare(dataType string) bool {
	switch dataType {
	case "datetime", "datetime2", "smalldatetime", "date", "time", "datetimeoffset",
		"float", "real", "text", "ntext", "image", "xml", "sql_variant", "timestamp", "rowversion":
		return false
	}
	return true
}

// identityInsert keeps SET IDENTITY_INSERT on for at most one table at a
// time (SQL Server allows one per session), inside the undo's transaction.
type identityInsert struct {
	tx    *sql.Tx
	b     *runlog.Block
	table string // the table it is on for; "" none
}

// set turns it on for rr's table when rr writes an IDENTITY column, and off
// otherwise.
func (ii *identityInsert) set(ctx context.Context, rr *restoreRow) error {
	want := ""
	if rr.identity {
		want = rr.table
	}
	if strings.EqualFold(want, ii.table) {
		return nil
	}
	if err := ii.off(ctx); err != nil {
		return err
	}
	if want == "" {
		return nil
	}
	ii.b.Debugf("SQL is [%s]", identityInsertSQL(want, true))
	if _, err := ii.tx.ExecContext(ctx, identityInsertSQL(want, true)); err != nil {
		return fmt.Errorf("SET IDENTITY_INSERT %s ON: %w", want, err)
	}
	ii.table = want
	return nil
}

func (ii *identityInsert) off(ctx context.Context) error {
	if ii.table == "" {
		return nil
	}
	t := ii.table
	ii.table = ""
	ii.b.Debugf("SQL is [%s]", identityInsertSQL(t, false))
	if _, err := ii.tx.ExecContext(ctx, identityInsertSQL(t, false)); err != nil {
		return fmt.Errorf("SET IDENTITY_INSERT %s OFF: %w", t, err)
	}
	return nil
}
