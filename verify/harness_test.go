package verify

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// outcome of one Run in a test.
type outcome struct {
	code    int
	stdout  string
	stderr  string
	records map[string]result.Record // by user, lower case
	order   []string                 // users in the order of the JSON lines
	summary result.Summary
	log     string
	logPath string
}

// runJob runs verify with --json and a debug log in a new folder, and reads
// what it wrote.
func runJob(t *testing.T, cfg Config) outcome {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if cfg.Common.LogDir == "" {
		cfg.Common.LogDir = t.TempDir()
	}
	cfg.Common.Stdout, cfg.Common.Stderr = &stdout, &stderr
	cfg.Common.JSON = true
	if cfg.Common.LogLevel == "" {
		cfg.Common.LogLevel = "debug"
	}
	cfg.Common.Version = "test"
	o := outcome{code: Run(context.Background(), cfg), stdout: stdout.String(), stderr: stderr.String(), records: map[string]result.Record{}}
	sc := bufio.NewScanner(strings.NewReader(o.stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if bytes.HasPrefix(line, []byte(`{"summary"`)) {
			var s result.SummaryObject
			if err := json.Unmarshal(line, &s); err != nil {
				t.Fatalf("summary %s: %v", line, err)
			}
			o.summary = s.Summary
			continue
		}
		var r result.Record
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("record %s: %v", line, err)
		}
		k := strings.ToLower(r.User)
		if _, dup := o.records[k]; dup {
			t.Errorf("two records for %s", r.User)
		}
		o.records[k] = r
		o.order = append(o.order, k)
	}
	logs, _ := filepath.Glob(filepath.Join(cfg.Common.LogDir, Tool+"Log*.txt"))
	if len(logs) != 1 {
		t.Fatalf("log files %v, want one VerifyLog<ts>.txt\nstderr:\n%s", logs, o.stderr)
	}
	o.logPath = logs[0]
	b, err := os.ReadFile(o.logPath)
	if err != nil {
		t.Fatal(err)
	}
	o.log = string(b)
	return o
}

// config reaches AD (through url: the DC's ldaps URL, or a relay's ldap://)
// and the rtcsim servers with their shared login.
func config(e testenv.ADEnv, url, file string, pools ...testenv.RTCEnv) Config {
	c := Config{
		Common: run.Common{File: file, Workers: 2},
		LDAP: adclient.Config{Server: url, Auth: adclient.AuthSimple, BindDN: e.BindDN,
			PasswordFunc: func() (string, error) { return e.Password, nil }},
		SQL: rtcclient.Config{Auth: rtcclient.AuthSQL, User: sharedLogin.User, Encrypt: "disable",
			PasswordFunc: func() (string, error) { return sharedLogin.Password, nil }},
	}
	if strings.HasPrefix(url, "ldaps://") {
		c.LDAP.CAFile = e.CAFile
	}
	for _, p := range pools {
		c.SQL.Servers = append(c.SQL.Servers, p.Addr)
	}
	return c
}

// sharedLogin is the SQL login of every test server: one run reaches all its
// --sql-server values with one login, as the pools of one deployment are.
var sharedLogin = testenv.RTCOptions{User: "sa", Password: "Rtc-verify-1"}

// usersFile writes an input file (CRLF, as Windows tools write them).
func usersFile(t testing.TB, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "users.txt")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// poolUser is one user as a pool's rtc database holds it: a Resource row
// always (every contact has one); a homed user has its own rows too — its
// contact list and a row in every other user-keyed table of the schema.
type poolUser struct {
	id      int
	address string // UserAtHost
	homed   bool
	enabled bool  // ResourceDirectory.Enabled, where the schema has it
	buddies []int // the users on its contact list
}

// The schemas the tests run on: pool A has the evidence schema (varbinary
// names, ResourceDirectory.Enabled, an alias type for ids, a table the
// product never heard of), pool B the reconstructed Lync 2013 schema (no
// Enabled: it cannot tell replication).
const (
	schemaEvidence = "lync2013-evidence"
	schemaPlain    = "lync2013"
)

