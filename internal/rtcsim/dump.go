package rtcsim

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Row is one table row: column name -> value as SQLite holds it (int64,
// float64, string, []byte or nil; dates as "2006-01-02 15:04:05.9999999").
type Row map[string]any

// Dump returns every row of every schema table (not the catalog), each
// table's rows sorted by primary key, then by all columns.
func (s *Server) Dump(ctx context.Context) (map[string][]Row, error) {
	out := map[string][]Row{}
	for _, t := range s.schema.Tables {
		rows, err := s.DumpTable(ctx, t.Name)
		if err != nil {
			return nil, err
		}
		out[t.Name] = rows
	}
	return out, nil
}

// DumpTable returns the rows of one schema table, sorted as Dump sorts them.
func (s *Server) DumpTable(ctx context.Context, table string) ([]Row, error) {
	t := s.schema.Table(table)
	if t == nil {
		return nil, fmt.Errorf("dump: no table %s in the schema", table)
	}
	order := append([]string{}, t.PrimaryKey...)
	for _, c := range t.Columns {
		order = append(order, c.Name)
	}
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	q := fmt.Sprintf("SELECT %s FROM %s ORDER BY %s", quoteList(names), quoteIdent(t.Name), quoteList(order))
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("dump %s: %w", t.Name, err)
	}
	defer rows.Close()
	var out []Row
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("dump %s: %w", t.Name, err)
		}
		r := Row{}
		for i, v := range vals {
			if tm, ok := v.(time.Time); ok {
				v = strings.TrimSuffix(tm.Format(timeLayout), ".")
			}
			if b, ok := v.([]byte); ok {
				v = append([]byte{}, b...)
			}
			r[names[i]] = v
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
