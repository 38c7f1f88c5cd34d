package deleteaccount

import (
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// The statements that find users (SPEC 6), named through rtcschema (the
// check requires what they name). The rtc collation compares
// case-insensitively, so the address is passed as the file wrote it.
var (
	lookup   = rtcschema.SQL("SELECT {Resource.ResourceID} FROM {Resource} WHERE {Resource.UserAtHost} = @p1")
	lookupIn = rtcschema.SQL("SELECT {Resource.ResourceID}, {Resource.UserAtHost} FROM {Resource} WHERE {Resource.UserAtHost} IN (%s)") // a chunk's
)

// lookupSQL finds one user.
var lookupSQL = lookup.Text

// tableSQL are the statements for one user-keyed table (discovered on the
// server, SPEC 6.1). Identifiers come from rtcschema and the server's
// INFORMATION_SCHEMA, never from input; every value is a parameter.
type tableSQL struct {
	t        *rtcclient.UserTable
	resource bool // the Resource table: counted for the invariant, never deleted, never backed up
	planned  bool // the plan names it (a DELETE step or a procedure believed to touch it): the dry run counts it
	columns  []string
	types    []string // INFORMATION_SCHEMA DATA_TYPE of each column
	owners   []int    // index in columns of each owner-side key column
	sel      string   // SELECT <all columns> FROM T WHERE <an owner column> = @p1: the rows of one user
	selIn    string   // SELECT <all columns> FROM T WHERE: completed by inList, the rows of many users
	del      string   // DELETE FROM T WHERE <its plan column> = @p1, for a plan DELETE step
	ownerAt  int      // position of the owner-side count in the count statement; -1: no owner side
	otherAt  int      // position of the count of rows naming the user on the other side only; -1: no other side
}

// statements are prepared once per server, after the schema check and the
// discovery of the user-keyed tables.
type statements struct {
	tables []tableSQL     // unknown tables first, then the plan's, in plan order (undo restores in reverse)
	index  map[string]int // lower table name -> tables index

	// count returns, in one round trip, for each table the user's
	// owner-side rows and other users' rows naming the user, and last,
	// where the server has ResourceDirectory.Enabled, whether the user's
	// row still says enabled.
	count     string
	countCols int
	// dryCount is count without the rows naming the user on the other side
	// (a 0 in their place, so that positions stay): the dry run checks no
	// invariant, and those columns may need a scan of a large table each.
	dryCount  string
	enabledAt int // -1: the server has no replication column

	// notReplicatedIn selects, among ResourceIds (completed by an IN list),
	// those whose ResourceDirectory row still says enabled; "" without the column.
	notReplicatedIn string
}

func newStatements(s *rtcschema.Schema, users *rtcclient.UserTables) (*statements, error) {
	st := &statements{index: map[string]int{}, enabledAt: -1}
	planned := map[string]string{} // lower table -> the plan's column for a DELETE step ("" if only a procedure's)
	var order []string
	for _, tc := range s.Touched() {
		k := strings.ToLower(tc.Table)
		planned[k] = ""
		order = append(order, k)
	}
	for _, step := range s.Plan {
		if step.Kind == rtcschema.StepDelete {
			planned[strings.ToLower(step.Delete.Table)] = step.Delete.Name
		}
	}
	// A DELETE step on a table without a discovered user key would delete
	// rows nobody measures: refuse before any user.
	var problems []string
	for _, step := range s.Plan {
		if step.Kind != rtcschema.StepDelete {
			continue
		}
		t, ok := users.Table(step.Delete.Table)
		if !ok || !containsFold(t.Owner, step.Delete.Name) {
			problems = append(problems, fmt.Sprintf("the plan deletes from %s by %s, which is not an integer owner-side user key there", step.Delete.Table, step.Delete.Name))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}

	var unknown, known []*rtcclient.UserTable
	for i := range users.List {
		t := &users.List[i]
		_, ok := planned[strings.ToLower(t.Name)]
		switch {
		case strings.EqualFold(t.Name, rtcschema.Resource.Name):
			known = append(known, t)
		case !ok:
			unknown = append(unknown, t)
		}
	}
	for _, k := range order {
		if t, ok := users.Table(k); ok {
			known = append(known, t)
		}
	}
	var counts, dry []string
	for _, t := range append(unknown, known...) {
		k := strings.ToLower(t.Name)
		delCol, isPlanned := planned[k]
		ts := tableSQL{t: t, resource: strings.EqualFold(t.Name, rtcschema.Resource.Name), planned: isPlanned, ownerAt: -1, otherAt: -1}
		names := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			ts.columns = append(ts.columns, c.Name)
			ts.types = append(ts.types, c.DataType)
			names[i] = rtcclient.Ident(c.Name)
			if containsFold(t.Owner, c.Name) {
				ts.owners = append(ts.owners, i)
			}
		}
		from := " FROM " + rtcclient.Ident(t.Name) + " WHERE "
		if len(t.Owner) > 0 {
			ts.sel = "SELECT " + strings.Join(names, ", ") + from + anyEquals(t.Owner)
			ts.selIn = "SELECT " + strings.Join(names, ", ") + from
			ts.ownerAt = len(counts)
			counts = append(counts, "(SELECT COUNT(*)"+from+anyEquals(t.Owner)+")")
			dry = append(dry, counts[ts.ownerAt])
		}
		if len(t.Other) > 0 {
			ts.otherAt = len(counts)
			counts = append(counts, "(SELECT COUNT(*)"+from+otherOnly(t)+")")
			dry = append(dry, "0")
		}
		if delCol != "" {
			ts.del = "DELETE" + from + rtcclient.Ident(delCol) + " = @p1"
		}
		st.index[k] = len(st.tables)
		st.tables = append(st.tables, ts)
	}
	rd := rtcschema.ResourceDirectory
	if t, ok := users.Table(rd.Name); ok {
		if _, has := t.Column(rd.Enabled.Name); has && containsFold(t.Owner, rd.ResourceID.Name) {
			where := " FROM " + rtcclient.Ident(t.Name) + " WHERE " + rtcclient.Ident(rd.Enabled.Name) + " <> 0 AND " + rtcclient.Ident(rd.ResourceID.Name)
			st.enabledAt = len(counts)
			counts = append(counts, "(SELECT COUNT(*)"+where+" = @p1)")
			dry = append(dry, counts[st.enabledAt])
			st.notReplicatedIn = "SELECT " + rtcclient.Ident(rd.ResourceID.Name) + where
		}
	}
	st.count = "SELECT " + strings.Join(counts, ", ")
	st.dryCount = "SELECT " + strings.Join(dry, ", ")
	st.countCols = len(counts)
	return st, nil
}

// describeTables names the user-keyed tables for the log, those the plan
// does not name apart.
func (st *statements) describeTables() string {
	var known, unknown []string
	for _, t := range st.tables {
		if t.planned || t.resource {
			known = append(known, t.t.Name)
		} else {
			unknown = append(unknown, t.t.Name)
		}
	}
	d := strings.Join(known, ", ")
	if len(unknown) > 0 {
		d += "; not named by the plan: " + strings.Join(unknown, ", ")
	}
	return d
}

// anyEquals is "(a = @p1 OR b = @p1)": the rows where any of the columns
// holds the user's ResourceId.
func anyEquals(cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = rtcclient.Ident(c) + " = @p1"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// otherOnly is the condition of the rows naming the user on the other side
// and in no owner-side column: other users' rows. Each column is compared
// on its own (no OR across an owner and an other column), so that a server
// can seek an index on the other-side column where there is one.
func otherOnly(t *rtcclient.UserTable) string {
	w := anyEquals(t.Other)
	for _, c := range t.Owner {
		w += " AND (" + rtcclient.Ident(c) + " IS NULL OR " + rtcclient.Ident(c) + " <> @p1)"
	}
	return w
}

// inList completes selIn for n ResourceIds: any owner column in the list.
func (t *tableSQL) inList(n int) string {
	in := " IN (" + rtcclient.Placeholders(1, n) + ")"
	parts := make([]string, len(t.t.Owner))
	for i, c := range t.t.Owner {
		parts[i] = rtcclient.Ident(c) + in
	}
	return t.selIn + strings.Join(parts, " OR ")
}

// table returns the statements of a user-keyed table.
func (st *statements) table(name string) (*tableSQL, bool) {
	i, ok := st.index[strings.ToLower(name)]
	if !ok {
		return nil, false
	}
	return &st.tables[i], true
}

// backedUp reports a table whose owner-side rows the delete reads for the
// backup: every table with an owner side except Resource, which must stay.
func (t *tableSQL) backedUp() bool { return t.ownerAt >= 0 && !t.resource }

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// existsSQL and insertSQL are --undo's statements for one backed-up row.
// existsSQL matches the given columns; a nil value matches IS NULL.
func existsSQL(table string, cols []string, vals []any) (string, []any) {
	var where []string
	var args []any
	for i, c := range cols {
		if vals[i] == nil {
			where = append(where, rtcclient.Ident(c)+" IS NULL")
			continue
		}
		args = append(args, vals[i])
		where = append(where, rtcclient.Ident(c)+" = "+rtcclient.Placeholders(len(args), 1))
	}
	return "SELECT COUNT(*) FROM " + rtcclient.Ident(table) + " WHERE " + strings.Join(where, " AND "), args
}

func insertSQL(table string, columns []string) string {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = rtcclient.Ident(c)
	}
	return "INSERT INTO " + rtcclient.Ident(table) + " (" + strings.Join(names, ", ") + ") VALUES (" +
		rtcclient.Placeholders(1, len(columns)) + ")"
}

// identityInsertSQL turns SET IDENTITY_INSERT on or off for a table.
func identityInsertSQL(table string, on bool) string {
	state := "OFF"
	if on {
		state = "ON"
	}
	return "SET IDENTITY_INSERT [dbo]." + rtcclient.Ident(table) + " " + state
}
