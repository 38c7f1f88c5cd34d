package deleteaccount

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// querier is what the reads run on: the pool (outside a transaction) or the
// user's transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// userCounts is one answer of the count statement for a user.
type userCounts []int64

// readCounts counts, in one round trip, the user's rows in every user-keyed
// table (owner side, and naming the user on any side) and reads the
// replication column; stmt is st.count, or st.dryCount (no other side).
func (st *statements) readCounts(ctx context.Context, q querier, stmt string, id int64) (userCounts, error) {
	out := make(userCounts, st.countCols)
	dest := make([]any, len(out))
	for i := range out {
		dest[i] = &out[i]
	}
	if err := q.QueryRowContext(ctx, stmt, id).Scan(dest...); err != nil {
		return nil, fmt.Errorf("count rows: %w", err)
	}
	return out, nil
}

// owner is the user's own rows in t.
func (c userCounts) owner(t *tableSQL) int64 {
	if t.ownerAt < 0 {
		return 0
	}
	return c[t.ownerAt]
}

// other is the rows of t that name the user only on the other side: other
// users' rows (a contact, a membership, a subscription naming the user).
func (c userCounts) other(t *tableSQL) int64 {
	if t.otherAt < 0 {
		return 0
	}
	return c[t.otherAt]
}

// enabled reports a ResourceDirectory row that still says enabled.
func (c userCounts) enabled(st *statements) bool { return st.enabledAt >= 0 && c[st.enabledAt] > 0 }

// owned is the user's rows the delete may remove: owner side, Resource excepted.
func (c userCounts) owned(st *statements) int64 {
	n := int64(0)
	for i := range st.tables {
		if t := &st.tables[i]; t.backedUp() {
			n += c.owner(t)
		}
	}
	return n
}

// readUserRows reads every column of the user's owner-side rows in one table.
func readUserRows(ctx context.Context, q querier, t *tableSQL, id int64) ([]backupRow, error) {
	r, err := q.QueryContext(ctx, t.sel, id)
	if err != nil {
		return nil, err
	}
	var out []backupRow
	err = scanRows(r, t, func(row backupRow, _ []any) { out = append(out, row) })
	return out, err
}

// scanRows reads the rows of t's SELECTs (every column), each made fit for
// the backup; fn also gets the raw values (the key columns). It closes r.
func scanRows(r *sql.Rows, t *tableSQL, fn func(row backupRow, raw []any)) error {
	defer r.Close()
	for r.Next() {
		raw := make([]any, len(t.columns))
		dest := make([]any, len(raw))
		for i := range raw {
			dest[i] = &raw[i]
		}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		vals := make([]any, len(raw))
		for i := range raw {
			vals[i] = backupValue(raw[i], t.types[i])
		}
		fn(backupRow{Table: t.t.Name, Columns: t.columns, Types: t.types, Values: vals}, raw)
	}
	return r.Err()
}

// minus returns the rows of before that are not in after (as multisets):
// what vanished from a table where some of the user's rows remain.
func minus(before, after []backupRow) []backupRow {
	left := map[string]int{}
	for _, r := range after {
		left[r.key()]++
	}
	var out []backupRow
	for _, r := range before {
		if k := r.key(); left[k] > 0 {
			left[k]--
			continue
		}
		out = append(out, r)
	}
	return out
}

// positionsByTable gives, per table (lower-case name), the positions of its
// rows in rows.
func positionsByTable(rows []backupRow) map[string][]int {
	out := map[string][]int{}
	for i, r := range rows {
		k := strings.ToLower(r.Table)
		out[k] = append(out[k], i)
	}
	return out
}

// rowsAt returns the rows at the positions at.
func rowsAt(rows []backupRow, at []int) []backupRow {
	out := make([]backupRow, len(at))
	for i, p := range at {
		out[i] = rows[p]
	}
	return out
}

// markOnDisk marks vanished, among the rows of disk at the positions at (one
// table's), those equal to a row of gone, each at most once, and returns the
// rows of gone that are not on disk.
func markOnDisk(disk []backupRow, at []int, gone []backupRow, vanished []bool) (more []backupRow) {
	onDisk := map[string][]int{}
	for _, p := range at {
		k := disk[p].key()
		onDisk[k] = append(onDisk[k], p)
	}
	for _, r := range gone {
		k := r.key()
		if ps := onDisk[k]; len(ps) > 0 {
			vanished[ps[0]] = true
			onDisk[k] = ps[1:]
			continue
		}
		more = append(more, r)
	}
	return more
}

func asInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case int16:
		return int64(n), true
	case uint8:
		return int64(n), true
	case int:
		return int64(n), true
	}
	return 0, false
}

func sortedTables(rows map[string]int64) []string {
	out := make([]string, 0, len(rows))
	for t := range rows {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
