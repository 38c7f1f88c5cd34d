package rtcclient

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// ColumnInfo is one column as the server describes it.
type ColumnInfo struct {
	Name      string
	DataType  string // INFORMATION_SCHEMA DATA_TYPE, lower case
	MaxLength int    // CHARACTER_MAXIMUM_LENGTH; -1 for max, 0 when not a character type
}

// Catalog is what the schema check found: every checked table's real
// columns in ordinal order (the backup copies all of them).
type Catalog struct {
	Tables map[string][]ColumnInfo // key: lower-case table name
}

// Columns returns a table's real columns.
func (c *Catalog) Columns(table string) []ColumnInfo { return c.Tables[strings.ToLower(table)] }

// SchemaError lists everything that differs from what the product expects.
type SchemaError struct {
	Server   string
	Problems []string
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("schema check failed on %s: %s", e.Server, strings.Join(e.Problems, "; "))
}

// Check compares the server's tables, columns (names and types), procedures
// and procedure parameters with the expected ones, through
// INFORMATION_SCHEMA, and returns a *SchemaError naming every difference.
// exportcontacts passes rtcschema.ContactTables() and no procedures.
func (d *DB) Check(ctx context.Context, tables []rtcschema.Table, procs []rtcschema.Procedure) (*Catalog, error) {
	cat := &Catalog{Tables: map[string][]ColumnInfo{}}
	var problems []string

	names := make([]any, 0, len(tables)+1)
	names = append(names, "dbo")
	for _, t := range tables {
		names = append(names, t.Name)
	}
	present := map[string]bool{}
	err := d.query(ctx, "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = @p1 AND TABLE_NAME IN ("+Placeholders(2, len(tables))+")",
		names, func(r *sql.Rows) error {
			var n string
			if err := r.Scan(&n); err != nil {
				return err
			}
			present[strings.ToLower(n)] = true
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = d.query(ctx, "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = @p1 AND TABLE_NAME IN ("+Placeholders(2, len(tables))+") ORDER BY TABLE_NAME, ORDINAL_POSITION",
		names, func(r *sql.Rows) error {
			var tn string
			var c ColumnInfo
			var length sql.NullInt64
			if err := r.Scan(&tn, &c.Name, &c.DataType, &length); err != nil {
				return err
			}
			c.DataType = strings.ToLower(c.DataType)
			c.MaxLength = int(length.Int64)
			k := strings.ToLower(tn)
			cat.Tables[k] = append(cat.Tables[k], c)
			return nil
		})
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		if !present[strings.ToLower(t.Name)] {
			problems = append(problems, "table "+t.Name+" missing")
			continue
		}
		problems = append(problems, compareColumns(t, cat.Columns(t.Name))...)
	}

	if len(procs) > 0 {
		p, err := d.checkProcedures(ctx, procs)
		if err != nil {
			return nil, err
		}
		problems = append(problems, p...)
	}
	if len(problems) > 0 {
		return cat, &SchemaError{Server: d.Server, Problems: problems}
	}
	return cat, nil
}

func compareColumns(t rtcschema.Table, have []ColumnInfo) []string {
	var problems []string
	for _, want := range t.Columns {
		wantType, wantLen := want.DataType()
		var got *ColumnInfo
		for i := range have {
			if strings.EqualFold(have[i].Name, want.Name) {
				got = &have[i]
			}
		}
		switch {
		case got == nil:
			problems = append(problems, fmt.Sprintf("column %s.%s missing", t.Name, want.Name))
		case got.DataType != wantType || (wantLen != 0 && got.MaxLength != wantLen):
			problems = append(problems, fmt.Sprintf("column %s.%s is %s, want %s", t.Name, want.Name, typeString(*got), want.Type))
		}
	}
	return problems
}

func typeString(c ColumnInfo) string {
	switch {
	case c.MaxLength == -1:
		return c.DataType + "(max)"
	case c.MaxLength > 0:
		return fmt.Sprintf("%s(%d)", c.DataType, c.MaxLength)
	}
	return c.DataType
}

// checkProcedures checks that each procedure exists in dbo with exactly the
// expected parameters: a missing one would fail the call, and an extra one
// may be one the plan does not know to pass.
func (d *DB) checkProcedures(ctx context.Context, procs []rtcschema.Procedure) ([]string, error) {
	args := []any{"dbo"}
	for _, p := range procs {
		args = append(args, p.RoutineName())
	}
	in := Placeholders(2, len(procs))
	present := map[string]bool{}
	err := d.query(ctx, "SELECT ROUTINE_NAME FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_SCHEMA = @p1 AND ROUTINE_TYPE = 'PROCEDURE' AND ROUTINE_NAME IN ("+in+")",
		args, func(r *sql.Rows) error {
			var n string
			if err := r.Scan(&n); err != nil {
				return err
			}
			present[strings.ToLower(n)] = true
			return nil
		})
	if err != nil {
		return nil, err
	}
	params := map[string]map[string]string{} // routine -> @param (lower) -> type
	err = d.query(ctx, "SELECT SPECIFIC_NAME, PARAMETER_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.PARAMETERS WHERE SPECIFIC_SCHEMA = @p1 AND SPECIFIC_NAME IN ("+in+")",
		args, func(r *sql.Rows) error {
			var rn, pn, dt string
			if err := r.Scan(&rn, &pn, &dt); err != nil {
				return err
			}
			if pn == "" {
				return nil // a function's return value
			}
			k := strings.ToLower(rn)
			if params[k] == nil {
				params[k] = map[string]string{}
			}
			params[k][strings.ToLower(pn)] = strings.ToLower(dt)
			return nil
		})
	if err != nil {
		return nil, err
	}
	var problems []string
	for _, p := range procs {
		k := strings.ToLower(p.RoutineName())
		if !present[k] {
			problems = append(problems, "procedure "+p.Name+" missing")
			continue
		}
		have := params[k]
		for _, want := range p.Params {
			got, ok := have[strings.ToLower(want.Name)]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("procedure %s: parameter %s missing", p.Name, want.Name))
			case got != strings.ToLower(want.Type):
				problems = append(problems, fmt.Sprintf("procedure %s: parameter %s is %s, want %s", p.Name, want.Name, got, want.Type))
			}
			delete(have, strings.ToLower(want.Name))
		}
		var extra []string
		for n := range have {
			extra = append(extra, n)
		}
		sort.Strings(extra)
		for _, n := range extra {
			problems = append(problems, fmt.Sprintf("procedure %s: unexpected parameter %s", p.Name, n))
		}
	}
	return problems, nil
}

// query runs a read and hands each row to fn.
func (d *DB) query(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := d.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%s: schema check: %w", d.Server, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("%s: schema check: %w", d.Server, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: schema check: %w", d.Server, err)
	}
	return nil
}
