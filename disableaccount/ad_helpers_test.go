package disableaccount

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// outcome of one Run in a test.
type outcome struct {
	code    int
	stdout  string
	stderr  string
	records map[string]result.Record // by user, lower case
	summary result.Summary
	log     string // the log's text
	logPath string
	backup  string // the backup's text ("" when none)
}

func (o outcome) backupPath() string {
	return strings.TrimSuffix(strings.Replace(o.logPath, "DisableAccountLog", "DisableAccountBackup", 1), ".txt") + ".ldif"
}

func testConfig(e testenv.ADEnv, file, logDir string) Config {
	return Config{
		Common: run.Common{File: file, LogLevel: "info", LogDir: logDir, JSON: true, Workers: 4, Version: "test"},
		LDAP: adclient.Config{Server: e.URL, CAFile: e.CAFile, Auth: adclient.AuthSimple, BindDN: e.BindDN,
			PasswordFunc: func() (string, error) { return e.Password, nil }},
		MaxUsers: 5000,
	}
}

// runJob runs the job with stdout/stderr captured and reads what it wrote.
func runJob(t *testing.T, cfg Config) outcome {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if cfg.Common.Stdout == nil {
		cfg.Common.Stdout = &stdout
	}
	cfg.Common.Stderr = &stderr
	o := outcome{code: Run(context.Background(), cfg), stdout: stdout.String(), stderr: stderr.String(),
		records: map[string]result.Record{}}
	if w, ok := cfg.Common.Stdout.(fmt.Stringer); ok {
		o.stdout = w.String()
	}
	sc := bufio.NewScanner(strings.NewReader(o.stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasPrefix(line, []byte(`{"summary"`)) {
			var s struct{ Summary result.Summary }
			if err := json.Unmarshal(line, &s); err != nil {
				t.Fatalf("summary %s: %v", line, err)
			}
			o.summary = s.Summary
			continue
		}
		var r result.Record
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("record %s: %v", line, err)
		}
		k := strings.ToLower(r.User)
		if _, dup := o.records[k]; dup {
			t.Errorf("two JSON records for %s", r.User)
		}
		o.records[k] = r
	}
	o.logPath = o.summary.Log
	if o.logPath == "" {
		logs, _ := filepath.Glob(filepath.Join(cfg.Common.LogDir, "DisableAccountLog*.txt"))
		if len(logs) > 0 {
			o.logPath = logs[len(logs)-1]
		}
	}
	if b, err := os.ReadFile(o.logPath); err == nil {
		o.log = string(b)
	}
	if b, err := os.ReadFile(o.backupPath()); err == nil {
		o.backup = string(b)
	}
	return o
}

// counts is the tally of the JSON records.
func (o outcome) counts() map[result.Outcome]int {
	m := map[result.Outcome]int{}
	for _, r := range o.records {
		m[r.Outcome]++
	}
	return m
}

// checkCounts asserts the tally in the JSON records, the JSON summary, the
// log's summary block and the exit code.
func checkCounts(t *testing.T, o outcome, want result.Summary, code int) {
	t.Helper()
	if o.code != code {
		t.Errorf("exit code %d; want %d\nstderr:\n%s", o.code, code, o.stderr)
	}
	got := o.counts()
	wantCounts := map[result.Outcome]int{result.Processed: want.Processed, result.NotFound: want.NotFound,
		result.Error: want.Errors, result.Skipped: want.Skipped, result.NotAttempted: want.NotAttempted}
	for k, v := range wantCounts {
		if got[k] != v {
			t.Errorf("JSON records %s: %d; want %d", k, got[k], v)
		}
	}
	s := o.summary
	if s.Processed != want.Processed || s.NotFound != want.NotFound || s.Errors != want.Errors ||
		s.Skipped != want.Skipped || s.NotAttempted != want.NotAttempted || s.Duplicates != want.Duplicates ||
		s.ExitCode != code || s.DryRun != want.DryRun {
		t.Errorf("JSON summary %+v; want %+v exit %d", s, want, code)
	}
	// The log's summary block, with SPEC 3.3's wording.
	for _, line := range []string{
		fmt.Sprintf("[INFO]  %d users successfully processed\r\n", want.Processed),
		fmt.Sprintf("[INFO]  %d users not found\r\n", want.NotFound),
		fmt.Sprintf("[INFO]  %d users could not be processed due to errors\r\n", want.Errors),
		fmt.Sprintf("[INFO]  %d users skipped (nothing to do)\r\n", want.Skipped),
		fmt.Sprintf("[INFO]  %d duplicate lines ignored\r\n", want.Duplicates),
	} {
		if !strings.Contains(o.log, line) {
			t.Errorf("log %s lacks %q", o.logPath, line)
		}
	}
}

