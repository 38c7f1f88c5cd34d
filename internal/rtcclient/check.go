package rtcclient

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// rtc keeps its tables and procedures in dbo.
const dbo = "dbo"

// ColumnInfo is one column as the server describes it.
type ColumnInfo struct {
	Name      string
	DataType  string // INFORMATION_SCHEMA DATA_TYPE, lower case: an alias type shows as its base type
	MaxLength int    // CHARACTER_MAXIMUM_LENGTH; -1 for max, 0 when not a character or binary type
	Nullable  bool
	Alias     string // DOMAIN_NAME: the alias type (rtc's ResourceId), "" for a system type
}

// Type is the column's type as DDL writes it: "int", "nvarchar(256)", "varbinary(max)".
func (c ColumnInfo) Type() string { return typeString(c.DataType, c.MaxLength) }

// ParamInfo is a procedure's one parameter as the server describes it.
type ParamInfo struct {
	Name      string // with its @
	DataType  string // lower case
	MaxLength int
}

// Type is the parameter's type as DDL writes it.
func (p ParamInfo) Type() string { return typeString(p.DataType, p.MaxLength) }

// Catalog is what the schema check read: every base table of dbo with its
// columns in ordinal order (the backup copies all of them), and the one
// parameter of each checked procedure.
type Catalog struct {
	Tables map[string][]ColumnInfo // key: lower-case table name
	Params map[string]ParamInfo    // key: lower-case routine name, without schema
}

// Columns returns a table's real columns (nil for a table the server lacks).
func (c *Catalog) Columns(table string) []ColumnInfo { return c.Tables[strings.ToLower(table)] }

// HasTable says whether the server has the base table.
func (c *Catalog) HasTable(table string) bool {
	_, ok := c.Tables[strings.ToLower(table)]
	return ok
}

// Column returns how the server has a column the product names.
func (c *Catalog) Column(col rtcschema.Column) (ColumnInfo, bool) {
	for _, ci := range c.Columns(col.Table) {
		if strings.EqualFold(ci.Name, col.Name) {
			return ci, true
		}
	}
	return ColumnInfo{}, false
}

// Param returns the one parameter the check found for a procedure.
func (c *Catalog) Param(p rtcschema.Procedure) (ParamInfo, bool) {
	pi, ok := c.Params[strings.ToLower(p.RoutineName())]
	return pi, ok
}

// SchemaError lists everything on a server that the product cannot work with.
type SchemaError struct {
	Server   string
	Problems []string
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("schema check failed on %s: %s", e.Server, strings.Join(e.Problems, "; "))
}

