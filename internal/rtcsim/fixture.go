package rtcsim

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Fixture is the contact data of some users, for any rtc schema: LoadFixture
// writes each value in the type its column declares — a name as nvarchar
// text in the reconstructed schemas, as UTF-8 bytes in the evidence schema's
// varbinary columns — so that one fixture seeds every schema and an export
// of each must give the same CSV. Columns the fixture does not set are left
// to the server (IDENTITY, rowversion, computed, NULL) or, when NOT NULL,
// filled with generated values.
type Fixture struct {
	Users []FixtureUser
	// HomedRows > 0 gives every user that many rows (one where the table's key
	// is the user alone) in every other table with an integer owner-side user
	// key column (OwnerId, ResourceId, PublisherId, EnterpriseId) — a table the
	// product never heard of included —, every writable column filled, the
	// other-side columns (MemberId, SubscriberId, DelegateId, BuddyId) naming
	// the next user of the fixture.
	HomedRows int
}

// FixtureUser is one user: Resource, ResourceDirectory and their contact list.
type FixtureUser struct {
	ResourceID  int64
	UserAtHost  string // user@host, no sip:
	DisplayName string // ResourceDirectory.AdDisplayName; "" is NULL
	Enabled     bool   // ResourceDirectory.Enabled where the schema has it (false: the disable has replicated)
	Groups      []FixtureGroup
	Contacts    []FixtureContact
}

// FixtureGroup is a ContactGroup row; Number 1 named "~" is the default group.
type FixtureGroup struct {
	Number      int
	Name        string
	ExternalURI string // a distribution group's address; "" is NULL
}

// FixtureContact is a Contact row and its ContactGroupAssoc rows.
type FixtureContact struct {
	Buddy        int64   // the buddy's ResourceID
	DisplayName  *string // nil is NULL; Text("") is an empty name (0x in varbinary)
	Unsubscribed bool    // SubscribePresence 0 where the schema has it
	Groups       []int   // group numbers; none: the contact is in no group
}

// Text returns &s, for FixtureContact.DisplayName.
func Text(s string) *string { return &s }

// User-key column names, rtcsim's own list (SPEC 6.1; the product keeps its own).
var (
	ownerKeys = []string{"OwnerId", "ResourceId", "PublisherId", "EnterpriseId"}
	otherKeys = []string{"BuddyId", "MemberId", "SubscriberId", "DelegateId"}
)

// contactTables are the tables a Fixture fills from its users.
var contactTables = []string{"Resource", "ResourceDirectory", "ContactGroup", "Contact", "ContactGroupAssoc"}

