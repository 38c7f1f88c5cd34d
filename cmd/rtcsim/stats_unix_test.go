//go:build !windows

package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
)

// What tools/bench reads from the standalone server: --stats on SIGUSR1 and
// at shutdown, --statement-log as JSON lines.
func TestStatsFileAndStatementLog(t *testing.T) {
	dir := t.TempDir()
	statsPath, logPath := filepath.Join(dir, "stats.json"), filepath.Join(dir, "statements.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr strings.Builder
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"--listen", "127.0.0.1:0", "--schema", "lync2013-evidence", "--seed", "evidence-sample",
			"--stats", statsPath, "--statement-log", logPath}, func(string) string { return "Demo-Passw0rd" }, pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no address printed: %v; stderr: %s", err, stderr.String())
	}
	go io.Copy(io.Discard, pr)
	var addr string
	fmt.Sscanf(line, "rtcsim listening on %s", &addr)
	host, port, _ := strings.Cut(addr, ":")
	c, err := mssql.NewConnector(fmt.Sprintf("server=%s;port=%s;user id=sa;password=Demo-Passw0rd;database=rtc;encrypt=disable", host, port))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM UserNote WHERE OwnerId = @p1", 1001).Scan(&n); err != nil || n != 2 {
		t.Fatalf("count %d, %v", n, err)
	}
	readStats := func() rtcsim.StatsRecord {
		t.Helper()
		var r rtcsim.StatsRecord
		b, err := os.ReadFile(statsPath)
		if err == nil {
			err = json.Unmarshal(b, &r)
		}
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return r
	}
	ask := func() rtcsim.StatsRecord {
		t.Helper()
		before := readStats().Seq
		if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if r := readStats(); r.Seq > before {
				return r
			}
		}
		t.Fatal("no new --stats record after SIGUSR1")
		return rtcsim.StatsRecord{}
	}
	r := ask()
	if r.Requests < 1 || r.WriteRequests != 0 || r.RowsWritten != 0 {
		t.Errorf("after a read: %+v", r)
	}
	if _, err := db.Exec("dbo.RtcpDeleteHomedResourceTransaction", 1001); err != nil {
		t.Fatal(err)
	}
	if r2 := ask(); r2.WriteRequests != 1 || r2.RowsWritten < 2 || r2.Requests != r.Requests+1 || r2.Seq != r.Seq+1 {
		t.Errorf("after the procedure: %+v (before %+v)", r2, r)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Fatalf("exit %d: %s", c, stderr.String())
	}
	if final := readStats(); final.Seq < 3 {
		t.Errorf("no record at shutdown: %+v", final)
	}
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	var last rtcsim.Statement
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || last.Kind != "rpc" || last.Verb != "EXEC" || !last.Write || last.Written < 2 {
		t.Errorf("last statement-log line %q: %+v %v", lines[len(lines)-1], last, err)
	}
}