// Check reads the server's catalog through INFORMATION_SCHEMA and verifies
// what the product needs of it (SPEC 7.1): each needed table and column exists
// and each column's type is of the needed family, whatever its length; each
// procedure exists with exactly one integer input parameter, whatever its
// name. Anything else on the server is fine. It returns a *SchemaError naming
// every problem, with the catalog read so far.
func (d *DB) Check(ctx context.Context, n rtcschema.Needs) (*Catalog, error) {
	cat, err := d.readCatalog(ctx)
	if err != nil {
		return nil, err
	}
	var problems []string
	for _, t := range n.Tables {
		if !cat.HasTable(t.Name) {
			problems = append(problems, "table "+t.Name+" missing")
		}
	}
	for _, col := range n.Columns {
		if !cat.HasTable(col.Table) {
			continue // named once, as a table
		}
		got, ok := cat.Column(col)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("column %s missing", col))
		case !col.Family.Accepts(got.DataType):
			problems = append(problems, fmt.Sprintf("column %s is %s, want %s", col, got.Type(), familyWant(col.Family)))
		}
	}
	if len(n.Procedures) > 0 {
		p, err := d.checkProcedures(ctx, n.Procedures, cat)
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

// familyWant words a family for a problem line: "an integer type (int, bigint, …)".
func familyWant(f rtcschema.Family) string {
	article := "a"
	if f == rtcschema.Integer {
		article = "an"
	}
	return fmt.Sprintf("%s %s type (%s)", article, f, strings.Join(f.Types(), ", "))
}

func typeString(dataType string, maxLength int) string {
	switch {
	case maxLength == -1:
		return dataType + "(max)"
	case maxLength > 0:
		return fmt.Sprintf("%s(%d)", dataType, maxLength)
	}
	return dataType
}

// readCatalog reads every base table of dbo with its columns: two
// statements whatever the database's size.
func (d *DB) readCatalog(ctx context.Context) (*Catalog, error) {
	cat := &Catalog{Tables: map[string][]ColumnInfo{}, Params: map[string]ParamInfo{}}
	err := d.query(ctx, "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = @p1 AND TABLE_TYPE = 'BASE TABLE'",
		[]any{dbo}, func(r *sql.Rows) error {
			var n string
			if err := r.Scan(&n); err != nil {
				return err
			}
			cat.Tables[strings.ToLower(n)] = []ColumnInfo{}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = d.query(ctx, "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE, DOMAIN_NAME FROM INFORMATION_SCHEMA.COLUMNS "+
		"WHERE TABLE_SCHEMA = @p1 ORDER BY TABLE_NAME, ORDINAL_POSITION",
		[]any{dbo}, func(r *sql.Rows) error {
			var tn, nullable string
			var alias sql.NullString
			var c ColumnInfo
			var length sql.NullInt64
			if err := r.Scan(&tn, &c.Name, &c.DataType, &length, &nullable, &alias); err != nil {
				return err
			}
			k := strings.ToLower(tn)
			cols, base := cat.Tables[k]
			if !base {
				return nil // a view's column
			}
			c.DataType = strings.ToLower(c.DataType)
			c.MaxLength = int(length.Int64)
			c.Nullable = strings.EqualFold(nullable, "YES")
			c.Alias = alias.String
			cat.Tables[k] = append(cols, c)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return cat, nil
}

// param is one row of INFORMATION_SCHEMA.PARAMETERS.
type param struct {
	ParamInfo
	Mode string
}

// checkProcedures checks that each procedure exists in dbo with exactly one
// integer input parameter: the delete passes the user's ResourceId to it by
// position, so the name does not matter, but a second parameter, an output
// one or another type would mean the product does not know what it calls.
func (d *DB) checkProcedures(ctx context.Context, procs []rtcschema.Procedure, cat *Catalog) ([]string, error) {
	args := []any{dbo}
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
	params := map[string][]param{} // routine (lower) -> parameters in ordinal order
	err = d.query(ctx, "SELECT SPECIFIC_NAME, PARAMETER_NAME, PARAMETER_MODE, IS_RESULT, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH "+
		"FROM INFORMATION_SCHEMA.PARAMETERS WHERE SPECIFIC_SCHEMA = @p1 AND SPECIFIC_NAME IN ("+in+") ORDER BY SPECIFIC_NAME, ORDINAL_POSITION",
		args, func(r *sql.Rows) error {
			var rn string
			var name, mode, isResult sql.NullString
			var length sql.NullInt64
			var p param
			if err := r.Scan(&rn, &name, &mode, &isResult, &p.DataType, &length); err != nil {
				return err
			}
			if strings.EqualFold(isResult.String, "YES") {
				return nil // a function's return value
			}
			p.Name, p.Mode, p.MaxLength = name.String, strings.ToUpper(mode.String), int(length.Int64)
			p.DataType = strings.ToLower(p.DataType)
			k := strings.ToLower(rn)
			params[k] = append(params[k], p)
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
		switch {
		case len(have) != 1:
			var list []string
			for _, h := range have {
				list = append(list, h.Name+" "+h.Type())
			}
			got := "no parameter"
			if len(have) > 1 {
				got = fmt.Sprintf("%d parameters (%s)", len(have), strings.Join(list, ", "))
			}
			problems = append(problems, fmt.Sprintf("procedure %s has %s, want exactly one integer input parameter (the user's ResourceId)", p.Name, got))
		case have[0].Mode != "IN":
			problems = append(problems, fmt.Sprintf("procedure %s: parameter %s is an output parameter (%s), want an input parameter", p.Name, have[0].Name, have[0].Mode))
		case !rtcschema.Integer.Accepts(have[0].DataType):
			problems = append(problems, fmt.Sprintf("procedure %s: parameter %s is %s, want %s", p.Name, have[0].Name, have[0].Type(), familyWant(rtcschema.Integer)))
		default:
			cat.Params[k] = have[0].ParamInfo
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
