package rtcsim

import (
	"context"
	"database/sql"
	"net"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
)

func TestWriteQueueFIFO(t *testing.T) {
	var q writeQueue
	ctx := context.Background()
	if !q.acquire(ctx, time.Second) {
		t.Fatal("free lock not taken")
	}
	const n = 5
	order := make(chan int, n)
	for i := range n {
		go func() {
			if q.acquire(ctx, 10*time.Second) {
				order <- i
				q.release()
			}
		}()
		// the i-th waiter is queued before the next one starts
		waitFor(t, func() bool { q.mu.Lock(); defer q.mu.Unlock(); return len(q.waiters) == i+1 })
	}
	q.release()
	for want := range n {
		if got := <-order; got != want {
			t.Fatalf("waiter %d got the lock in turn %d", got, want)
		}
	}
	if q.held {
		t.Error("lock still held after the last release")
	}
}

func TestWriteQueueGiveUp(t *testing.T) {
	var q writeQueue
	q.acquire(context.Background(), time.Second)
	if q.acquire(context.Background(), 20*time.Millisecond) {
		t.Fatal("a held lock was taken")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if q.acquire(ctx, time.Second) {
		t.Fatal("a cancelled waiter took the lock")
	}
	if len(q.waiters) != 0 {
		t.Fatalf("%d waiters left behind", len(q.waiters))
	}
	q.release()
	if !q.acquire(context.Background(), 20*time.Millisecond) {
		t.Fatal("lock not free after the waiters gave up")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not reached")
}

// Every way a write ends gives the turn to the next client: with a short
// BusyTimeout, a turn kept by mistake would make the next BEGIN fail with 1205.
func TestWriteTurnReleased(t *testing.T) {
	s, err := Open(Options{Schema: "lync2013", DBPath: t.TempDir() + "/rtc.sqlite", Password: testPassword, BusyTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SeedFile(context.Background(), "../../testdata/rtc/sample.sql"); err != nil {
		t.Fatal(err)
	}
	addr, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.AddFault(Fault{SQL: "DELETE FROM Delegate", Err: &Error{Number: ErrDeadlock}, Times: 1})
	s.AddFault(Fault{Proc: "RtcpDeleteConferenceParticipantByEnterpriseId", Err: &Error{Number: 50000}, Times: 2})
	ctx := ctxT(t)
	other := openClient(t, addr, "")
	cases := []struct {
		name string
		end  func(db *sql.DB) // starts a write on db and ends it somehow
	}{
		{"commit", func(db *sql.DB) {
			tx, _ := db.BeginTx(ctx, nil)
			tx.ExecContext(ctx, "DELETE FROM Contact WHERE OwnerId = @p1", 1)
			tx.Commit()
		}},
		{"rollback", func(db *sql.DB) {
			tx, _ := db.BeginTx(ctx, nil)
			tx.ExecContext(ctx, "DELETE FROM Contact WHERE OwnerId = @p1", 1)
			tx.Rollback()
		}},
		{"deadlock 1205", func(db *sql.DB) {
			tx, _ := db.BeginTx(ctx, nil)
			tx.ExecContext(ctx, "DELETE FROM Delegate WHERE OwnerId = @p1", 1)
			tx.Rollback()
		}},
		{"autocommit statement", func(db *sql.DB) { db.ExecContext(ctx, "DELETE FROM Contact WHERE OwnerId = @p1", 1) }},
		{"failing procedure outside a transaction", func(db *sql.DB) {
			db.ExecContext(ctx, "RtcpDeleteConferenceParticipantByEnterpriseId", 1)
		}},
		{"failing procedure in a transaction", func(db *sql.DB) {
			tx, _ := db.BeginTx(ctx, nil)
			tx.ExecContext(ctx, "RtcpDeleteConferenceParticipantByEnterpriseId", 1)
			tx.Rollback()
		}},
		{"connection dropped mid-transaction", func(db *sql.DB) {
			var d dropDialer
			c, err := mssql.NewConnector(dsn(addr, ""))
			if err != nil {
				t.Fatal(err)
			}
			c.Dialer = &d
			db = sql.OpenDB(c)
			defer db.Close()
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			d.conn.Close() // the client vanishes holding the write turn
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.end(openClient(t, addr, ""))
			tx, err := other.BeginTx(ctx, nil)
			if err != nil {
				t.Fatalf("next writer: %v", err)
			}
			tx.Rollback()
		})
	}
}

// dropDialer keeps the client's TCP connection so that a test can cut it.
type dropDialer struct{ conn net.Conn }

func (d *dropDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	d.conn = c
	return c, err
}
