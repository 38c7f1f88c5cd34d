package deleteaccount

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// outcome of one run of the job.
type outcome struct {
	code    int
	records []result.Record
	summary result.Summary
	log     string // the run log's text
	logDir  string
	stdout  string
	stderr  string
}

// byUser returns the records of a user (one per server).
func (o outcome) byUser(user string) []result.Record {
	var out []result.Record
	for _, r := range o.records {
		if strings.EqualFold(r.User, user) {
			out = append(out, r)
		}
	}
	return out
}

// sqlConfig reaches the given rtcsim servers with their SQL login.
func sqlConfig(envs ...rtcEnv) rtcclient.Config {
	c := rtcclient.Config{Auth: rtcclient.AuthSQL, User: envs[0].User}
	pw := envs[0].Password
	c.PasswordFunc = func() (string, error) { return pw, nil }
	for _, e := range envs {
		c.Servers = append(c.Servers, e.Addr)
	}
	return c
}

// usersFile writes an input file (CRLF, as Windows tools write them).
func usersFile(t testing.TB, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "users.txt")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// runJob runs the job with --json, a debug log in logDir ("" = a new one)
// and the given workers (0 = default).
func runJob(t testing.TB, cfg Config, logDir string, workers int) outcome {
	t.Helper()
	if logDir == "" {
		logDir = t.TempDir()
	}
	var stdout, stderr bytes.Buffer
	level := cfg.Common.LogLevel
	if level == "" {
		level = "debug"
	}
	var out io.Writer = &stdout
	if cfg.Common.Stdout != nil { // a test watching the JSON lines as they come
		out = io.MultiWriter(&stdout, cfg.Common.Stdout)
	}
	cfg.Common = run.Common{
		File: cfg.Common.File, LogLevel: level, LogDir: logDir, JSON: true, Workers: workers,
		Version: "test", Stdout: out, Stderr: &stderr,
	}
	if cfg.MaxUsers == 0 {
		cfg.MaxUsers = 5000
	}
	before, _ := filepath.Glob(filepath.Join(logDir, Tool+"Log*.txt"))
	o := outcome{code: Run(context.Background(), cfg), logDir: logDir, stdout: stdout.String(), stderr: stderr.String()}
	after, _ := filepath.Glob(filepath.Join(logDir, Tool+"Log*.txt"))
	for _, p := range after {
		if !contains(before, p) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			o.log = string(b)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, `{"summary"`) {
			var s result.SummaryObject
			if err := json.Unmarshal([]byte(line), &s); err != nil {
				t.Fatalf("summary line %q: %v", line, err)
			}
			o.summary = s.Summary
			continue
		}
		var r result.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("json line %q: %v", line, err)
		}
		o.records = append(o.records, r)
	}
	return o
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// backupFile is the backup a run left in its log folder.
func backupFile(t testing.TB, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, BackupPrefix+"*.jsonl"))
	if len(m) != 1 {
		t.Fatalf("backup files in %s: %v", dir, m)
	}
	return m[0]
}

// dump is a full copy of every table, rows as canonical text.
type dump map[string][]rtcsim.Row

func takeDump(t testing.TB, e rtcEnv) dump {
	t.Helper()
	d, err := e.Server.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func rowText(r rtcsim.Row) string {
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v;", k, r[k])
	}
	return b.String()
}

func (d dump) texts(table string) []string {
	var out []string
	for _, r := range d[table] {
		out = append(out, rowText(r))
	}
	sort.Strings(out)
	return out
}

// without is d minus the rows owned by the given users (Resource rows stay),
// and the number of rows removed per table.
func (d dump) without(ids ...int) (dump, map[string]int64) {
	out := dump{}
	removed := map[string]int64{}
	for table, rows := range d {
		out[table] = []rtcsim.Row{}
		for _, r := range rows {
			if slices.ContainsFunc(ids, func(id int) bool { return ownedBy(table, r, int64(id)) }) {
				removed[table]++
				continue
			}
			out[table] = append(out[table], r)
		}
	}
	return out, removed
}

// sameDump reports every table where got and want differ.
func sameDump(t testing.TB, what string, got, want dump) {
	t.Helper()
	tables := map[string]bool{}
	for k := range got {
		tables[k] = true
	}
	for k := range want {
		tables[k] = true
	}
	for table := range tables {
		g, w := got.texts(table), want.texts(table)
		if strings.Join(g, "\n") != strings.Join(w, "\n") {
			t.Errorf("%s: table %s differs\n got %d rows: %s\nwant %d rows: %s", what, table, len(g), strings.Join(g, "\n  "), len(w), strings.Join(w, "\n  "))
		}
	}
}