// dump is a parsed testenv.DumpLDIF: DN (lower case) → attribute (lower
// case) → sorted values.
type dump map[string]map[string][]string

func parseDump(t *testing.T, text string) dump {
	t.Helper()
	d := dump{}
	var cur map[string][]string
	for line := range strings.SplitSeq(text, "\n") {
		if line == "" {
			cur = nil
			continue
		}
		name, val, ok := strings.Cut(line, ": ")
		b64 := false
		if n, v, ok2 := strings.Cut(line, ":: "); ok2 && (!ok || len(n) < len(name)) {
			name, val, ok, b64 = n, v, true, true
		}
		if !ok {
			t.Fatalf("dump line %q", line)
		}
		if b64 {
			raw, err := base64.StdEncoding.DecodeString(val)
			if err != nil {
				t.Fatalf("dump line %q: %v", line, err)
			}
			val = string(raw)
		}
		if name == "dn" && cur == nil {
			cur = map[string][]string{}
			d[strings.ToLower(val)] = cur
			continue
		}
		k := strings.ToLower(name)
		cur[k] = append(cur[k], val)
	}
	for _, attrs := range d {
		for _, v := range attrs {
			slices.Sort(v)
		}
	}
	return d
}

func (d dump) clone() dump {
	c := dump{}
	for dn, attrs := range d {
		m := map[string][]string{}
		for k, v := range attrs {
			m[k] = slices.Clone(v)
		}
		c[dn] = m
	}
	return c
}

// disabled applies SPEC 5's rule, written out here independently of the
// job's disable list: UserEnabled FALSE where set, no home servers.
func (d dump) disabled(dn string) {
	a := d[strings.ToLower(dn)]
	if _, ok := a["msrtcsip-userenabled"]; ok {
		a["msrtcsip-userenabled"] = []string{"FALSE"}
	}
	delete(a, "msrtcsip-primaryhomeserver")
	delete(a, "msrtcsip-targethomeserver")
}

// diff lists the DNs whose attributes differ, for a readable failure.
func diffDumps(want, got dump) []string {
	var out []string
	for dn, w := range want {
		if g, ok := got[dn]; !ok {
			out = append(out, "missing "+dn)
		} else if !reflect.DeepEqual(w, g) {
			for k := range mergeKeys(w, g) {
				if !reflect.DeepEqual(w[k], g[k]) {
					out = append(out, fmt.Sprintf("%s: %s = %q; want %q", dn, k, g[k], w[k]))
				}
			}
		}
	}
	for dn := range got {
		if _, ok := want[dn]; !ok {
			out = append(out, "extra "+dn)
		}
	}
	slices.Sort(out)
	return out
}

func mergeKeys(a, b map[string][]string) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

func checkDump(t *testing.T, what string, want, got dump) {
	t.Helper()
	if d := diffDumps(want, got); len(d) > 0 {
		t.Errorf("%s: %d differences from the expected directory, first: %q", what, len(d), d[:min(5, len(d))])
	}
}

// seedOU creates this process's OU for a test and deletes it when the test
// ends. Runs of this package may share the DC at the same time (make test
// beside a developer's go test), so the OU and the sAMAccountNames (unique
// in the whole domain) and the SIP domain (the lookups search the whole
// domain) carry a tag of the process: sam(cn) is a name of at most 20
// characters for a CN of up to 10; dom is "@<name>-<tag>.example.com".
func seedOU(t testing.TB, name string) (dn string, sam func(cn string) string, dom string) {
	t.Helper()
	tag := strconv.FormatInt(int64(os.Getpid()%(36*36*36)), 36)
	dn = testenv.SeedOU(t, name+"-"+tag)
	e := testenv.AD(t)
	t.Cleanup(func() {
		c, err := ldap.DialURL(e.URL, ldap.DialWithTLSConfig(e.TLSConfig(t)))
		if err != nil {
			t.Logf("cleanup: %v", err)
			return
		}
		defer c.Close()
		if err := c.Bind(e.BindDN, e.Password); err == nil {
			err = c.Del(ldap.NewDelRequest(dn, []ldap.Control{ldap.NewControlSubtreeDelete()}))
			if err != nil {
				t.Logf("cleanup: delete %s: %v", dn, err)
			}
		}
	})
	prefix := name[:min(3, len(name))] + tag + "-"
	return dn, func(cn string) string { return prefix + cn }, "@" + name + "-" + tag + ".example.com"
}

func writeLines(t testing.TB, lines []string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "users.txt")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
