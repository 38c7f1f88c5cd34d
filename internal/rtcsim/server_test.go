package rtcsim

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
	"github.com/shopspring/decimal"
)

func TestLogin(t *testing.T) {
	_, addr := startServer(t, "lync2013")
	if err := openClient(t, addr, "").PingContext(ctxT(t)); err != nil {
		t.Fatalf("login: %v", err)
	}
	for _, tc := range []struct {
		name, extra string
		number      int32
		msg         string
	}{
		{"wrong password", "password=nope", ErrLoginFailed, "Login failed for user 'sa'."},
		{"wrong user", "user id=bob", ErrLoginFailed, "Login failed for user 'bob'."},
		{"wrong database", "database=master", ErrCannotOpenDB, `Cannot open database "master" requested by the login. The login failed.`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := openClient(t, addr, tc.extra).PingContext(ctxT(t))
			e := mssqlError(t, err, tc.number)
			if !strings.HasSuffix(e.Message, tc.msg) {
				t.Errorf("message %q, want suffix %q", e.Message, tc.msg)
			}
		})
	}
	t.Run("encrypt=true refused", func(t *testing.T) {
		err := openClient(t, addr, "encrypt=true").PingContext(ctxT(t))
		if err == nil || !strings.Contains(err.Error(), "encryption") {
			t.Fatalf("encrypt=true: %v, want an encryption error", err)
		}
	})
	t.Run("encrypt=false", func(t *testing.T) {
		if err := openClient(t, addr, "encrypt=false").PingContext(ctxT(t)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestBatchAndColumnTypes(t *testing.T) {
	_, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM rtc.dbo.Resource WITH (NOLOCK)").Scan(&n); err != nil || n != 6 {
		t.Fatalf("count = %d, %v; want 6", n, err)
	}
	q := `SELECT r.ResourceId, r.UserAtHost, c.SubscribePresence, p.PromptedAt, i.LastModified, i.ItemData, u.PUID, u.DeviceId,
	        d.DelegateType, ph.PhoneType, pi.LastModified
	      FROM Resource r JOIN Contact c ON c.OwnerId = r.ResourceId AND c.BuddyId = 1004
	      JOIN PromptedSubscriber p ON p.OwnerId = r.ResourceId
	      JOIN RtcItem i ON i.ResourceId = r.ResourceId AND i.ItemId = 1
	      JOIN PUIDDirectory u ON u.ResourceId = 1004
	      JOIN Delegate d ON d.OwnerId = r.ResourceId
	      JOIN ResourcePhone ph ON ph.ResourceId = r.ResourceId
	      JOIN PublishedInstance pi ON pi.PublisherId = r.ResourceId
	      WHERE r.UserAtHost = 'ANN@FOO.COM'`
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := []string{"INT", "NVARCHAR", "BIT", "DATETIME", "DATETIME", "VARBINARY", "BIGINT", "UNIQUEIDENTIFIER", "TINYINT", "SMALLINT", "DATETIME2"}
	for i, ct := range cts {
		if ct.DatabaseTypeName() != wantTypes[i] {
			t.Errorf("column %d %s: type %s, want %s", i, ct.Name(), ct.DatabaseTypeName(), wantTypes[i])
		}
	}
	if l, ok := cts[1].Length(); !ok || l != 454 {
		t.Errorf("UserAtHost length %d %v, want 454", l, ok)
	}
	if !rows.Next() {
		t.Fatalf("no row: %v", rows.Err())
	}
	var (
		id, puid                int64
		user                    string
		sub                     bool
		prompted, modified, pub time.Time
		data                    []byte
		device                  mssql.UniqueIdentifier
		delegateType, phoneType int64
	)
	if err := rows.Scan(&id, &user, &sub, &prompted, &modified, &data, &puid, &device, &delegateType, &phoneType, &pub); err != nil {
		t.Fatal(err)
	}
	if id != 1001 || user != "ann@foo.com" || sub || puid != 9000000004 || delegateType != 1 || phoneType != 1 {
		t.Errorf("got %d %q %v %d %d %d", id, user, sub, puid, delegateType, phoneType)
	}
	if !prompted.Equal(time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)) || !modified.Equal(time.Date(2024, 3, 1, 9, 30, 0, 123000000, time.UTC)) {
		t.Errorf("dates %v %v", prompted, modified) // DATETIME travels in 1/300 s; the driver rounds to ms
	}
	if !pub.Equal(time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("datetime2 %v", pub)
	}
	if !bytes.Equal(data, []byte{0x0A, 0x0B, 0x0C}) {
		t.Errorf("data %x", data)
	}
	if device.String() != "0E984725-C51C-4BF4-9960-E1C80E27ABA0" {
		t.Errorf("guid %s", device)
	}
	if rows.Next() {
		t.Error("more than one row")
	}
}

func TestParameterTypes(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	long := strings.Repeat("é", 6000) // > 8000 bytes: sent as PLP
	when := time.Date(2025, 1, 2, 3, 4, 5, 600000000, time.FixedZone("x", 2*3600))
	guid := mssql.UniqueIdentifier{0x6F, 0x96, 0x19, 0xFF, 0x8B, 0x86, 0xD0, 0x11, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF}

	// Each type is written by INSERT … VALUES (@p…) and read back from SQLite.
	res, err := db.ExecContext(ctx, `INSERT INTO RtcItem (ItemId, ResourceId, ItemType, ItemData, LastModified) VALUES (@p1, @p2, @p3, @p4, @p5)`,
		int64(10), int32(1005), int16(3), []byte{1, 2, 3}, when)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Errorf("RowsAffected %d", n)
	}
	var lm string
	var blob []byte
	if err := s.SQLite().QueryRow(`SELECT ItemData, CAST(LastModified AS TEXT) FROM RtcItem WHERE ItemId = 10`).Scan(&blob, &lm); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(blob, []byte{1, 2, 3}) || lm != "2025-01-02 03:04:05.6" {
		t.Errorf("stored %x %q", blob, lm)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO UserPolicy (ResourceId, PolicyType, PolicyInstance) VALUES (@p1, @p2, @p3), (@p1, @p4, @p5)`,
		1005, 1, guid, 2, nil); err != nil {
		t.Fatal(err)
	}
	var g sql.NullString
	s.SQLite().QueryRow(`SELECT PolicyInstance FROM UserPolicy WHERE ResourceId = 1005 AND PolicyType = 1`).Scan(&g)
	if g.String != "6F9619FF-8B86-D011-B42D-00C04FC964FF" {
		t.Errorf("guid stored as %q", g.String)
	}
	if countRows(t, s, `SELECT COUNT(*) FROM UserPolicy WHERE ResourceId = 1005 AND PolicyType = 2 AND PolicyInstance IS NULL`) != 1 {
		t.Error("NULL parameter not stored as NULL")
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO Contact (OwnerId, BuddyId, DisplayName, SubscribePresence) VALUES (@p1, @p2, @p3, @p4)`,
		1005, 1001, "", false); err != nil {
		t.Fatal(err)
	}
	var dn string
	var sub int
	s.SQLite().QueryRow(`SELECT DisplayName, SubscribePresence FROM Contact WHERE OwnerId = 1005`).Scan(&dn, &sub)
	if dn != "" || sub != 0 {
		t.Errorf("empty string / false stored as %q %d", dn, sub)
	}

	// Values come back through SELECT @p with the right type.
	for _, tc := range []struct {
		name string
		arg  any
		want any
	}{
		{"nvarchar", "ann@foo.com", "ann@foo.com"},
		{"nvarchar PLP", long, long},
		{"int", int64(-7), int64(-7)},
		{"float", 2.5, 2.5},
		{"bit", true, int64(1)},
		{"decimal as nvarchar", decimal.RequireFromString("12.50"), "12.5"},
		{"varchar", mssql.VarChar("plain"), "plain"},
		{"nvarchar(max)", mssql.NVarCharMax("max"), "max"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got any
			if err := db.QueryRowContext(ctx, "SELECT @p1", tc.arg).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if b, ok := got.([]byte); ok {
				got = string(b)
			}
			if got != tc.want {
				t.Errorf("got %v (%T), want %v", got, got, tc.want)
			}
		})
	}
	// Named parameters and a parameter compared with an INT column.
	var user string
	if err := db.QueryRowContext(ctx, "SELECT TOP 1 UserAtHost FROM [rtc].[dbo].[Resource] WHERE ResourceId = @id", sql.Named("id", "1002")).Scan(&user); err != nil || user != "bob@foo.com" {
		t.Errorf("named param: %q %v", user, err)
	}
	// Text keys compare case-insensitively, as the rtc collation does.
	if err := db.QueryRowContext(ctx, "SELECT UserAtHost FROM Resource WHERE UserAtHost = @p1", "frank.muller@FOO.COM").Scan(&user); err != nil || user != "Frank.Muller@Foo.com" {
		t.Errorf("case-insensitive key: %q %v", user, err)
	}
}

