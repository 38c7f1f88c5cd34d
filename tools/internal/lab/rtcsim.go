package lab

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
)

// RTC is an rtcsim subprocess (cmd/rtcsim): the product reaches it over TCP as it reaches a
// real SQL Server.
type RTC struct {
	Addr     string // 127.0.0.1:port
	User     string
	Password string
	DB       string // its SQLite file (kept after it stops, for inspection)
	cmd      *exec.Cmd
	exited   chan error // its Wait result, once
	logPath  string

	StatsPath     string // its --stats file (LogDir/rtcsim-stats.json)
	StatementPath string // its --statement-log (LogDir/rtcsim-statements.jsonl) when RTCOptions.StatementLog
}

// RTCOptions start an rtcsim.
type RTCOptions struct {
	Binary   string   // built cmd/rtcsim
	Schema   string   // a short name (lync2013, lync2013-evidence, …: rtcsim.SchemaNames) or a .sql file
	DB       string   // SQLite file; an existing one is served as it is
	Seeds    []string // seeds applied when the database is created: bare names of testdata/rtc (sample) or .sql files
	Password string
	LogDir   string // rtcsim's output goes to LogDir/rtcsim.log, its counters to LogDir/rtcsim-stats.json
	// StatementLog also writes every request to LogDir/rtcsim-statements.jsonl (it costs a write per request).
	StatementLog bool
}

// StartRTC starts rtcsim on a free loopback port and waits until it accepts connections.
func StartRTC(o RTCOptions) (*RTC, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	r := &RTC{Addr: fmt.Sprintf("127.0.0.1:%d", port), User: "sa", Password: o.Password, DB: o.DB,
		logPath: filepath.Join(o.LogDir, "rtcsim.log"), StatsPath: filepath.Join(o.LogDir, "rtcsim-stats.json")}
	// A record left by an earlier rtcsim in the same folder has a higher seq
	// than this one's first: Stats would wait for it in vain.
	if err := os.Remove(r.StatsPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	args := []string{"--listen", r.Addr, "--schema", o.Schema, "--db", o.DB, "--user", r.User, "--stats", r.StatsPath}
	if o.StatementLog {
		r.StatementPath = filepath.Join(o.LogDir, "rtcsim-statements.jsonl")
		args = append(args, "--statement-log", r.StatementPath)
	}
	for _, s := range o.Seeds {
		args = append(args, "--seed", s)
	}
	r.cmd = exec.Command(o.Binary, args...)
	// the test server's password travels in its environment, like the product's
	r.cmd.Env = append(os.Environ(), "RTCSIM_PASSWORD="+o.Password)
	logf, err := os.Create(r.logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	r.cmd.Stdout, r.cmd.Stderr = logf, logf
	if err := r.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start rtcsim: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- r.cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", r.Addr, time.Second)
		if err == nil {
			c.Close()
			r.exited = exited
			return r, nil
		}
		select {
		case werr := <-exited:
			b, _ := os.ReadFile(r.logPath)
			return nil, fmt.Errorf("rtcsim exited before listening (%v):\n%s", werr, Tail(string(b), 20))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			r.exited = exited
			r.Stop()
			return nil, errors.New("rtcsim: not listening after 60 s; see " + r.logPath)
		}
	}
}

// Stop ends the rtcsim this process started (SIGTERM to its PID, then SIGKILL after 10 s).
func (r *RTC) Stop() error {
	if r == nil || r.cmd == nil || r.cmd.Process == nil {
		return nil
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(10 * time.Second):
		_ = r.cmd.Process.Kill()
		<-r.exited
	}
	r.cmd = nil
	return nil
}

// Stats asks the running rtcsim for its counters (SIGUSR1 makes it rewrite its --stats file) and
// returns them: Requests counts every round trip (SQL batches, RPCs, transaction requests),
// WriteRequests and RowsWritten what was written. Subtract two (Sub) to measure one step.
func (r *RTC) Stats() (rtcsim.StatsSnapshot, error) {
	if r == nil || r.cmd == nil || r.cmd.Process == nil {
		return rtcsim.StatsSnapshot{}, errors.New("rtcsim: not running")
	}
	before, _ := r.readStats()
	if err := askStats(r.cmd.Process); err != nil {
		return rtcsim.StatsSnapshot{}, err
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if rec, err := r.readStats(); err == nil && rec.Seq > before.Seq {
			return rec.StatsSnapshot, nil
		}
	}
	return rtcsim.StatsSnapshot{}, fmt.Errorf("rtcsim: no new counters in %s after 10 s", r.StatsPath)
}

// FinalStats returns the counters rtcsim wrote when it stopped (after Stop).
func (r *RTC) FinalStats() (rtcsim.StatsSnapshot, error) {
	rec, err := r.readStats()
	return rec.StatsSnapshot, err
}

func (r *RTC) readStats() (rtcsim.StatsRecord, error) {
	var rec rtcsim.StatsRecord
	b, err := os.ReadFile(r.StatsPath)
	if err == nil {
		err = json.Unmarshal(b, &rec)
	}
	return rec, err
}

// DSN is a go-mssqldb connection string for the tools' own queries.
func (r *RTC) DSN() string {
	u := url.URL{Scheme: "sqlserver", User: url.UserPassword(r.User, r.Password), Host: r.Addr,
		RawQuery: "database=rtc&encrypt=disable"}
	return u.String()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
