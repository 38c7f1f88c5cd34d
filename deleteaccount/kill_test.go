package deleteaccount

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
)

// The server dies mid-batch — a real kill of a cmd/rtcsim process, then a
// restart on the same database file: for every user the backup and the
// database agree (a user whose rows are gone has a begin record with those
// rows and no aborted record; a user whose rows are all there has none, or
// an aborted one, or one cut short before its COMMIT took), no user is half
// deleted, and --undo against the restarted server gives back the database
// as it was before the run.
func TestServerKilledMidBatch(t *testing.T) {
	ostest.SkipOnWindows(t, "builds and kills cmd/rtcsim with the go tool and POSIX signals, which the Windows test run under Wine does not have")
	bin := buildRTCSim(t)
	for _, schema := range []string{"lync2013", "lync2013-evidence"} {
		t.Run(schema, func(t *testing.T) { killedMidBatch(t, bin, schema) })
	}
}

func killedMidBatch(t *testing.T, bin, schema string) {
	const users = 160
	f := measuredFixture(users)
	var lines []string
	for _, u := range f.Users {
		lines = append(lines, "sip:"+u.UserAtHost)
	}
	dbPath := filepath.Join(t.TempDir(), "rtc.sqlite")
	before := dumpFile(t, schema, dbPath, &f)

	child := startRTCSimChild(t, bin, schema, dbPath, "")
	cfg := Config{SQL: sqlConfig(rtcEnv{Addr: child.addr, User: "sa", Password: child.password})}
	cfg.Common.File = usersFile(t, lines...)
	// Kill the server once 20 users are reported, with others in flight.
	cfg.Common.Stdout = &lineTrigger{at: 20, fn: child.kill}
	o := runJob(t, cfg, "", 4)
	if o.code != result.ExitFatal || o.summary.NotAttempted == 0 || o.summary.Processed >= users {
		t.Fatalf("the kill did not stop the run mid-batch: exit %d, summary %+v\n%s", o.code, o.summary, o.log)
	}
	after := dumpFile(t, schema, dbPath, nil)

	txns, aborted := backupStates(t, backupFile(t, o.logDir))
	processed := 0
	for _, u := range f.Users {
		id := int(u.ResourceID)
		_, owned := before.without(id)
		left := ownedLeft(after, id)
		gone := sumRows(left) == 0
		if !gone && fmt.Sprint(left) != fmt.Sprint(owned) {
			t.Errorf("user %d is half deleted: %v of %v left", id, left, owned)
			continue
		}
		tx, inBackup := txns[int64(id)]
		switch {
		case gone && !inBackup:
			t.Errorf("user %d: rows gone, but no restorable transaction in the backup (aborted: %v)", id, aborted[int64(id)])
		case gone:
			processed++
			got := map[string]int64{}
			for _, r := range tx.rows {
				got[r.Table]++
			}
			if fmt.Sprint(got) != fmt.Sprint(owned) {
				t.Errorf("user %d: the backup holds %v, the database lost %v", id, got, owned)
			}
		case inBackup && tx.committed:
			t.Errorf("user %d: committed in the backup, but its rows are all there", id)
		}
	}
	if processed < 20 {
		t.Errorf("only %d users deleted before the kill", processed)
	}
	t.Logf("killed after %d users were deleted; %d transactions to restore, %d users with an aborted one", processed, len(txns), len(aborted))

	// The server restarted where it was (the backup names it): --undo
	// restores exactly what was deleted.
	child = startRTCSimChild(t, bin, schema, dbPath, child.addr)
	undo := runJob(t, Config{SQL: sqlConfigNoServers(rtcEnv{Addr: child.addr, User: "sa", Password: child.password}), Undo: backupFile(t, o.logDir)}, "", 0)
	if undo.code != result.ExitOK {
		t.Fatalf("undo: exit %d\n%s", undo.code, undo.log)
	}
	child.stop()
	sameDump(t, "after --undo on the restarted server", dumpFile(t, schema, dbPath, nil), before)
}