func TestINListOf2000Params(t *testing.T) {
	s, addr := startServer(t, "lync2013")
	if err := s.Populate(context.Background(), Population{Users: 2500, Contacts: 1}); err != nil {
		t.Fatal(err)
	}
	db := openClient(t, addr, "")
	args := make([]any, 2000)
	marks := make([]string, 2000)
	for i := range args {
		args[i] = "USER" + strconv.Itoa(i*2) + "@bench.example.com" // upper case: the key compares case-insensitively
		marks[i] = "@p" + strconv.Itoa(i+1)
	}
	var n int
	err := db.QueryRowContext(ctxT(t), "SELECT COUNT(*) FROM Resource WHERE UserAtHost IN ("+strings.Join(marks, ", ")+")", args...).Scan(&n)
	if err != nil || n != 1250 {
		t.Fatalf("count %d, %v; want 1250 (even users below 2500)", n, err)
	}
}

func TestTransactions(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	ctx := ctxT(t)

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM Contact WHERE OwnerId = @p1", 1001)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 4 {
		t.Errorf("RowsAffected %d, want 4", n)
	}
	var inTx int
	tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM Contact WHERE OwnerId = 1001").Scan(&inTx)
	if inTx != 0 {
		t.Errorf("the transaction sees %d rows it deleted", inTx)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM Contact WHERE OwnerId = 1001"); n != 4 {
		t.Fatalf("after ROLLBACK %d rows, want 4", n)
	}

	tx, err = db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DELETE FROM ContactGroupAssoc WHERE OwnerId = @p1", "DELETE FROM Contact WHERE OwnerId = @p1"} {
		if _, err := tx.ExecContext(ctx, q, 1001); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM Contact WHERE OwnerId = 1001") + countRows(t, s, "SELECT COUNT(*) FROM ContactGroupAssoc WHERE OwnerId = 1001"); n != 0 {
		t.Fatalf("after COMMIT %d rows left", n)
	}
	// A failing statement inside a transaction leaves the transaction usable, as in SQL Server.
	tx, _ = db.BeginTx(ctx, nil)
	_, err = tx.ExecContext(ctx, "INSERT INTO Resource (ResourceId, UserAtHost) VALUES (1001, N'dup@foo.com')")
	mssqlError(t, err, ErrDuplicateKey)
	if _, err := tx.ExecContext(ctx, "DELETE FROM Delegate WHERE OwnerId = 1001"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM Delegate WHERE OwnerId = 1001"); n != 0 {
		t.Errorf("Delegate rows left: %d", n)
	}
}

