package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
)

// RTCEnv is an in-process rtcsim server with a fresh SQLite database,
// standing in for a Lync/OCS rtc database in a test.
type RTCEnv struct {
	Addr     string // "127.0.0.1:port", what --sql-server takes
	Host     string
	Port     int
	User     string
	Password string // random per server unless RTCOptions set it
	Database string // "rtc"
	DBPath   string // the SQLite file, tables under their plain names
	Server   *rtcsim.Server
}

// RTC starts an rtcsim server on 127.0.0.1:0 with schema (a short name of
// rtcsim.SchemaNames — ocs2007, lync2010, lync2013, lync2013-evidence,
// lync2013-evidence-unsafe — or a .sql path) and runs the seeds: a bare name
// such as "sample" or "evidence-sample" is testdata/rtc/<name>.sql of this
// repository, anything else a path. The login is "sa" with a random
// password. The server stops when the test ends.
func RTC(t testing.TB, schema string, seeds ...string) RTCEnv {
	t.Helper()
	return RTCWith(t, schema, RTCOptions{}, seeds...)
}

// RTCOptions set what RTC otherwise chooses.
type RTCOptions struct {
	User     string // SQL login; default "sa"
	Password string // its password; default random per server. Servers given
	// the same User and Password are reached by one run with one login, as
	// the pools and front ends of one Lync deployment are.
}

// RTCWith is RTC with options.
func RTCWith(t testing.TB, schema string, o RTCOptions, seeds ...string) RTCEnv {
	t.Helper()
	if o.User == "" {
		o.User = "sa"
	}
	if o.Password == "" {
		pw := make([]byte, 12)
		if _, err := rand.Read(pw); err != nil {
			t.Fatal(err)
		}
		o.Password = "Rtc-" + hex.EncodeToString(pw)
	}
	e := RTCEnv{User: o.User, Password: o.Password, Database: "rtc", DBPath: filepath.Join(t.TempDir(), "rtc.sqlite")}
	srv, err := rtcsim.Open(rtcsim.Options{Schema: schema, DBPath: e.DBPath, User: e.User, Password: e.Password, Database: e.Database,
		KeepStatements: keepStatements})
	if err != nil {
		t.Fatalf("rtcsim: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, seed := range seeds {
		text, err := rtcsim.RTCFileText(seed)
		if err != nil {
			t.Fatalf("rtcsim seed: %v", err)
		}
		if err := srv.Seed(context.Background(), seed, text); err != nil {
			t.Fatalf("rtcsim: %v", err)
		}
	}
	addr, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatalf("rtcsim: %v", err)
	}
	e.Server, e.Addr = srv, addr.String()
	host, port, _ := net.SplitHostPort(e.Addr)
	e.Host = host
	e.Port, _ = strconv.Atoi(port)
	return e
}

// keepStatements bounds the statement log a test server keeps in memory.
const keepStatements = 100_000

// Stats returns the server's counters now: requests (round trips: SQL
// batches, RPCs, transaction requests), write requests and rows written.
// Subtract an earlier snapshot (Sub) to count what one step did; a
// read-only run leaves WriteRequests and RowsWritten where they were.
func (e RTCEnv) Stats() rtcsim.StatsSnapshot { return e.Server.Stats().Snapshot() }

// Statements returns every request the server served so far, oldest first
// (Kind, Verb, Text, Write, Rows, Written, Error). It keeps the last
// 100,000; the test fails if older ones were dropped.
func (e RTCEnv) Statements(t testing.TB) []rtcsim.Statement {
	t.Helper()
	st, dropped := e.Server.Statements()
	if dropped > 0 {
		t.Fatalf("rtcsim: %d older statements were dropped from the log (it keeps %d)", dropped, keepStatements)
	}
	return st
}

// DSN is a go-mssqldb connection string for the server (encryption off:
// rtcsim does not speak TLS), with extra "key=value" settings appended.
func (e RTCEnv) DSN(extra ...string) string {
	s := fmt.Sprintf("server=%s;port=%d;user id=%s;password=%s;database=%s;encrypt=disable", e.Host, e.Port, e.User, e.Password, e.Database)
	for _, x := range extra {
		s += ";" + x
	}
	return s
}

// DB opens a direct SQLite handle on the server's database, for assertions
// and dumps that must not go through the product's SQL. Closed at test end.
func (e RTCEnv) DB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+e.DBPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Dump returns every row of every rtc table, each table sorted by primary
// key (catalog tables excluded). Values are int64, float64, string, []byte
// or nil; dates are text.
func (e RTCEnv) Dump(t testing.TB) map[string][]rtcsim.Row {
	t.Helper()
	d, err := e.Server.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Populate adds generated users (see rtcsim.Population) in one SQLite
// transaction: thousands of users with contacts in well under a second.
func (e RTCEnv) Populate(t testing.TB, p rtcsim.Population) {
	t.Helper()
	if err := e.Server.Populate(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

// SeedUsers adds n users user<i>@bench.example.com with m contacts each.
func (e RTCEnv) SeedUsers(t testing.TB, n, m int) {
	t.Helper()
	e.Populate(t, rtcsim.Population{Users: n, Contacts: m})
}

// SeedFixture writes f (users, groups, contacts, group memberships, and
// optionally rows in every other user-keyed table) with each value in the
// type its column declares: the same fixture gives the reconstructed
// schemas nvarchar names and the evidence schema UTF-8 bytes in varbinary,
// so that tests can compare what the product makes of each.
//
//	for _, schema := range []string{"lync2013", "lync2013-evidence"} {
//		env := testenv.RTC(t, schema)
//		env.SeedFixture(t, fx)
//		…
//	}
func (e RTCEnv) SeedFixture(t testing.TB, f rtcsim.Fixture) {
	t.Helper()
	if err := e.Server.LoadFixture(context.Background(), f); err != nil {
		t.Fatalf("rtcsim: %v", err)
	}
}

// DumpRestorable is Dump without the rowversion (timestamp) columns: the
// values no restore can give back, since the server writes them anew on
// every INSERT (SQL Server refuses them, error 273). Compare a database
// before a delete with the one after its undo through it.
func (e RTCEnv) DumpRestorable(t testing.TB) map[string][]rtcsim.Row {
	t.Helper()
	d := e.Dump(t)
	for _, tab := range e.Server.Schema().Tables {
		for _, c := range tab.Columns {
			if c.RowVersion() {
				for _, r := range d[tab.Name] {
					delete(r, c.Name)
				}
			}
		}
	}
	return d
}

// Fault installs a server fault (deadlock, failing procedure, delay) for
// the rest of the test.
func (e RTCEnv) Fault(t testing.TB, f rtcsim.Fault) {
	t.Cleanup(e.Server.AddFault(f))
}

// ClosedAddr is a loopback "127.0.0.1:port" nothing listens on: a client
// that connects to it is refused at once.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
