package run

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

var testStart = time.Date(2024, 3, 5, 14, 7, 9, 0, time.FixedZone("CET", 3600))

type testRun struct {
	s      *Session
	ctx    context.Context
	dir    string
	stdout *bytes.Buffer
	stderr *bytes.Buffer
}

func startTest(t testing.TB, ctx context.Context, mod func(*Options)) *testRun {
	t.Helper()
	tr := &testRun{dir: t.TempDir(), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	o := Options{
		Common: Common{
			File: "users.txt", LogLevel: "info", LogDir: tr.dir, JSON: true, Workers: 2,
			Settings: []runlog.Setting{{Name: "file", Value: "users.txt", Source: runlog.SourceFlag}},
			Version:  "1.0.0", Stdout: tr.stdout, Stderr: tr.stderr,
			Now: func() time.Time { return testStart },
		},
		Tool: "DisableAccount", Command: "disableaccount",
		BindIdentity: "admin@corp.local", Targets: []string{"ldaps://dc1:636"},
		Host: "WS01", OSUser: `CORP\admin`,
	}
	if mod != nil {
		mod(&o)
	}
	s, sctx, err := Start(ctx, o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Finish(nil) }) // never leave a signal handler behind
	tr.s, tr.ctx = s, sctx
	return tr
}

func (tr *testRun) logText(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(tr.s.LogPath())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// jsonLines splits stdout into records and the final summary object.
func (tr *testRun) jsonLines(t *testing.T) ([]result.Record, result.Summary) {
	t.Helper()
	var recs []result.Record
	var sum *result.Summary
	sc := bufio.NewScanner(bytes.NewReader(tr.stdout.Bytes()))
	for sc.Scan() {
		if sum != nil {
			t.Fatalf("line after the summary object: %s", sc.Text())
		}
		if strings.HasPrefix(sc.Text(), `{"summary":`) {
			var o result.SummaryObject
			if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
				t.Fatal(err)
			}
			sum = &o.Summary
			continue
		}
		var r result.Record
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("record %s: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	if sum == nil {
		t.Fatalf("no summary object in stdout:\n%s", tr.stdout)
	}
	return recs, *sum
}

// summaryBlock is the log's summary as the SPEC writes it.
func summaryBlock(lines ...string) string {
	var b strings.Builder
	for _, l := range append([]string{"Summary:"}, lines...) {
		b.WriteString("[INFO]  " + l + "\r\n")
	}
	return b.String()
}

func users(uris ...string) []result.Record {
	var rs []result.Record
	for i, u := range uris {
		rs = append(rs, result.Record{User: u, Line: i + 1})
	}
	return rs
}

func logFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*"))
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	return m
}
