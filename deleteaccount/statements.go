package deleteaccount

import (
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// lookupSQL finds a user (SPEC 6). The rtc collation compares
// case-insensitively, so the address is passed as the file wrote it.
const lookupSQL = "SELECT ResourceId FROM Resource WHERE UserAtHost = @p1"

// tableSQL are the statements for one touched table. Identifiers come from
// rtcschema and the server's INFORMATION_SCHEMA, never from input; every value
// is a parameter.
type tableSQL struct {
	touch   rtcschema.Touch
	columns []rtcclient.ColumnInfo // the real columns, in ordinal order
	sel     string                 // SELECT <all columns> FROM T WHERE <col> = @p1 (the backup read)
	selIn   string                 // SELECT <all columns> FROM T WHERE <col> (+ " IN (…)": the set-based backup read)
	del     string                 // DELETE FROM T WHERE <col> = @p1
}

// statements are prepared once per server, after the schema check.
type statements struct {
	tables []tableSQL     // in rtcschema.Touched order
	index  map[string]int // lower table name -> tables index
	count  string         // one round trip: SELECT (SELECT COUNT(*) …), (…), …

	// procCount counts, per procedure (lower-case name), the rows left in the
	// tables it touches, in Procedure.Touches order.
	procCount map[string]string
}

func newStatements(s *rtcschema.Schema, cat *rtcclient.Catalog) *statements {
	st := &statements{index: map[string]int{}, procCount: map[string]string{}}
	for _, p := range s.Procedures {
		st.procCount[strings.ToLower(p.Name)] = countSQL(p.Touches)
	}
	for _, tc := range s.Touched() {
		cols := cat.Columns(tc.Table)
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = rtcclient.Ident(c.Name)
		}
		where := " FROM " + rtcclient.Ident(tc.Table) + " WHERE " + rtcclient.Ident(tc.Column)
		from := where + " = @p1"
		st.index[strings.ToLower(tc.Table)] = len(st.tables)
		st.tables = append(st.tables, tableSQL{
			touch:   tc,
			columns: cols,
			sel:     "SELECT " + strings.Join(names, ", ") + from,
			selIn:   "SELECT " + strings.Join(names, ", ") + where,
			del:     "DELETE" + from,
		})
	}
	st.count = countSQL(s.Touched())
	return st
}

// countSQL counts a user's rows in several tables in one round trip.
func countSQL(touches []rtcschema.Touch) string {
	counts := make([]string, len(touches))
	for i, tc := range touches {
		counts[i] = "(SELECT COUNT(*) FROM " + rtcclient.Ident(tc.Table) + " WHERE " + rtcclient.Ident(tc.Column) + " = @p1)"
	}
	return "SELECT " + strings.Join(counts, ", ")
}

// table returns the statements of a touched table.
func (st *statements) table(name string) *tableSQL {
	return &st.tables[st.index[strings.ToLower(name)]]
}

// existsSQL and insertSQL are --undo's statements for one backed-up row.
func existsSQL(table string, key []string) string {
	var where []string
	for i, k := range key {
		where = append(where, rtcclient.Ident(k)+" = "+rtcclient.Placeholders(i+1, 1))
	}
	return "SELECT COUNT(*) FROM " + rtcclient.Ident(table) + " WHERE " + strings.Join(where, " AND ")
}

func insertSQL(table string, columns []string) string {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = rtcclient.Ident(c)
	}
	return "INSERT INTO " + rtcclient.Ident(table) + " (" + strings.Join(names, ", ") + ") VALUES (" +
		rtcclient.Placeholders(1, len(columns)) + ")"
}
