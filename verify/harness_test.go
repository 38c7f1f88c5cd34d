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
// always (every contact has one); homed users have their own rows too.
type poolUser struct {
	id      int
	address string // UserAtHost
	homed   bool
	enabled bool  // ResourceDirectory.Enabled, where the schema has it
	buddies []int // the users on its contact list (homed users only)
}

// The schemas the tests run on: the reconstructed Lync 2013 one, and the
// same with ResourceDirectory.Enabled, as the public evidence shows it.
// TODO(sim): the evidence schema (testdata/rtc/lync2013-evidence.sql) once
// it is on main.
const (
	schemaPlain   = "lync2013"
	schemaEnabled = "lync2013+Enabled"
)

// startPool starts rtcsim with schema and the users.
func startPool(t testing.TB, schema string, users []poolUser) testenv.RTCEnv {
	t.Helper()
	path := schema
	withEnabled := schema == schemaEnabled
	if withEnabled {
		path = enabledSchema(t)
	}
	seed := filepath.Join(t.TempDir(), "seed.sql")
	if err := os.WriteFile(seed, []byte(seedSQL(users, withEnabled)), 0o600); err != nil {
		t.Fatal(err)
	}
	return testenv.RTCWith(t, path, sharedLogin, seed)
}

// enabledSchema is testdata/rtc/lync2013.sql with ResourceDirectory.Enabled
// (a BIT, as the public reports read it).
func enabledSchema(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "rtc", "lync2013.sql"))
	if err != nil {
		t.Fatal(err)
	}
	const rd = "    AdDisplayName     NVARCHAR(256)  NULL\n);"
	s := string(b)
	if !strings.Contains(s, rd) {
		t.Fatalf("lync2013.sql: no ResourceDirectory definition ending in %q", rd)
	}
	s = strings.Replace(s, rd, "    AdDisplayName     NVARCHAR(256)  NULL,\n    Enabled           BIT            NOT NULL DEFAULT 1\n);", 1)
	p := filepath.Join(t.TempDir(), "lync2013-enabled.sql")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// seedSQL writes the users' rows: the contact tables, the directory and a
// policy for each homed user.
func seedSQL(users []poolUser, withEnabled bool) string {
	var b strings.Builder
	ins := func(table, cols, vals string) {
		fmt.Fprintf(&b, "INSERT INTO dbo.%s (%s) VALUES (%s);\n", table, cols, vals)
	}
	for _, u := range users {
		ins("Resource", "ResourceId, UserAtHost", fmt.Sprintf("%d, N'%s'", u.id, u.address))
	}
	for _, u := range users {
		if !u.homed {
			continue
		}
		if withEnabled {
			on := 0
			if u.enabled {
				on = 1
			}
			ins("ResourceDirectory", "ResourceId, AdDisplayName, Enabled", fmt.Sprintf("%d, N'User %d', %d", u.id, u.id, on))
		} else {
			ins("ResourceDirectory", "ResourceId, AdDisplayName", fmt.Sprintf("%d, N'User %d'", u.id, u.id))
		}
		ins("ContactGroup", "OwnerId, GroupNumber, DisplayName, ExternalUri", fmt.Sprintf("%d, 1, N'~', NULL", u.id))
		for _, bd := range u.buddies {
			ins("Contact", "OwnerId, BuddyId, DisplayName, SubscribePresence", fmt.Sprintf("%d, %d, NULL, 1", u.id, bd))
			ins("ContactGroupAssoc", "OwnerId, BuddyId, GroupNumber", fmt.Sprintf("%d, %d, 1", u.id, bd))
		}
		ins("UserPolicy", "ResourceId, PolicyType, PolicyInstance", fmt.Sprintf("%d, 1, NULL", u.id))
	}
	return b.String()
}
