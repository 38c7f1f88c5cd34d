package rtcclient

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// CatalogColumn is one column of a user-keyed table as the live catalog
// describes it: what the backup reads and what --undo may write.
type CatalogColumn struct {
	ColumnInfo
	Identity bool // an IDENTITY column: --undo writes its old value under SET IDENTITY_INSERT
	Computed bool // a computed column: the server makes its value
}

// Writable reports a column an INSERT may name: neither computed nor a
// rowversion (INFORMATION_SCHEMA calls it timestamp), whose values only the
// server makes (SQL Server errors 271 and 273).
func (c CatalogColumn) Writable() bool {
	return !c.Computed && c.DataType != "timestamp" && c.DataType != "rowversion"
}

// UserTable is a base table with at least one integer column named as a user
// key (rtcschema.UserKeys): a table that can hold a user's rows, whether or
// not the product has heard of it.
type UserTable struct {
	Name    string
	Owner   []string        // owner-side user-key columns, in ordinal order
	Other   []string        // other-side user-key columns, in ordinal order
	Columns []CatalogColumn // every column, in ordinal order
	Key     []string        // the primary key's columns in key order, from the live catalog; nil: none
	// Unindexed are the user-key columns that lead no index, as
	// MeasureKeyIndexes found them: a count of a user's rows by such a column
	// scans the table.
	Unindexed []string
}

// Column returns the named column (case-insensitive).
func (t *UserTable) Column(name string) (CatalogColumn, bool) {
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return CatalogColumn{}, false
}

// IdentityColumn returns the table's IDENTITY column, if it has one.
func (t *UserTable) IdentityColumn() (string, bool) {
	for _, c := range t.Columns {
		if c.Identity {
			return c.Name, true
		}
	}
	return "", false
}

// UserTables are a server's user-keyed tables, by name.
type UserTables struct {
	List   []UserTable // sorted by name
	byName map[string]int
	// Indexes says whether MeasureKeyIndexes read the catalog's indexes:
	// "" not asked, else what the --check report shows.
	Indexes string
}

// NewUserTables indexes a list of tables (what DiscoverUserTables finds; tests
// build their own).
func NewUserTables(list []UserTable) *UserTables {
	u := &UserTables{List: list, byName: map[string]int{}}
	sort.Slice(u.List, func(i, j int) bool { return strings.ToLower(u.List[i].Name) < strings.ToLower(u.List[j].Name) })
	for i, t := range u.List {
		u.byName[strings.ToLower(t.Name)] = i
	}
	return u
}

// Table returns the named table (case-insensitive).
func (u *UserTables) Table(name string) (*UserTable, bool) {
	i, ok := u.byName[strings.ToLower(name)]
	if !ok {
		return nil, false
	}
	return &u.List[i], true
}

// Describe is what --check prints: one line per table with its key columns.
func (u *UserTables) Describe() []string {
	lines := []string{fmt.Sprintf("user-keyed tables (%d, discovered: an integer column named %s):", len(u.List), strings.Join(userKeyNames(), ", "))}
	if u.Indexes != "" {
		lines = append(lines, "  indexes: "+u.Indexes)
	}
	for _, t := range u.List {
		l := "  " + t.Name + ": owner side " + orDash(t.Owner)
		if len(t.Other) > 0 {
			l += "; other side " + strings.Join(t.Other, ", ")
		}
		if len(t.Unindexed) > 0 {
			l += "; no index leads " + strings.Join(t.Unindexed, ", ") + " (each count scans the table)"
		}
		var kinds []string
		for _, c := range t.Columns {
			switch {
			case c.Identity:
				kinds = append(kinds, c.Name+" identity")
			case c.Computed:
				kinds = append(kinds, c.Name+" computed")
			case !c.Writable():
				kinds = append(kinds, c.Name+" "+c.DataType)
			}
		}
		if len(kinds) > 0 {
			l += " (" + strings.Join(kinds, ", ") + ")"
		}
		lines = append(lines, l)
	}
	return lines
}

func userKeyNames() []string {
	var n []string
	for _, k := range rtcschema.UserKeys {
		n = append(n, k.Name)
	}
	return n
}

func orDash(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}

// discoverColumnsSQL reads every column of the dbo tables with what --undo
// needs to know of it. COLUMNPROPERTY over INFORMATION_SCHEMA is how SQL
// Server 2005 tells identity and computed columns apart.
const discoverColumnsSQL = "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, " +
	"COLUMNPROPERTY(OBJECT_ID(QUOTENAME(TABLE_SCHEMA) + '.' + QUOTENAME(TABLE_NAME)), COLUMN_NAME, 'IsIdentity'), " +
	"COLUMNPROPERTY(OBJECT_ID(QUOTENAME(TABLE_SCHEMA) + '.' + QUOTENAME(TABLE_NAME)), COLUMN_NAME, 'IsComputed') " +
	"FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = @p1 ORDER BY TABLE_NAME, ORDINAL_POSITION"