// ownedLeft counts, per table, the rows a user owns in d (Resource aside).
func ownedLeft(d dump, id int) map[string]int64 {
	left := map[string]int64{}
	for table, rows := range d {
		for _, r := range rows {
			if ownedBy(table, r, int64(id)) {
				left[table]++
			}
		}
	}
	return left
}

// backupStates reads a backup: the transactions --undo restores by
// ResourceId (the last one per user), and the users with an aborted one.
func backupStates(t *testing.T, path string) (map[int64]*undoTxn, map[int64]bool) {
	t.Helper()
	txns, _, err := readBackup(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]*undoTxn{}
	for _, tx := range txns {
		out[tx.head.ResourceID] = tx
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	aborted := map[int64]bool{}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if strings.Contains(line, `"type":"aborted"`) {
			var id int64
			if i := strings.Index(line, `"resource_id":`); i >= 0 {
				fmt.Sscanf(line[i+len(`"resource_id":`):], "%d", &id)
			}
			aborted[id] = true
		}
	}
	return out, aborted
}

// dumpFile opens an rtcsim database file in process (creating it with the
// fixture when f is not nil), dumps it as measuredEnv does (no rowversion
// columns, datetimes on the tick grid) and closes it.
func dumpFile(t *testing.T, schema, path string, f *rtcsim.Fixture) dump {
	t.Helper()
	srv, err := rtcsim.Open(rtcsim.Options{Schema: schema, DBPath: path, User: "sa", Password: "unused-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if f != nil {
		if err := srv.LoadFixture(context.Background(), *f); err != nil {
			t.Fatal(err)
		}
	}
	d, err := srv.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tab := range srv.Schema().Tables {
		for _, c := range tab.Columns {
			if c.RowVersion() {
				for _, r := range d[tab.Name] {
					delete(r, c.Name)
				}
			}
		}
	}
	return onTickGrid(d)
}

// buildRTCSim builds cmd/rtcsim into the test's temporary folder.
func buildRTCSim(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "rtcsim")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/rtcsim")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/rtcsim: %v\n%s", err, out)
	}
	return bin
}

// rtcsimChild is a cmd/rtcsim process serving a database file.
type rtcsimChild struct {
	cmd      *exec.Cmd
	addr     string
	password string
	exited   chan struct{}
	once     sync.Once
}

// startRTCSimChild starts cmd/rtcsim on addr ("": a free port).
func startRTCSimChild(t *testing.T, bin, schema, dbPath, addr string) *rtcsimChild {
	t.Helper()
	if addr == "" {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr = l.Addr().String()
		l.Close()
	}
	c := &rtcsimChild{addr: addr, password: "Kill-test-1", exited: make(chan struct{})}
	c.cmd = exec.Command(bin, "--listen", addr, "--schema", schema, "--db", dbPath, "--user", "sa")
	c.cmd.Env = append(os.Environ(), "RTCSIM_PASSWORD="+c.password)
	var out strings.Builder
	c.cmd.Stdout, c.cmd.Stderr = &out, &out
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(c.kill)
	for deadline := time.Now().Add(30 * time.Second); ; {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			return c
		}
		select {
		case <-c.exited:
			t.Fatalf("rtcsim exited before listening:\n%s", out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("rtcsim not listening after 30 s:\n%s", out.String())
		}
	}
}

// kill ends the process at once (SIGKILL: no clean shutdown) and waits.
func (c *rtcsimChild) kill() {
	c.once.Do(func() {
		c.cmd.Process.Kill()
		<-c.exited
	})
}

// stop ends the process cleanly (SIGTERM) and waits.
func (c *rtcsimChild) stop() {
	c.once.Do(func() {
		c.cmd.Process.Signal(os.Interrupt)
		select {
		case <-c.exited:
		case <-time.After(10 * time.Second):
			c.cmd.Process.Kill()
			<-c.exited
		}
	})
}

// lineTrigger starts fn once, when the at-th line has been written to it.
type lineTrigger struct {
	mu    sync.Mutex
	lines int
	at    int
	fn    func()
	done  bool
}

func (w *lineTrigger) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lines += strings.Count(string(p), "\n")
	if w.lines >= w.at && !w.done {
		w.done = true
		go w.fn() // the run goes on meanwhile: the kill lands wherever the workers are
	}
	return len(p), nil
}
