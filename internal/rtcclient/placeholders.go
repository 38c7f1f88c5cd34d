package rtcclient

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// MaxParams is the most parameters one statement may carry (SPEC 7: IN lists
// of at most 2,000; SQL Server's own limit is 2,100).
const MaxParams = 2000

// Placeholders returns "@p<first>, @p<first+1>, …" for n parameters: the only
// text ever spliced into a statement, and it never holds a value.
func Placeholders(first, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("@p")
		b.WriteString(strconv.Itoa(first + i))
	}
	return b.String()
}

// Ident brackets an identifier taken from the product's schema or from
// INFORMATION_SCHEMA (never from user input), doubling any "]".
func Ident(name string) string {
	return "[" + strings.ReplaceAll(name, "]", "]]") + "]"
}

// EachIn runs a read whose text has one %s where the IN list of its
// parameters goes (SPEC 7: at most MaxParams), with args as @p1…@pN, and
// hands each row to fn: the set-based reads of the jobs.
func (d *DB) EachIn(ctx context.Context, text string, args []any, fn func(*sql.Rows) error) error {
	rows, err := d.SQL.QueryContext(ctx, fmt.Sprintf(text, Placeholders(1, len(args))), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
