package rtcsim

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
)

const testPassword = "Rtc-Test-Passw0rd"

// startServer starts a server on 127.0.0.1:0 with a fresh database and the
// given seed files from testdata/rtc.
func startServer(t testing.TB, schema string, seeds ...string) (*Server, net.Addr) {
	t.Helper()
	s, err := Open(Options{Schema: schema, DBPath: filepath.Join(t.TempDir(), "rtc.sqlite"), Password: testPassword, BusyTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, seed := range seeds {
		if err := s.SeedFile(context.Background(), filepath.Join("..", "..", "testdata", "rtc", seed+".sql")); err != nil {
			t.Fatal(err)
		}
	}
	addr, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return s, addr
}

func dsn(addr net.Addr, extra string) string {
	host, port, _ := net.SplitHostPort(addr.String())
	return fmt.Sprintf("server=%s;port=%s;user id=sa;password=%s;database=rtc;encrypt=disable;%s", host, port, testPassword, extra)
}

// openClient opens the unmodified go-mssqldb driver on addr.
func openClient(t testing.TB, addr net.Addr, extra string) *sql.DB {
	t.Helper()
	return openClientDSN(t, dsn(addr, extra))
}

func openClientDSN(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	c, err := mssql.NewConnector(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })
	return db
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// mssqlError asserts that err is a go-mssqldb error with the given number.
func mssqlError(t testing.TB, err error, number int32) mssql.Error {
	t.Helper()
	var e mssql.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an mssql.Error", err, err)
	}
	if e.Number != number {
		t.Fatalf("error %d %q, want %d", e.Number, e.Message, number)
	}
	return e
}

func countRows(t testing.TB, s *Server, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.SQLite().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
