package exportcontacts

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// faultRun is an rtc run of the SIP users file on a server the test can break.
func faultRun(t *testing.T, schema string) (Config, *rtcsim.Server) {
	t.Helper()
	cfg, rtc := rtcRun(t, schema, writeUsers(t, sipUsersFile))
	return cfg, rtc.Server
}

// The contacts statement on the first column list of SPEC 7: enough of it to
// match in a Fault and nowhere else.
const contactsStmt = "FROM Contact c"

// A deadlock victim (1205) is read again once: nothing is lost.
func TestRTCDeadlockRetried(t *testing.T) {
	forSchemas(t, func(t *testing.T, schema string) {
		cfg, srv := faultRun(t, schema)
		srv.AddFault(rtcsim.Fault{SQL: contactsStmt, Err: &rtcsim.Error{Number: 1205, Class: 13, Message: "Transaction was deadlocked"}, Times: 1})
		r := runExport(t, cfg)
		if r.code != 1 || r.summary.Processed != 3 || r.summary.Errors != 0 {
			t.Fatalf("exit %d, summary %+v\n%s", r.code, r.summary, r.log)
		}
		if !strings.Contains(r.log, "[WARN]  Reading the contacts of 5 users from") || !strings.Contains(r.log, "trying once more") {
			t.Errorf("log lacks the retry:\n%s", r.log)
		}
	})
}

// A statement that keeps failing while the server answers: that chunk's users
// are errors with the reason, the run goes on and ends with exit 1.
func TestRTCReadErrorIsUserError(t *testing.T) {
	forSchemas(t, func(t *testing.T, schema string) {
		cfg, srv := faultRun(t, schema)
		srv.AddFault(rtcsim.Fault{SQL: contactsStmt, Err: &rtcsim.Error{Number: 229, Class: 14, Message: "The SELECT permission was denied on the object 'Contact'"}})
		r := runExport(t, cfg)
		if r.code != 1 {
			t.Fatalf("exit %d\n%s", r.code, r.log)
		}
		if d := r.record(t, e2eUser("ann")); d.Outcome != result.Error || !strings.Contains(d.Detail, "SELECT permission was denied") {
			t.Errorf("ann: %+v", d)
		}
		if r.summary.Errors != 5 || r.summary.Processed != 0 {
			t.Errorf("summary %+v: the 5 users AD let through should be errors", r.summary)
		}
		absent(t, r.dir, RejectsPrefix)
		if recs := readCSV(t, file(t, r.dir, ContactsPrefix, ".csv")); len(recs) != 1 {
			t.Errorf("CSV holds %d records, want the header only", len(recs))
		}
	})
}

// The server goes away mid-run and does not come back: exit 3, the users not
// read are not_attempted, and no CSV is left without a user in it.
func TestRTCServerLost(t *testing.T) {
	forSchemas(t, func(t *testing.T, schema string) {
		cfg, srv := faultRun(t, schema)
		srv.AddFault(rtcsim.Fault{SQL: contactsStmt, Delay: 5 * time.Second})
		go func() {
			time.Sleep(300 * time.Millisecond)
			srv.Close()
		}()
		r := runExport(t, cfg)
		if r.code != 3 {
			t.Fatalf("exit %d, want 3\n%s", r.code, r.log)
		}
		if r.summary.NotAttempted != 5 || r.summary.Processed != 0 {
			t.Errorf("summary %+v", r.summary)
		}
		if !strings.Contains(r.log, "lost and not regained") {
			t.Errorf("log:\n%s", r.log)
		}
		absent(t, r.dir, ContactsPrefix, RejectsPrefix, UserListPrefix)
	})
}

// Ctrl-C: the chunk in flight finishes and is written, the rest is not attempted,
// exit 130; the user list holds exactly the users whose rows are in the CSV.
func TestRTCInterrupted(t *testing.T) {
	forSchemas(t, func(t *testing.T, schema string) {
		cfg, srv := faultRun(t, schema)
		defer func(n int) { ownersPerQuery = n }(ownersPerQuery)
		ownersPerQuery = 2
		cfg.Common.Workers = 1
		cfg.Common.LogLevel = "debug" // the log says when the first chunk's contacts are asked for
		srv.AddFault(rtcsim.Fault{SQL: contactsStmt, Delay: 700 * time.Millisecond, Times: 1})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		logPath := filepath.Join(cfg.Common.LogDir, "ExportContactsLog"+stamp+".txt")
		go func() {
			defer cancel()
			for range 1000 { // AD is done and the first chunk (ann, bob) is in flight
				if b, _ := os.ReadFile(logPath); strings.Contains(string(b), "SQL is [SELECT c.OwnerId") {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}()
		r := runExportCtx(t, ctx, cfg)
		if r.code != 130 {
			t.Fatalf("exit %d, want 130\n%s", r.code, r.log)
		}
		if r.summary.Processed != 2 || r.summary.NotAttempted != 3 {
			t.Errorf("summary %+v, want ann and bob processed, dora eve fred not attempted", r.summary)
		}
		userListFeeds(t, file(t, r.dir, UserListPrefix, ".txt"), []string{e2eUser("ann"), e2eUser("bob")})
		if recs := readCSV(t, file(t, r.dir, ContactsPrefix, ".csv")); len(recs) != 1+len(annRows)+len(bobRows) {
			t.Errorf("CSV holds %d records", len(recs))
		}
	})
}

// The pause before a retry ends with the context (code review: a time.Sleep
// there ignored it): a stopped chunk neither waits nor reads again, and is not
// taken for a lost server.
func TestRTCRetryWaitEndsWithContext(t *testing.T) {
	rtc := startE2E(t, "lync2013")
	rtc.Server.AddFault(rtcsim.Fault{SQL: contactsStmt, Err: &rtcsim.Error{Number: 1205, Class: 13, Message: "Transaction was deadlocked"}})
	db, err := rtcclient.Open(context.Background(), *sqlConfig(rtc), rtc.Addr, runlog.New(io.Discard, runlog.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log := &lockedText{}
	j := &job{log: runlog.New(log, runlog.Options{Level: runlog.LevelDebug})}
	defer func(d time.Duration) { retryDelay = d }(retryDelay)
	retryDelay = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	go func() { // cancel once the first read has failed and the wait began
		for !strings.Contains(log.String(), "trying once more") {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	done := make(chan chunkOut, 1)
	go func() {
		done <- j.rtcChunk(ctx, &rtcSource{db: db, log: j.log}, []target{{uri: e2eUser("ann")}}, false)
	}()
	select {
	case out := <-done:
		// Stopped: no user reported (they end not_attempted), no lost server
		// (j has no session: a Stop would panic and make the users errors).
		if len(out.users) != 0 {
			t.Errorf("chunk %+v: want it stopped by the context", out)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the retry waited out its delay after the context ended")
	}
}

// lockedText is a log writer the test may read while the job writes.
type lockedText struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedText) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedText) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
