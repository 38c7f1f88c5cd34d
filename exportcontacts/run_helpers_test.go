package exportcontacts

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

var runClock = time.Date(2024, 3, 5, 14, 7, 9, 0, time.Local)

// stamp is the file-name stamp of runClock, written out by hand.
const stamp = "20240305_140709"

// exportRun is one finished Run with everything it left behind.
type exportRun struct {
	code    int
	dir     string // log folder (and output folder unless OutDir was set)
	stdout  string
	stderr  string
	log     string
	records []result.Record
	summary result.Summary
}

// baseConfig is a Config as the CLI would build it, with a fixed clock, --json,
// the log in a fresh folder.
func baseConfig(t testing.TB, file string) Config {
	t.Helper()
	return Config{
		Common: run.Common{
			File: file, LogLevel: "info", LogDir: t.TempDir(), JSON: true, Workers: 2,
			Version: "test", Now: func() time.Time { return runClock },
		},
		RunMode: ModeNormal, DefaultGroup: DefaultGroupName, MaxContacts: DefaultMaxContacts,
	}
}

func runExport(t testing.TB, cfg Config) *exportRun {
	t.Helper()
	return runExportCtx(t, context.Background(), cfg)
}

func runExportCtx(t testing.TB, ctx context.Context, cfg Config) *exportRun {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cfg.Common.Stdout, cfg.Common.Stderr = &stdout, &stderr
	r := &exportRun{dir: cfg.Common.LogDir}
	r.code = Run(ctx, cfg)
	r.stdout, r.stderr = stdout.String(), stderr.String()
	if b, err := os.ReadFile(filepath.Join(r.dir, "ExportContactsLog"+stamp+".txt")); err == nil {
		r.log = string(b)
	}
	if !cfg.Common.JSON {
		return r
	}
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasPrefix(line, []byte(`{"summary":`)) {
			var o result.SummaryObject
			if err := json.Unmarshal(line, &o); err != nil {
				t.Fatalf("summary line %s: %v", line, err)
			}
			r.summary = o.Summary
			continue
		}
		var rec result.Record
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("JSON line %s: %v", line, err)
		}
		r.records = append(r.records, rec)
	}
	return r
}

// outcomes maps each user (lower case) to its outcome.
func (r *exportRun) outcomes() map[string]result.Outcome {
	m := map[string]result.Outcome{}
	for _, rec := range r.records {
		m[strings.ToLower(rec.User)] = rec.Outcome
	}
	return m
}

func (r *exportRun) record(t testing.TB, user string) result.Record {
	t.Helper()
	for _, rec := range r.records {
		if strings.EqualFold(rec.User, user) {
			return rec
		}
	}
	t.Fatalf("no record for %s in\n%s", user, r.stdout)
	return result.Record{}
}

// file is the path of an output of the run in dir; it fails if it is missing.
func file(t testing.TB, dir, prefix, ext string) string {
	t.Helper()
	p := filepath.Join(dir, prefix+stamp+ext)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s: %v", prefix, err)
	}
	return p
}

func absent(t testing.TB, dir string, prefixes ...string) {
	t.Helper()
	for _, p := range prefixes {
		m, _ := filepath.Glob(filepath.Join(dir, p+"2*"))
		if len(m) > 0 {
			t.Errorf("%s should not exist: %v", p, m)
		}
	}
}

func readText(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readCSV parses a CSV with encoding/csv, checks its CRLF line ends, and returns
// the records.
func readCSV(t testing.TB, p string) [][]string {
	t.Helper()
	b := readText(t, p)
	if strings.Contains(strings.ReplaceAll(b, "\r\n", ""), "\n") {
		t.Errorf("%s: a line end that is not CRLF", p)
	}
	recs, err := csv.NewReader(strings.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: encoding/csv: %v", p, err)
	}
	return recs
}

// batDomain is the Contact Domain rule of the IM and Presence BAT (tools-spec B),
// written here independently of bat.go: labels of letters, digits and hyphens, not
// starting or ending with a hyphen, at most 63; a top-level label of 2+ letters.
var batDomain = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$`)

// checkBATRows checks every data row of an ExportedContacts CSV against the BAT
// field rules.
func checkBATRows(t testing.TB, recs [][]string, header bool) {
	t.Helper()
	if header {
		want := []string{"User ID", "User Domain", "Contact ID", "Contact Domain", "Nickname", "Group Name"}
		if len(recs) == 0 || !slices.Equal(recs[0][:6], want) {
			t.Fatalf("header = %q", recs[:min(1, len(recs))])
		}
		recs = recs[1:]
	}
	limits := []int{132, 128, 132, 128, 255, 255}
	mandatory := []bool{true, true, true, true, false, true}
	for i, r := range recs {
		if len(r) < 6 {
			t.Errorf("row %d: %d fields", i+1, len(r))
			continue
		}
		for f := range 6 {
			n := utf8.RuneCountInString(r[f])
			if n > limits[f] || (mandatory[f] && n == 0) {
				t.Errorf("row %d field %d %q breaks the BAT length rules", i+1, f+1, r[f])
			}
		}
		if len(r[3]) > 128 || !batDomain.MatchString(r[3]) {
			t.Errorf("row %d: Contact Domain %q breaks the BAT rule", i+1, r[3])
		}
	}
}

// lines splits a CRLF text file into its lines.
func lines(s string) []string {
	s = strings.TrimSuffix(s, "\r\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\r\n")
}

func writeUsers(t testing.TB, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "users.txt")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