// LoadFixture writes f in one SQLite transaction.
func (s *Server) LoadFixture(ctx context.Context, f Fixture) error {
	return s.withFixtureWriter(ctx, func(w *fixtureWriter) error {
		for _, u := range f.Users {
			if err := w.resource(u); err != nil {
				return err
			}
		}
		for i, u := range f.Users {
			if err := w.contacts(u); err != nil {
				return err
			}
			if f.HomedRows > 0 {
				peer := f.Users[(i+1)%len(f.Users)].ResourceID
				if err := w.homedRows(u.ResourceID, peer, f.HomedRows); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func (s *Server) withFixtureWriter(ctx context.Context, fn func(*fixtureWriter) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("fixture: %w", err)
	}
	defer tx.Rollback()
	w := &fixtureWriter{ctx: ctx, tx: tx, srv: s, plans: map[string]*rowPlan{}, rows: map[string]int64{}}
	defer w.close()
	if err := fn(w); err != nil {
		return fmt.Errorf("fixture: %w", err)
	}
	return tx.Commit()
}

// fixtureWriter writes rows through prepared statements, converting each
// value to its column's declared type.
type fixtureWriter struct {
	ctx   context.Context
	tx    *sql.Tx
	srv   *Server
	plans map[string]*rowPlan
	rows  map[string]int64 // per table: rows written, the seed of generated values
}

// rowPlan is one INSERT: the columns written, each from a caller's value
// (src >= 0) or generated.
type rowPlan struct {
	table *Table
	stmt  *sql.Stmt
	cols  []*Column
	src   []int
}

func (w *fixtureWriter) close() {
	for _, p := range w.plans {
		p.stmt.Close()
	}
}

// plan prepares INSERT INTO table for the named columns; a name prefixed
// with "?" is written only where the schema has the column. fillAll also
// generates the writable nullable columns; otherwise they stay NULL (or
// their DEFAULT) and only NOT NULL columns without a DEFAULT are generated.
func (w *fixtureWriter) plan(table string, names []string, fillAll bool) (*rowPlan, error) {
	key := table + "|" + strings.Join(names, ",") + "|" + strconv.FormatBool(fillAll)
	if p := w.plans[key]; p != nil {
		return p, nil
	}
	t := w.srv.schema.Table(table)
	if t == nil {
		return nil, fmt.Errorf("the schema has no table %s", table)
	}
	p := &rowPlan{table: t}
	given := map[string]int{}
	for i, n := range names {
		optional := strings.HasPrefix(n, "?")
		n = strings.TrimPrefix(n, "?")
		if t.Column(n) == nil && !optional {
			return nil, fmt.Errorf("table %s has no column %s", t.Name, n)
		}
		given[strings.ToLower(n)] = i
	}
	for _, c := range t.Columns {
		if !c.Writable() {
			continue
		}
		if i, ok := given[strings.ToLower(c.Name)]; ok {
			p.cols, p.src = append(p.cols, c), append(p.src, i)
		} else if fillAll || (!c.Nullable && c.Default == "") {
			p.cols, p.src = append(p.cols, c), append(p.src, -1)
		}
	}
	names = make([]string, len(p.cols))
	marks := make([]string, len(p.cols))
	for i, c := range p.cols {
		names[i], marks[i] = c.Name, "?"
	}
	q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", quoteIdent(t.Name), quoteList(names), strings.Join(marks, ", "))
	st, err := w.tx.PrepareContext(w.ctx, q)
	if err != nil {
		return nil, err
	}
	if _, ok := w.rows[t.Name]; !ok {
		var n int64
		if err := w.tx.QueryRowContext(w.ctx, "SELECT COALESCE(MAX(rowid), 0) FROM "+quoteIdent(t.Name)).Scan(&n); err != nil {
			return nil, err
		}
		w.rows[t.Name] = n
	}
	p.stmt = st
	w.plans[key] = p
	return p, nil
}

// write inserts one row of p with the caller's values.
func (w *fixtureWriter) write(p *rowPlan, vals ...any) error {
	w.rows[p.table.Name]++
	n := w.rows[p.table.Name]
	args := make([]any, len(p.cols))
	for i, c := range p.cols {
		if p.src[i] < 0 {
			args[i] = generatedValue(c, n)
			continue
		}
		v, err := storedValue(vals[p.src[i]], c.Type)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", p.table.Name, c.Name, err)
		}
		args[i] = v
	}
	if _, err := p.stmt.ExecContext(w.ctx, args...); err != nil {
		return fmt.Errorf("%s: %w", p.table.Name, w.srv.mapError(err, 0, "INSERT"))
	}
	return nil
}

func (w *fixtureWriter) resource(u FixtureUser) error {
	p, err := w.plan("Resource", []string{"ResourceId", "UserAtHost"}, false)
	if err != nil {
		return err
	}
	if err := w.write(p, u.ResourceID, u.UserAtHost); err != nil {
		return fmt.Errorf("user %s: %w", u.UserAtHost, err)
	}
	p, err = w.plan("ResourceDirectory", []string{"ResourceId", "AdDisplayName", "?Enabled"}, false)
	if err != nil {
		return err
	}
	if err := w.write(p, u.ResourceID, nullIfEmpty(u.DisplayName), u.Enabled); err != nil {
		return fmt.Errorf("user %s: %w", u.UserAtHost, err)
	}
	return nil
}

func (w *fixtureWriter) contacts(u FixtureUser) error {
	groups, err := w.plan("ContactGroup", []string{"OwnerId", "GroupNumber", "DisplayName", "ExternalUri"}, false)
	if err != nil {
		return err
	}
	contacts, err := w.plan("Contact", []string{"OwnerId", "BuddyId", "DisplayName", "?SubscribePresence"}, false)
	if err != nil {
		return err
	}
	assoc, err := w.plan("ContactGroupAssoc", []string{"OwnerId", "BuddyId", "GroupNumber"}, false)
	if err != nil {
		return err
	}
	for _, g := range u.Groups {
		if err := w.write(groups, u.ResourceID, g.Number, g.Name, nullIfEmpty(g.ExternalURI)); err != nil {
			return fmt.Errorf("user %s group %d: %w", u.UserAtHost, g.Number, err)
		}
	}
	for _, c := range u.Contacts {
		var name any
		if c.DisplayName != nil {
			name = *c.DisplayName
		}
		if err := w.write(contacts, u.ResourceID, c.Buddy, name, !c.Unsubscribed); err != nil {
			return fmt.Errorf("user %s contact %d: %w", u.UserAtHost, c.Buddy, err)
		}
		for _, g := range c.Groups {
			if err := w.write(assoc, u.ResourceID, c.Buddy, g); err != nil {
				return fmt.Errorf("user %s contact %d group %d: %w", u.UserAtHost, c.Buddy, g, err)
			}
		}
	}
	return nil
}

// homedRows writes n rows (1 where the key is the user alone) for id in
// every user-keyed table outside the contact tables.
func (w *fixtureWriter) homedRows(id, peer int64, n int) error {
	for _, t := range w.srv.schema.Tables {
		if slicesContainFold(contactTables, t.Name) {
			continue
		}
		var names []string
		var vals []any
		for _, c := range t.Columns {
			switch {
			case !c.Type.isInteger() || !c.Writable():
			case slicesContainFold(ownerKeys, c.Name):
				names, vals = append(names, c.Name), append(vals, id)
			case slicesContainFold(otherKeys, c.Name):
				names, vals = append(names, c.Name), append(vals, peer)
			}
		}
		owned := false
		for _, name := range names {
			owned = owned || slicesContainFold(ownerKeys, name)
		}
		if !owned {
			continue
		}
		rows := n
		if len(t.PrimaryKey) > 0 && allIn(t.PrimaryKey, names) {
			rows = 1
		}
		p, err := w.plan(t.Name, names, true)
		if err != nil {
			return err
		}
		for i := 0; i < rows; i++ {
			if err := w.write(p, vals...); err != nil {
				return fmt.Errorf("user %d: %w", id, err)
			}
		}
	}
	return nil
}

func allIn(list, set []string) bool {
	for _, x := range list {
		if !slicesContainFold(set, x) {
			return false
		}
	}
	return true
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// storedValue converts a Go value to what a column of type t stores in
// SQLite: text as text, text in a binary column as its UTF-8 bytes,
// booleans and integers as integers.
func storedValue(v any, t SQLType) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch x := v.(type) {
	case string:
		switch {
		case t.isBinary():
			return []byte(x), nil
		case t.isText() || t.Name == "uniqueidentifier" || strings.Contains(t.Name, "date"):
			return x, nil
		}
	case []byte:
		switch {
		case t.isBinary():
			return x, nil
		case t.isText():
			return string(x), nil
		}
	case bool:
		if t.isInteger() {
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case int:
		return storedValue(int64(x), t)
	case int64:
		if t.isInteger() {
			return x, nil
		}
	case time.Time:
		if strings.Contains(t.Name, "date") {
			return x.Format(timeLayout), nil
		}
	}
	return nil, fmt.Errorf("a %T does not fit a %s column", v, t)
}

// generatedValue is a deterministic value of type t for row n of a table:
// different rows get different values (keys stay unique).
func generatedValue(c *Column, n int64) any {
	t := c.Type
	switch {
	case t.Name == "bit":
		return n % 2
	case t.Name == "tinyint":
		return n % 256
	case t.Name == "smallint":
		return n % 32768
	case t.isInteger():
		return n
	case t.Name == "float" || t.Name == "real":
		return float64(n) / 4
	case t.Name == "uniqueidentifier":
		return fmt.Sprintf("00000000-0000-4000-8000-%012X", n)
	case strings.Contains(t.Name, "date"):
		return time.Date(2013, 2, 14, 10, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Minute).Format("2006-01-02 15:04:05")
	}
	s := fmt.Sprintf("%s %d", c.Name, n)
	if t.Len > 0 && len(s) > t.Len {
		s = s[len(s)-t.Len:]
	}
	if t.isBinary() {
		return []byte(s)
	}
	return s
}
