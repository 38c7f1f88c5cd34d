package rtcsim

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
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
	c, err := mssql.NewConnector(dsn(addr, extra))
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

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}