// startPool starts rtcsim with schema and the users, through rtcsim's one
// fixture; a user who is not homed keeps only its Resource row (as
// deleteaccount leaves it).
func startPool(t testing.TB, schema string, users []poolUser) testenv.RTCEnv {
	t.Helper()
	env := testenv.RTCWith(t, schema, sharedLogin)
	fx := rtcsim.Fixture{HomedRows: 1}
	var bare []int64
	for _, u := range users {
		fu := rtcsim.FixtureUser{ResourceID: int64(u.id), UserAtHost: u.address, DisplayName: fmt.Sprintf("User %d", u.id),
			Enabled: u.enabled, Groups: []rtcsim.FixtureGroup{{Number: 1, Name: "~"}}}
		for _, b := range u.buddies {
			fu.Contacts = append(fu.Contacts, rtcsim.FixtureContact{Buddy: int64(b), Groups: []int{1}})
		}
		fx.Users = append(fx.Users, fu)
		if !u.homed {
			bare = append(bare, int64(u.id))
		}
	}
	env.SeedFixture(t, fx)
	unhome(t, env, bare...)
	return env
}

// ownerColumns are the test's own list of owner-side user keys (SPEC 6.1).
var ownerColumns = []string{"OwnerId", "ResourceId", "PublisherId", "EnterpriseId"}

// ownedBy calls fn for every table of the server's schema but Resource and
// each of its owner-side user-key columns.
func ownedBy(env testenv.RTCEnv, fn func(table, column string)) {
	for _, tab := range env.Server.Schema().Tables {
		if strings.EqualFold(tab.Name, "Resource") {
			continue
		}
		for _, c := range tab.Columns {
			for _, k := range ownerColumns {
				if strings.EqualFold(c.Name, k) {
					fn(tab.Name, c.Name)
				}
			}
		}
	}
}

// unhome deletes the users' own rows from every table but Resource, straight
// in SQLite: what a delete on this pool leaves.
func unhome(t testing.TB, env testenv.RTCEnv, ids ...int64) {
	t.Helper()
	db := env.DB(t)
	for _, id := range ids {
		ownedBy(env, func(table, column string) {
			if _, err := db.Exec(fmt.Sprintf(`DELETE FROM "%s" WHERE "%s" = ?`, table, column), id); err != nil {
				t.Fatalf("unhome %d from %s: %v", id, table, err)
			}
		})
	}
}

// homedIn counts a user's rows per table straight in SQLite, the tables
// with none left out: what verify must report.
func homedIn(t testing.TB, env testenv.RTCEnv, id int64) map[string]int64 {
	t.Helper()
	db := env.DB(t)
	out := map[string]int64{}
	ownedBy(env, func(table, column string) {
		var n int64
		if err := db.QueryRow(fmt.Sprintf(`SELECT COUNT(*) FROM "%s" WHERE "%s" = ?`, table, column), id).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		if n > 0 {
			out[table] += n
		}
	})
	return out
}

// readOnly checks that a pool served verify reads only: no request that may
// write (the counters), and every statement a SELECT (the statement log).
func readOnly(t *testing.T, env testenv.RTCEnv, before rtcsim.StatsSnapshot, from int) {
	t.Helper()
	d := env.Stats().Sub(before)
	if d.WriteRequests != 0 || d.RowsWritten != 0 || d.TransMgr != 0 {
		t.Errorf("%s: %d write requests, %d rows written, %d transaction requests; want none", env.Addr, d.WriteRequests, d.RowsWritten, d.TransMgr)
	}
	if d.Requests == 0 {
		t.Errorf("%s: no request at all: verify did not read this pool", env.Addr)
	}
	for _, st := range env.Statements(t)[from:] {
		// An attention (the driver cancelling a request, as it may when a
		// connection closes) asks the server to stop, not to write.
		if st.Write || (st.Verb != "SELECT" && st.Kind != "attention") {
			t.Errorf("%s: verify sent %s %s %q", env.Addr, st.Kind, st.Verb, st.Text)
		}
	}
}