func TestErrors(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	tests := []struct {
		q      string
		args   []any
		number int32
		msg    string
	}{
		{"SELECT * FROM NoSuchTable", nil, ErrInvalidObject, "Invalid object name"},
		{"SELECT NoSuchColumn FROM Resource", nil, ErrInvalidColumn, "Invalid column name 'NoSuchColumn'."},
		{"INSERT INTO Resource (ResourceId, UserAtHost) VALUES (@p1, @p2)", []any{1001, "x@foo.com"}, ErrDuplicateKey, "Violation of PRIMARY KEY constraint 'PK_Resource'"},
		{"INSERT INTO Resource (ResourceId, UserAtHost) VALUES (@p1, @p2)", []any{2001, "ANN@foo.com"}, ErrDuplicateKey, "Violation of UNIQUE KEY constraint"},
		{"INSERT INTO Resource (ResourceId, UserAtHost) VALUES (@p1, @p2)", []any{2001, nil}, ErrNotNull, "Cannot insert the value NULL into column 'UserAtHost'"},
		{"INSERT INTO ResourceDirectory (ResourceId, AdDisplayName) VALUES (@p1, @p2)", []any{2001, strings.Repeat("x", 257)}, ErrTruncation, "String or binary data would be truncated"},
		{"INSERT INTO ResourceDirectory (ResourceId, AdDisplayName) VALUES (@p1, @p2)", []any{"abc", "x"}, ErrConversion, "Conversion failed"},
		{"SELECT ResourceId FROM Resource WHERE UserAtHost = @p2", []any{"x"}, 137, `Must declare the scalar variable "@p2".`},
		{"MERGE INTO Contact USING Resource ON 1 = 1", nil, ErrUnsupported, "rtcsim: unsupported T-SQL: MERGE"},
		{"DELETE FROM Contact WHERE OwnerId = 1001; DELETE FROM Resource", nil, ErrUnsupported, "rtcsim: unsupported T-SQL: more than one statement"},
		{"EXEC dbo.RtcpDeleteHomedResourceTransaction 1001", nil, ErrUnsupported, "rtcsim: unsupported T-SQL: EXEC"},
		{"SELECT value FROM STRING_SPLIT(@p1, ',')", []any{"a,b"}, ErrUnsupported, "STRING_SPLIT"},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			_, err := db.ExecContext(ctx, tc.q, tc.args...)
			e := mssqlError(t, err, tc.number)
			if !strings.Contains(e.Message, tc.msg) {
				t.Errorf("message %q, want %q", e.Message, tc.msg)
			}
			if e.Class < 11 || e.State == 0 || e.ServerName != "RTCSIM" {
				t.Errorf("class %d state %d server %q", e.Class, e.State, e.ServerName)
			}
		})
	}
	// Nothing a refused or failed statement touched changed.
	if n := countRows(t, s, "SELECT COUNT(*) FROM Contact"); n != 11 {
		t.Errorf("Contact has %d rows, want 11", n)
	}
	// The connection still works after errors.
	if err := db.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestAttentionCancelsStatement(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	s.AddFault(Fault{SQL: "FROM Resource WHERE ResourceId = @p1", Delay: 10 * time.Second})
	db := openClient(t, addr, "")
	db.SetMaxOpenConns(1) // the cancelled connection must serve the next query
	// A cancel, not a deadline: go-mssqldb drops a connection after
	// context.DeadlineExceeded (it is a net.Error) but keeps it after Canceled.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	var user string
	err := db.QueryRowContext(ctx, "SELECT UserAtHost FROM Resource WHERE ResourceId = @p1", 1001).Scan(&user)
	if err == nil {
		t.Fatal("slow query was not cancelled")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("cancel took %v", d)
	}
	if err := db.QueryRowContext(ctxT(t), "SELECT UserAtHost FROM Resource WHERE UserAtHost = @p1", "bob@foo.com").Scan(&user); err != nil || user != "bob@foo.com" {
		t.Fatalf("connection after cancel: %q %v", user, err)
	}
	if s.Stats().Connections.Load() != 1 {
		t.Errorf("%d connections, want the same one reused", s.Stats().Connections.Load())
	}
}

