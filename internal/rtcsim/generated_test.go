package rtcsim

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"
)

// conn returns one connection of db: SET IDENTITY_INSERT is per connection.
func conn(t *testing.T, db *sql.DB) *sql.Conn {
	t.Helper()
	c, err := db.Conn(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

type noteRow struct {
	id      int64
	size    sql.NullInt64
	version []byte
}

func readNote(t *testing.T, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) noteRow {
	t.Helper()
	r := noteRow{id: id}
	if err := q.QueryRowContext(ctxT(t), "SELECT NoteSize, Version FROM UserNote WHERE NoteId = @p1", id).Scan(&r.size, &r.version); err != nil {
		t.Fatalf("note %d: %v", id, err)
	}
	return r
}

// IDENTITY, rowversion and computed columns behave as on SQL Server (SPEC
// 6.1): the server writes them; a client that names them is refused with SQL
// Server's error, unless SET IDENTITY_INSERT allows an identity value.
func TestGeneratedColumns(t *testing.T) {
	s, addr := startServer(t, "lync2013-evidence", "evidence-sample")
	db := openClient(t, addr, "")
	c := conn(t, db)
	ctx := ctxT(t)

	// The seed's three notes got NoteId 1..3; the next insert gets 4, its size and a rowversion.
	if _, err := c.ExecContext(ctx, "INSERT INTO UserNote (OwnerId, NoteText, CreatedAt) VALUES (@p1, @p2, @p3)", 1002, []byte("hello"), "2024-03-03 08:00:00"); err != nil {
		t.Fatal(err)
	}
	n4 := readNote(t, c, 4)
	n3 := readNote(t, c, 3)
	if n4.size.Int64 != 5 || len(n4.version) != 8 || bytes.Compare(n4.version, n3.version) <= 0 {
		t.Errorf("new note: size %v, version %x after %x", n4.size, n4.version, n3.version)
	}
	if readNote(t, c, 2).size.Valid {
		t.Error("DATALENGTH(NULL) is not NULL")
	}
	// An update of another column gives the row a new, larger rowversion and recomputes the size.
	if _, err := c.ExecContext(ctx, "UPDATE UserNote SET NoteText = @p1 WHERE NoteId = 4", []byte("hello, world")); err != nil {
		t.Fatal(err)
	}
	if n := readNote(t, c, 4); n.size.Int64 != 12 || bytes.Compare(n.version, n4.version) <= 0 {
		t.Errorf("after update: size %v, version %x (was %x)", n.size, n.version, n4.version)
	}

	refused := []struct {
		sql    string
		number int32
		msg    string
	}{
		{"INSERT INTO UserNote (NoteId, OwnerId, CreatedAt) VALUES (50, 1002, '2024-01-01')", ErrIdentityInsertOff,
			"Cannot insert explicit value for identity column in table 'UserNote' when IDENTITY_INSERT is set to OFF."},
		{"INSERT INTO dbo.UserNote (OwnerId, CreatedAt, Version) VALUES (1002, '2024-01-01', 0x0000000000000001)", ErrTimestampInsert,
			"Cannot insert an explicit value into a timestamp column. Use INSERT with a column list to exclude the timestamp column, or insert a DEFAULT into the timestamp column."},
		{"INSERT INTO UserNote (OwnerId, CreatedAt, NoteSize) VALUES (1002, '2024-01-01', 3)", ErrComputedColumn,
			`The column "NoteSize" cannot be modified because it is either a computed column or is the result of a UNION operator.`},
		{"INSERT INTO ContactGroup (OwnerId, GroupNumber, DisplayName, Version) SELECT OwnerId, 9, DisplayName, Version FROM ContactGroup WHERE OwnerId = 1004 AND GroupNumber = 1", ErrTimestampInsert, ""},
		{"UPDATE UserNote SET NoteId = 60 WHERE NoteId = 1", ErrIdentityUpdate, "Cannot update identity column 'NoteId'."},
		{"UPDATE UserNote SET NoteText = NULL, [Version] = 0x01 WHERE NoteId = 1", ErrTimestampUpdate, "Cannot update a timestamp column."},
		{"UPDATE dbo.UserNote SET NoteSize = 1", ErrComputedColumn, ""},
		{"INSERT INTO UserNote VALUES (1002, NULL, '2024-01-01')", ErrUnsupported, ""},
	}
	for _, r := range refused {
		before := dump(t, s)
		_, err := c.ExecContext(ctx, r.sql)
		e := mssqlError(t, err, r.number)
		if r.msg != "" && e.Message != r.msg {
			t.Errorf("%s:\n got %q\nwant %q", r.sql, e.Message, r.msg)
		}
		if e.Class != 16 {
			t.Errorf("%s: class %d", r.sql, e.Class)
		}
		if changed := changedTables(before, dump(t, s)); len(changed) != 0 {
			t.Errorf("%s changed %v", r.sql, changed)
		}
	}
}

// An undo as the product must write it (SPEC 6.1): in the user's
// transaction, SET IDENTITY_INSERT ON, the old identity values, OFF.
func TestIdentityInsert(t *testing.T) {
	s, addr := startServer(t, "lync2013-evidence", "evidence-sample")
	db := openClient(t, addr, "")
	c := conn(t, db)
	ctx := ctxT(t)
	exec := func(q string, args ...any) error {
		_, err := c.ExecContext(ctx, q, args...)
		return err
	}
	for _, form := range []string{"UserNote", "dbo.UserNote", "[dbo].[UserNote]", "rtc.dbo.UserNote", "[rtc]..[UserNote]", "usernote"} {
		if err := exec("SET IDENTITY_INSERT " + form + " ON"); err != nil {
			t.Fatalf("%s ON: %v", form, err)
		}
		if err := exec("SET IDENTITY_INSERT " + form + " OFF;"); err != nil {
			t.Fatalf("%s OFF: %v", form, err)
		}
	}
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "SET IDENTITY_INSERT dbo.UserNote ON"); err != nil {
		t.Fatal(err)
	}
	// One table at a time, per connection.
	_, err = tx.ExecContext(ctx, "SET IDENTITY_INSERT dbo.RtcItem ON")
	if e := mssqlError(t, err, ErrIdentityInsertBusy); e.Message != "IDENTITY_INSERT is already ON for table 'rtc.dbo.UserNote'. Cannot perform SET operation for table 'RtcItem'." {
		t.Errorf("8107 message %q", e.Message)
	}
	// The identity column must be named while ON.
	_, err = tx.ExecContext(ctx, "INSERT INTO UserNote (OwnerId, CreatedAt) VALUES (1002, '2024-01-01')")
	mssqlError(t, err, ErrIdentityValueNeed)
	if _, err := tx.ExecContext(ctx, "INSERT INTO UserNote (NoteId, OwnerId, NoteText, CreatedAt) VALUES (@p1, @p2, @p3, @p4)", 40, 1002, []byte("old"), "2024-01-01"); err != nil {
		t.Fatal(err)
	}
	// Another connection has its own setting: OFF.
	_, err = db.ExecContext(ctx, "INSERT INTO UserNote (NoteId, OwnerId, CreatedAt) VALUES (41, 1002, '2024-01-01')")
	mssqlError(t, err, ErrIdentityInsertOff)
	if _, err := tx.ExecContext(ctx, "SET IDENTITY_INSERT dbo.UserNote OFF"); err != nil {
		t.Fatal(err)
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO UserNote (NoteId, OwnerId, CreatedAt) VALUES (42, 1002, '2024-01-01')")
	mssqlError(t, err, ErrIdentityInsertOff)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// The identity moved past the explicit value, as on SQL Server.
	if err := exec("INSERT INTO UserNote (OwnerId, CreatedAt) VALUES (1002, '2024-01-01')"); err != nil {
		t.Fatal(err)
	}
	var max int64
	if err := c.QueryRowContext(ctx, "SELECT MAX(NoteId) FROM UserNote").Scan(&max); err != nil || max != 41 {
		t.Errorf("next identity %d, want 41 (%v)", max, err)
	}
	if n := readNote(t, c, 40); n.size.Int64 != 3 || len(n.version) != 8 {
		t.Errorf("restored note: %+v", n)
	}

	// SET inside sp_executesql lasts until it returns (SQL Server's rule for SET in dynamic SQL).
	if err := exec("SET IDENTITY_INSERT UserNote ON", sql.Named("unused", 1)); err != nil {
		t.Fatal(err)
	}
	err = exec("INSERT INTO UserNote (NoteId, OwnerId, CreatedAt) VALUES (43, 1002, '2024-01-01')")
	mssqlError(t, err, ErrIdentityInsertOff)

	for _, tc := range []struct {
		sql    string
		number int32
	}{
		{"SET IDENTITY_INSERT NoSuchTable ON", ErrObjectNotFound},
		{"SET IDENTITY_INSERT guest.UserNote ON", ErrObjectNotFound},
		{"SET IDENTITY_INSERT dbo.Contact ON", ErrNoIdentityProperty},
		{"SET IDENTITY_INSERT UserNote", ErrSyntax},
		{"SET IDENTITY_INSERT UserNote ON; INSERT INTO UserNote (NoteId, OwnerId, CreatedAt) VALUES (44, 1, '2024-01-01')", ErrUnsupported},
	} {
		mssqlError(t, exec(tc.sql), tc.number)
	}
	// A pooled connection reset forgets the setting (RESETCONNECTION).
	if err := exec("SET IDENTITY_INSERT UserNote ON"); err != nil {
		t.Fatal(err)
	}
	c.Close()
	mssqlError(t, func() error {
		_, err := db.ExecContext(ctx, "INSERT INTO UserNote (NoteId, OwnerId, CreatedAt) VALUES (45, 1002, '2024-01-01')")
		return err
	}(), ErrIdentityInsertOff)
	_ = s
}

// A seed may set identity values under SET IDENTITY_INSERT, as a T-SQL script would.
func TestSeedIdentityInsert(t *testing.T) {
	s, _ := startServer(t, "lync2013-evidence")
	ctx := ctxT(t)
	err := s.Seed(ctx, "bad", "INSERT INTO RtcItem (ItemId, ResourceId, ItemType) VALUES (5, 1, 1);")
	if err == nil || !strings.Contains(err.Error(), "IDENTITY_INSERT is set to OFF") {
		t.Errorf("seed without SET IDENTITY_INSERT: %v", err)
	}
	if err := s.Seed(ctx, "ok", "SET IDENTITY_INSERT RtcItem ON; INSERT INTO RtcItem (ItemId, ResourceId, ItemType) VALUES (5, 1, 1); SET IDENTITY_INSERT RtcItem OFF; INSERT INTO RtcItem (ResourceId, ItemType) VALUES (1, 2);"); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, "SELECT MAX(ItemId) FROM RtcItem"); n != 6 {
		t.Errorf("ItemId after an explicit 5: %d, want 6", n)
	}
}

// A database file written by an older rtcsim gets today's catalog when it is opened again.
func TestReopenRebuildsCatalog(t *testing.T) {
	s, _ := startServer(t, "lync2013-evidence", "evidence-sample")
	path := s.opts.DBPath
	if _, err := s.SQLite().Exec("DROP TABLE rtcsim_columns"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(Options{DBPath: path, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n := countRows(t, s2, "SELECT COUNT(*) FROM rtcsim_columns WHERE is_identity = 1"); n != 2 {
		t.Errorf("%d identity columns after reopening, want 2", n)
	}
	if _, err := s2.SQLite().Exec("INSERT INTO UserNote (OwnerId, CreatedAt) VALUES (1002, '2024-01-01')"); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s2, "SELECT MAX(NoteId) FROM UserNote"); n != 4 {
		t.Errorf("identity after reopening: %d, want 4", n)
	}
}
