package deleteaccount

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// snapshot reads every row the plan will delete, for the backup: one round
// trip counts the user's rows in every touched table, then one SELECT of
// all columns per table that has any (a user has rows in a few of the
// plan's tables, and every statement saved is a round trip). It runs
// outside any transaction; deleteTx then checks that the transaction finds
// and deletes exactly these rows.
func (j *job) snapshot(ctx context.Context, s *server, id int64) ([]backupRow, map[string]int64, error) {
	n, err := countRows(ctx, s.db.SQL, s.stmts.count, len(s.stmts.tables), id)
	if err != nil {
		return nil, nil, fmt.Errorf("count rows: %w", err)
	}
	saved := make(map[string]int64, len(n))
	var out []backupRow
	for i, t := range s.stmts.tables {
		key := strings.ToLower(t.touch.Table)
		saved[key] = 0
		if n[i] == 0 {
			continue
		}
		before := len(out)
		if out, err = readRows(ctx, s.db.SQL, t, id, out); err != nil {
			return nil, nil, fmt.Errorf("read %s for the backup: %w", t.touch.Table, err)
		}
		// What was read is what is backed up.
		saved[key] = int64(len(out) - before)
	}
	return out, saved, nil
}

// readRows appends every column of a user's rows in one table to out.
func readRows(ctx context.Context, db *sql.DB, t tableSQL, id int64, out []backupRow) ([]backupRow, error) {
	cols := make([]string, len(t.columns))
	types := make([]string, len(t.columns))
	for i, c := range t.columns {
		cols[i], types[i] = c.Name, c.DataType
	}
	r, err := db.QueryContext(ctx, t.sel, id)
	if err != nil {
		return out, err
	}
	defer r.Close()
	for r.Next() {
		vals := make([]any, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := r.Scan(dest...); err != nil {
			return out, err
		}
		for i := range vals {
			vals[i] = backupValue(vals[i], types[i])
		}
		out = append(out, backupRow{Table: t.touch.Table, Columns: cols, Types: types, Values: vals})
	}
	return out, r.Err()
}

// savedCounts is the rows per touched table (lower-case name) of a backup
// read, every touched table present.
func savedCounts(s *server, rows []backupRow) map[string]int64 {
	saved := make(map[string]int64, len(s.stmts.tables))
	for _, t := range s.stmts.tables {
		saved[strings.ToLower(t.touch.Table)] = 0
	}
	for _, r := range rows {
		saved[strings.ToLower(r.Table)]++
	}
	return saved
}