func TestConcurrentConnections(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	db.SetMaxOpenConns(24)
	db.SetMaxIdleConns(24)
	var wg sync.WaitGroup
	// held is a barrier: every goroutine holds its connection until all 24
	// are open, so that none goes back to the pool and is handed out again
	// (which made this test see 22 connections now and then).
	var held sync.WaitGroup
	held.Add(24)
	errs := make(chan error, 24)
	for w := 0; w < 24; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := db.Conn(ctxT(t))
			held.Done()
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			held.Wait()
			for i := 0; i < 40; i++ {
				var n int
				if err := conn.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM Contact WHERE OwnerId = @p1", 1001+i%6).Scan(&n); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c := s.Stats().Connections.Load(); c != 24 {
		t.Errorf("%d connections, want 24", c)
	}
}

func TestConcurrentWritersWait(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	a, b := openClient(t, addr, ""), openClient(t, addr, "")
	ctx := ctxT(t)
	txA, err := a.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := txA.ExecContext(ctx, "DELETE FROM Contact WHERE OwnerId = @p1", 1001); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { // B waits for A's write lock (busy_timeout), then goes on without error
		txB, err := b.BeginTx(ctx, nil)
		if err == nil {
			_, err = txB.ExecContext(ctx, "DELETE FROM Contact WHERE OwnerId = @p1", 1002)
		}
		if err == nil {
			err = txB.Commit()
		}
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	if err := txA.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("second writer: %v", err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM Contact WHERE OwnerId IN (1001, 1002)"); n != 0 {
		t.Errorf("%d rows left", n)
	}
}

func TestBusyBecomesDeadlock1205(t *testing.T) {
	s, err := Open(Options{Schema: "lync2013", DBPath: t.TempDir() + "/rtc.sqlite", Password: testPassword, BusyTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	addr, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a, b := openClient(t, addr, ""), openClient(t, addr, "")
	ctx := ctxT(t)
	txA, err := a.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer txA.Rollback()
	_, err = b.BeginTx(ctx, nil)
	e := mssqlError(t, err, ErrDeadlock)
	if !strings.Contains(e.Message, "deadlock victim") {
		t.Errorf("message %q", e.Message)
	}
	_, err = b.ExecContext(ctx, "DELETE FROM Contact WHERE OwnerId = 1")
	mssqlError(t, err, ErrDeadlock)
}

func TestInjectedDeadlockRollsBackTransaction(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	s.AddFault(Fault{SQL: "DELETE FROM Delegate", Err: &Error{Number: ErrDeadlock}, Times: 1})
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	tx, _ := db.BeginTx(ctx, nil)
	if _, err := tx.ExecContext(ctx, "DELETE FROM Contact WHERE OwnerId = @p1", 1001); err != nil {
		t.Fatal(err)
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM Delegate WHERE OwnerId = @p1", 1001)
	mssqlError(t, err, ErrDeadlock)
	if err := tx.Rollback(); err != nil { // the server already rolled back; the driver knows from ENVCHANGE 10
		t.Errorf("rollback after 1205: %v", err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM Contact WHERE OwnerId = 1001"); n != 4 {
		t.Errorf("1205 left the transaction's work: %d Contact rows, want 4", n)
	}
	// The retry succeeds (the fault fired once).
	tx, _ = db.BeginTx(ctx, nil)
	if _, err := tx.ExecContext(ctx, "DELETE FROM Delegate WHERE OwnerId = @p1", 1001); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// What a backup reads back can be written again: go-mssqldb returns a
// uniqueidentifier as 16 bytes, and SQL Server converts them on INSERT.
func TestRoundTripOfReadValues(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	before := s.mustDump(t)
	for _, table := range []string{"UserPolicy", "PUIDDirectory", "RtcItem", "PromptedSubscriber", "PublishedInstance", "Contact"} {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var all [][]any
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			all = append(all, vals)
		}
		rows.Close()
		if _, err := db.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			t.Fatal(err)
		}
		marks := make([]string, len(cols))
		for i := range marks {
			marks[i] = "@p" + strconv.Itoa(i+1)
		}
		for _, vals := range all {
			if _, err := db.ExecContext(ctx, "INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES ("+strings.Join(marks, ", ")+")", vals...); err != nil {
				t.Fatalf("re-insert into %s %v: %v", table, vals, err)
			}
		}
	}
	if after := s.mustDump(t); !reflect.DeepEqual(before, after) {
		for table := range before {
			if !reflect.DeepEqual(before[table], after[table]) {
				t.Errorf("%s changed by the round trip:\n%v\n%v", table, before[table], after[table])
			}
		}
	}
	var device string
	s.SQLite().QueryRow("SELECT DeviceId FROM PUIDDirectory WHERE ResourceId = 1004").Scan(&device)
	if device != "0E984725-C51C-4BF4-9960-E1C80E27ABA0" {
		t.Errorf("GUID stored as %q", device)
	}
}

func (s *Server) mustDump(t *testing.T) map[string][]Row {
	d, err := s.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Statements of the subset that the other tests do not run, executed for real.
func TestSubsetStatementsRun(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	exec := func(q string, args ...any) int64 {
		t.Helper()
		res, err := db.ExecContext(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		n, _ := res.RowsAffected()
		return n
	}
	if n := exec("DELETE a FROM ContactGroupAssoc a JOIN Resource r ON r.ResourceId = a.OwnerId WHERE r.UserAtHost = @p1", "ANN@foo.com"); n != 5 {
		t.Errorf("DELETE … FROM … JOIN removed %d rows, want 5", n)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM ContactGroupAssoc WHERE OwnerId = 1001"); n != 0 {
		t.Errorf("%d rows left", n)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM ContactGroupAssoc"); n != 6 {
		t.Errorf("other users' rows: %d, want 6", n)
	}
	insertIfMissing := "INSERT INTO Contact (OwnerId, BuddyId, DisplayName) SELECT @p1, @p2, @p3 WHERE NOT EXISTS (SELECT 1 FROM Contact WHERE OwnerId = @p1 AND BuddyId = @p2)"
	if n := exec(insertIfMissing, 1005, 1001, "Ann"); n != 1 {
		t.Errorf("first insert-if-missing: %d", n)
	}
	if n := exec(insertIfMissing, 1005, 1001, "Ann"); n != 0 {
		t.Errorf("second insert-if-missing: %d", n)
	}
	if n := exec("UPDATE Contact SET DisplayName = @p1 WHERE OwnerId = @p2", "A", 1005); n != 1 {
		t.Errorf("UPDATE: %d", n)
	}
	var owner, cnt int
	if err := db.QueryRowContext(ctx, `SELECT TOP 1 OwnerId, COUNT(*) AS n FROM Contact WHERE OwnerId IN (SELECT TOP 3 ResourceId FROM Resource ORDER BY ResourceId)
		GROUP BY OwnerId HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, OwnerId`).Scan(&owner, &cnt); err != nil || owner != 1001 || cnt != 4 {
		t.Errorf("group by: %d %d %v", owner, cnt, err)
	}
	var version, dbName, now string
	var spid, trancount int
	if err := db.QueryRowContext(ctx, "SELECT @@VERSION, DB_NAME(), @@SPID, @@TRANCOUNT, GETDATE()").Scan(&version, &dbName, &spid, &trancount, &now); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(version, "Microsoft SQL Server") || dbName != "rtc" || spid < 50 || trancount != 0 || len(now) < 19 {
		t.Errorf("system values %q %q %d %d %q", version, dbName, spid, trancount, now)
	}
	var name sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT ISNULL(DisplayName, N'(none)') FROM Contact WHERE OwnerId = 1001 AND BuddyId = 1003").Scan(&name); err != nil || name.String != "(none)" {
		t.Errorf("ISNULL: %v %v", name, err)
	}
}
