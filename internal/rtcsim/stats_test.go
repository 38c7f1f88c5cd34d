package rtcsim

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
)

// syncBuffer is a bytes.Buffer the server writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

// The counters a benchmark reads (round trips, rows written) and the
// statement log that proves a read-only command wrote nothing.
func TestStatsAndStatementLog(t *testing.T) {
	var jsonLog syncBuffer
	s, err := Open(Options{Schema: "lync2013", DBPath: filepath.Join(t.TempDir(), "rtc.sqlite"), Password: testPassword,
		KeepStatements: 100, StatementLog: &jsonLog})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SeedFile(context.Background(), filepath.Join("..", "..", "testdata", "rtc", "sample.sql")); err != nil {
		t.Fatal(err)
	}
	addr, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	db := openClient(t, addr, "")
	db.SetMaxOpenConns(1)
	ctx := ctxT(t)
	if err := db.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	start := s.Stats().Snapshot()

	// A read-only client: a batch, sp_executesql, a read in a transaction, a refused statement.
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM Contact").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM Contact WHERE OwnerId = @p1", 1001).Scan(&n); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM Resource WHERE ResourceId = @p1", 1001).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "MERGE Contact USING Resource ON 1 = 1 WHEN MATCHED THEN DELETE"); err == nil {
		t.Fatal("MERGE accepted")
	}
	read := s.Stats().Snapshot().Sub(start)
	if want := (StatsSnapshot{Requests: 6, Batches: 2, RPCs: 2, TransMgr: 2, Errors: 1}); read != want {
		t.Errorf("read-only client: %+v, want %+v", read, want)
	}

	// Writes move the counters, whether or not they change a row.
	mid := s.Stats().Snapshot()
	if _, err := db.ExecContext(ctx, "DELETE FROM ContactGroupAssoc WHERE OwnerId = @p1 AND BuddyId = @p2", 1001, 1002); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM Contact WHERE OwnerId = 9999"); err != nil {
		t.Fatal(err)
	}
	var rs mssql.ReturnStatus
	if _, err := db.ExecContext(ctx, "dbo.RtcpDeleteConferenceParticipantByEnterpriseId", 1001, &rs); err != nil {
		t.Fatal(err)
	}
	wrote := s.Stats().Snapshot().Sub(mid)
	if want := (StatsSnapshot{Requests: 3, Batches: 1, RPCs: 2, WriteRequests: 3, RowsWritten: 3}); wrote != want {
		t.Errorf("writes: %+v, want %+v", wrote, want)
	}

	all, dropped := s.Statements()
	var got []string
	for _, st := range all {
		got = append(got, fmt.Sprintf("%s %s write=%v rows=%d written=%d error=%d params=%d %s", st.Kind, st.Verb, st.Write, st.Rows, st.Written, st.Error, st.Params, st.Text))
		if st.SPID == 0 || st.Time.IsZero() {
			t.Errorf("statement %+v lacks its spid or time", st)
		}
	}
	want := []string{
		"batch SELECT write=false rows=1 written=0 error=0 params=0 SELECT COUNT(*) FROM Contact",
		"sp_executesql SELECT write=false rows=1 written=0 error=0 params=1 SELECT COUNT(*) FROM Contact WHERE OwnerId = @p1",
		"transaction BEGIN write=false rows=0 written=0 error=0 params=0 BEGIN",
		"sp_executesql SELECT write=false rows=1 written=0 error=0 params=1 SELECT COUNT(*) FROM Resource WHERE ResourceId = @p1",
		"transaction COMMIT write=false rows=0 written=0 error=0 params=0 COMMIT",
		"batch  write=false rows=0 written=0 error=156 params=0 MERGE Contact USING Resource ON 1 = 1 WHEN MATCHED THEN DELETE",
		"sp_executesql DELETE write=true rows=2 written=2 error=0 params=2 DELETE FROM ContactGroupAssoc WHERE OwnerId = @p1 AND BuddyId = @p2",
		"batch DELETE write=true rows=0 written=0 error=0 params=0 DELETE FROM Contact WHERE OwnerId = 9999",
		"rpc EXEC write=true rows=1 written=1 error=0 params=1 dbo.RtcpDeleteConferenceParticipantByEnterpriseId",
	}
	if dropped != 0 || len(got) < len(want) || !reflect.DeepEqual(got[len(got)-len(want):], want) {
		t.Errorf("statement log (%d dropped)\n got %s\nwant %s", dropped, strings.Join(got, "\n    "), strings.Join(want, "\n    "))
	}
	// The same requests as JSON lines.
	var lines []Statement
	sc := bufio.NewScanner(strings.NewReader(jsonLog.String()))
	for sc.Scan() {
		var st Statement
		if err := json.Unmarshal(sc.Bytes(), &st); err != nil {
			t.Fatalf("JSON line %q: %v", sc.Text(), err)
		}
		lines = append(lines, st)
	}
	if len(lines) != len(all) || lines[len(lines)-1].Text != all[len(all)-1].Text || !lines[len(lines)-1].Write {
		t.Errorf("%d JSON lines for %d statements; last %+v", len(lines), len(all), lines[len(lines)-1])
	}
	var rec StatsRecord
	var buf bytes.Buffer
	s.WriteStats(&buf)
	s.WriteStats(&buf)
	dec := json.NewDecoder(&buf)
	dec.Decode(&rec)
	first := rec.Seq
	if err := dec.Decode(&rec); err != nil || rec.Seq != first+1 || rec.RowsWritten != 3 || time.Since(rec.Time) > time.Minute {
		t.Errorf("stats record %+v, %v", rec, err)
	}
}

// The in-memory log keeps the newest requests within its bound.
func TestStatementLogBound(t *testing.T) {
	l := newStatementLog(8, nil)
	for i := 0; i < 20; i++ {
		l.add(Statement{Rows: int64(i)})
	}
	if len(l.entries) > 8 || l.entries[len(l.entries)-1].Rows != 19 || l.dropped+int64(len(l.entries)) != 20 {
		t.Errorf("%d entries, last %d, dropped %d", len(l.entries), l.entries[len(l.entries)-1].Rows, l.dropped)
	}
	if newStatementLog(0, nil) != nil {
		t.Error("a log with nowhere to go was made")
	}
}
