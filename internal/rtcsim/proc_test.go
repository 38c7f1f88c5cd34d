package rtcsim

// database/sql refuses parameter names that do not start with a letter
// (sql.Named("_ResourceId", …)), so the rtc procedures, whose parameters are
// @_ResourceId-style, are called with positional arguments.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"
)

// changedTables returns the tables whose rows differ between two dumps.
func changedTables(before, after map[string][]Row) []string {
	var out []string
	for t := range before {
		if !reflect.DeepEqual(before[t], after[t]) {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

func dump(t *testing.T, s *Server) map[string][]Row {
	t.Helper()
	d, err := s.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeleteHomedResource(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	before := dump(t, s)
	var rs mssql.ReturnStatus
	res, err := db.ExecContext(ctx, "dbo.RtcpDeleteHomedResourceTransaction", (1001), &rs)
	if err != nil {
		t.Fatal(err)
	}
	if rs != 0 {
		t.Errorf("return status %d, want 0", rs)
	}
	// ann owns 5 ContactGroupAssoc, 4 Contact, 3 ContactGroup, 2 Container and 1 PublishedInstance rows.
	if n, _ := res.RowsAffected(); n != 15 {
		t.Errorf("RowsAffected %d, want 15", n)
	}
	after := dump(t, s)
	want := []string{"Contact", "ContactGroup", "ContactGroupAssoc", "Container", "PublishedInstance"}
	if got := changedTables(before, after); !reflect.DeepEqual(got, want) {
		t.Errorf("changed tables %v, want %v", got, want)
	}
	for table, rows := range after {
		for _, r := range rows {
			for _, col := range []string{"OwnerId", "PublisherId"} {
				if r[col] == int64(1001) && table != "CachedContainerMember" && table != "ContainerMemberUser" &&
					table != "PromptedSubscriber" && table != "Delegate" {
					t.Errorf("%s row of ann left: %v", table, r)
				}
			}
		}
	}
	// The Resource row stays, and so do other users' contacts naming ann.
	if n := countRows(t, s, "SELECT COUNT(*) FROM Resource WHERE ResourceId = 1001"); n != 1 {
		t.Error("Resource row deleted")
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM Contact WHERE BuddyId = 1001"); n != 3 {
		t.Errorf("%d contacts naming ann left, want 3 (bob's, dave's, Frank's)", n)
	}
	// A second call finds nothing left and still succeeds.
	res, err = db.ExecContext(ctx, "dbo.RtcpDeleteHomedResourceTransaction", (1001), &rs)
	if n, _ := res.RowsAffected(); err != nil || rs != 0 || n != 0 {
		t.Errorf("second call: status %d rows %d err %v", rs, n, err)
	}
}

func TestProcedureStatusAndArguments(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	before := dump(t, s)
	var rs mssql.ReturnStatus
	if _, err := db.ExecContext(ctx, "dbo.RtcpDeleteHomedResourceTransaction", (9999), &rs); err != nil {
		t.Fatal(err)
	}
	if rs != statusNoResource {
		t.Errorf("status %d for an unknown resource, want %d", rs, statusNoResource)
	}
	// Positional argument, bracketed three-part name.
	res, err := db.ExecContext(ctx, "[rtc].[dbo].[RtcpDeleteConferenceParticipantByEnterpriseId]", 1001, &rs)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 || rs != 0 {
		t.Errorf("conference participant: %d rows, status %d", n, rs)
	}
	if got := changedTables(before, dump(t, s)); !reflect.DeepEqual(got, []string{"ConferenceParticipant"}) {
		t.Errorf("changed %v", got)
	}
	for _, tc := range []struct {
		name   string
		args   []any
		number int32
	}{
		{"dbo.NoSuchProc", []any{1}, ErrProcNotFound},
		{"dbo.RtcpDeleteHomedResourceTransaction", nil, ErrParamMissing},
		{"dbo.RtcpDeleteHomedResourceTransaction", []any{sql.Named("ResourceId", 1)}, ErrParamNotDecl},
		{"dbo.RtcpDeleteHomedResourceTransaction", []any{"abc"}, 8114},
		{"dbo.RtcpDeleteHomedResourceTransaction", []any{1, 2}, 8144},
	} {
		t.Run(fmt.Sprint(tc.name, tc.args), func(t *testing.T) {
			_, err := db.ExecContext(ctx, tc.name, tc.args...)
			mssqlError(t, err, tc.number)
		})
	}
	// A string argument converts to the declared INT, as SQL Server converts it.
	res, err = db.ExecContext(ctx, "dbo.RtcpDeleteHomedResourceTransaction", ("1002"), &rs)
	if n, _ := res.RowsAffected(); err != nil || n == 0 {
		t.Errorf("string argument: %d rows, %v", n, err)
	}
}

func TestProcedureFailureRollsBack(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	s.HandleProc("dbo.RtcpDeleteConferenceParticipantByEnterpriseId", func(c *ProcCall) (int32, error) {
		if _, err := c.Exec(`DELETE FROM "Contact" WHERE "OwnerId" = ?`, c.Arg("_EnterpriseId")); err != nil {
			return 0, err
		}
		return 0, errors.New("boom")
	})
	before := dump(t, s)
	_, err := db.ExecContext(ctx, "dbo.RtcpDeleteConferenceParticipantByEnterpriseId", (1001))
	e := mssqlError(t, err, ErrUserDefined)
	if e.ProcName != "RtcpDeleteConferenceParticipantByEnterpriseId" || !strings.Contains(e.Message, "boom") {
		t.Errorf("error %+v", e)
	}
	if got := changedTables(before, dump(t, s)); got != nil {
		t.Errorf("a failed procedure changed %v", got)
	}

	// Inside a transaction: the failed call is undone, the transaction goes on.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM Delegate WHERE OwnerId = @p1", 1001); err != nil {
		t.Fatal(err)
	}
	_, err = tx.ExecContext(ctx, "dbo.RtcpDeleteConferenceParticipantByEnterpriseId", (1001))
	mssqlError(t, err, ErrUserDefined)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := changedTables(before, dump(t, s)); !reflect.DeepEqual(got, []string{"Delegate"}) {
		t.Errorf("changed %v, want only Delegate", got)
	}
}

func TestProcedureFaults(t *testing.T) {
	s, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	before := dump(t, s)

	// An error after the work: the work is undone.
	remove := s.AddFault(Fault{Proc: "RtcpDeleteHomedResourceTransaction", After: true, Err: &Error{Number: 547, Message: "injected"}})
	_, err := db.ExecContext(ctx, "dbo.RtcpDeleteHomedResourceTransaction", (1001))
	mssqlError(t, err, 547)
	if got := changedTables(before, dump(t, s)); got != nil {
		t.Errorf("changed %v after an injected error", got)
	}
	remove()

	// A non-zero status keeps the work, as SQL Server does: the caller rolls back.
	s.AddFault(Fault{Proc: "dbo.RtcpDeleteHomedResourceTransaction", Status: 5, Times: 1})
	tx, _ := db.BeginTx(ctx, nil)
	var rs mssql.ReturnStatus
	if _, err := tx.ExecContext(ctx, "dbo.RtcpDeleteHomedResourceTransaction", (1001), &rs); err != nil {
		t.Fatal(err)
	}
	if rs != 5 {
		t.Errorf("status %d, want 5", rs)
	}
	var n int
	tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM Contact WHERE OwnerId = 1001").Scan(&n)
	if n != 0 {
		t.Errorf("work of a non-zero-status call not visible in the transaction: %d rows", n)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := changedTables(before, dump(t, s)); got != nil {
		t.Errorf("changed %v after ROLLBACK", got)
	}
	// Times: 1 — the next call returns the handler's status.
	if _, err := db.ExecContext(ctx, "dbo.RtcpDeleteHomedResourceTransaction", (1001), &rs); err != nil || rs != 0 {
		t.Errorf("after the fault: status %d, %v", rs, err)
	}
}

// Every declared procedure of every schema changes only the tables it
// declares, and only rows keyed by its argument in one of the declared keys.
func TestProceduresTouchOnlyDeclaredTables(t *testing.T) {
	for _, name := range SchemaNames {
		t.Run(name, func(t *testing.T) {
			s, addr := startServer(t, name, sampleSeed(name))
			db := openClient(t, addr, "")
			for _, p := range s.Schema().Procs {
				before := dump(t, s)
				_, err := db.ExecContext(ctxT(t), "dbo."+p.Name, 1001)
				if strings.EqualFold(p.Name, "RtcDeleteResource") {
					mssqlError(t, err, ErrUserDefined) // never to be called: refused, nothing changed
				} else if err != nil {
					t.Fatalf("%s: %v", p.Name, err)
				}
				after := dump(t, s)
				declared := map[string][]string{}
				for _, tc := range p.Touches {
					declared[tc.Table] = append(declared[tc.Table], tc.Key)
				}
				for _, table := range changedTables(before, after) {
					keys, ok := declared[table]
					if !ok {
						t.Errorf("%s changed undeclared table %s", p.Name, table)
						continue
					}
					for _, r := range before[table] {
						keyed := false
						for _, k := range keys {
							keyed = keyed || r[k] == int64(1001)
						}
						if !keyed && !containsRow(after[table], r) {
							t.Errorf("%s deleted another user's %s row %v", p.Name, table, r)
						}
					}
				}
			}
		})
	}
}

// sampleSeed is the seed with sample.sql's users for a schema.
func sampleSeed(schema string) string {
	if strings.HasPrefix(schema, "lync2013-evidence") {
		return "evidence-sample"
	}
	return "sample"
}

func containsRow(rows []Row, r Row) bool {
	for _, x := range rows {
		if reflect.DeepEqual(x, r) {
			return true
		}
	}
	return false
}