// primaryKeySQL reads every dbo table's primary key, in key order, as
// INFORMATION_SCHEMA gives it (SQL Server 2005 and later): --undo recognises
// a row by it.
const primaryKeySQL = "SELECT k.TABLE_NAME, k.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS c " +
	"JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON k.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND k.TABLE_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME " +
	"WHERE c.CONSTRAINT_TYPE = 'PRIMARY KEY' AND c.TABLE_SCHEMA = @p1 ORDER BY k.TABLE_NAME, k.ORDINAL_POSITION"

// DiscoverUserTables finds the user-keyed tables of the database (SPEC 6.1):
// every base table of dbo (as the schema check's catalog has them) with an
// integer column whose name is a user key, with all its columns and its
// primary key. Two statements, once per server, before any user.
func (d *DB) DiscoverUserTables(ctx context.Context, cat *Catalog) (*UserTables, error) {
	tables := map[string]*UserTable{}
	err := d.query(ctx, discoverColumnsSQL, []any{dbo}, func(r *sql.Rows) error {
		var tn string
		var c CatalogColumn
		var length, identity, computed sql.NullInt64
		if err := r.Scan(&tn, &c.Name, &c.DataType, &length, &identity, &computed); err != nil {
			return err
		}
		k := strings.ToLower(tn)
		if !cat.HasTable(tn) {
			return nil // a view's column
		}
		c.DataType = strings.ToLower(c.DataType)
		c.MaxLength = int(length.Int64)
		c.Identity, c.Computed = identity.Int64 == 1, computed.Int64 == 1
		t := tables[k]
		if t == nil {
			t = &UserTable{Name: tn}
			tables[k] = t
		}
		t.Columns = append(t.Columns, c)
		if key, ok := rtcschema.UserKeyOf(c.Name); ok && rtcschema.Integer.Accepts(c.DataType) && !c.Computed {
			if key.Side == rtcschema.OwnerSide {
				t.Owner = append(t.Owner, c.Name)
			} else {
				t.Other = append(t.Other, c.Name)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = d.query(ctx, primaryKeySQL, []any{dbo}, func(r *sql.Rows) error {
		var tn, cn string
		if err := r.Scan(&tn, &cn); err != nil {
			return err
		}
		if t := tables[strings.ToLower(tn)]; t != nil {
			t.Key = append(t.Key, cn)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var list []UserTable
	for _, t := range tables {
		if len(t.Owner)+len(t.Other) > 0 {
			list = append(list, *t)
		}
	}
	return NewUserTables(list), nil
}

// keyIndexSQL lists the columns that lead an index (the first key column,
// key_ordinal 1) of every table: sys.index_columns, OBJECT_NAME and COL_NAME
// as SQL Server 2005 documents them (a primary key is an index there too).
const keyIndexSQL = "SELECT OBJECT_NAME(object_id), COL_NAME(object_id, column_id) FROM sys.index_columns " +
	"WHERE key_ordinal = 1 AND is_included_column = 0"

// MeasureKeyIndexes reads from the live catalog which user-key columns lead
// no index (UserTable.Unindexed), so that the log says where the delete's
// per-user counts must scan a table (SPEC 6.1 counts in every transaction;
// their cost on a server is its indexes'). What a real rtc database indexes is
// not public: it is measured, never assumed. An error (a login that may not
// read the catalog) is returned for the caller to log; nothing depends on it.
func (d *DB) MeasureKeyIndexes(ctx context.Context, u *UserTables) error {
	leads := map[string]bool{} // lower "table.column"
	err := func() error {
		rows, err := d.SQL.QueryContext(ctx, keyIndexSQL)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var tn, cn sql.NullString
			if err := rows.Scan(&tn, &cn); err != nil {
				return err
			}
			if tn.Valid && cn.Valid {
				leads[strings.ToLower(tn.String+"."+cn.String)] = true
			}
		}
		return rows.Err()
	}()
	if err != nil {
		u.Indexes = "not measured (" + err.Error() + ")"
		return fmt.Errorf("%s: read sys.index_columns: %w", d.Server, err)
	}
	n := 0
	for i := range u.List {
		t := &u.List[i]
		t.Unindexed = nil
		for _, c := range append(append([]string{}, t.Owner...), t.Other...) {
			if !leads[strings.ToLower(t.Name+"."+c)] {
				t.Unindexed = append(t.Unindexed, c)
				n++
			}
		}
	}
	u.Indexes = fmt.Sprintf("measured from sys.index_columns: %d user-key columns lead no index", n)
	return nil
}

// Unindexed lists the user-key columns that lead no index, as "Table.Column".
func (u *UserTables) Unindexed() []string {
	var out []string
	for _, t := range u.List {
		for _, c := range t.Unindexed {
			out = append(out, t.Name+"."+c)
		}
	}
	return out
}
