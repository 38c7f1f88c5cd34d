package exportcontacts

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

const e2eDomain = "export-e2e.example.com"

// startRTC starts an in-process rtcsim (testenv.RTC) whose database is created
// from schemaText and seeded with the given files of testdata/.
func startRTC(t testing.TB, schemaText string, seeds ...string) testenv.RTCEnv {
	t.Helper()
	schema := filepath.Join(t.TempDir(), "schema.sql")
	if err := os.WriteFile(schema, []byte(schemaText), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := make([]string, len(seeds))
	for i, s := range seeds {
		paths[i] = filepath.Join("testdata", s)
	}
	return testenv.RTC(t, schema, paths...)
}

// lync2013Schema is rtcsim's own Lync 2013 schema (written from the SPEC, not from
// the product's rtcschema).
func lync2013Schema(t testing.TB) string {
	t.Helper()
	text, err := rtcsim.SchemaText("lync2013")
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func sqlConfig(e testenv.RTCEnv) *rtcclient.Config {
	c := sqlConfigAddr(e.Addr)
	c.User = e.User
	c.PasswordFunc = func() (string, error) { return e.Password, nil }
	return c
}

// sqlConfigAddr is a configuration for a server that is never reached.
func sqlConfigAddr(addr string) *rtcclient.Config {
	return &rtcclient.Config{
		Servers: []string{addr}, Auth: rtcclient.AuthSQL, User: "sa", Encrypt: "disable",
		PasswordFunc: func() (string, error) { return "unused", nil },
	}
}

func ldapConfig(e testenv.ADEnv) *adclient.Config {
	return &adclient.Config{
		Server: e.URL, CAFile: e.CAFile, Auth: adclient.AuthSimple, BindDN: e.BindDN,
		PasswordFunc: func() (string, error) { return e.Password, nil },
	}
}

// e2eOU is the OU of this package's AD users, seeded once per test binary.
var e2eOU struct {
	once sync.Once
	dn   string
}

// seedE2E creates the AD users of testdata/rtc-e2e.sql (see its header) and
// returns the OU's DN.
func seedE2E(t testing.TB) (testenv.ADEnv, string) {
	t.Helper()
	env := testenv.AD(t)
	e2eOU.once.Do(func() {
		lockE2E(t)
		ou := testenv.SeedOU(t, "ExportContactsE2E")
		sip := func(n string) string { return "sip:" + n + "@" + e2eDomain }
		testenv.AddUsers(t, ou, []testenv.SeedUser{
			{CN: "exp-ann", SIP: sip("ann"), Enabled: new(true)},
			{CN: "exp-bob", SIP: sip("bob"), Enabled: new(true)},
			{CN: "exp-carl", SIP: sip("carl"), Enabled: new(true), AccountDisabled: true},
			{CN: "exp-dora", SIP: sip("dora"), Enabled: new(true)},
			{CN: "exp-eve", SIP: sip("eve"), Enabled: new(true)},
			{CN: "exp-fred", SIP: sip("fred"), Enabled: new(true)},
			{CN: "exp-gina", SIP: sip("gina"), Enabled: new(false)},
		})
		sub := "OU=Sub," + ou
		c := env.Dial(t)
		add := ldap.NewAddRequest(sub, nil)
		add.Attribute("objectClass", []string{"top", "organizationalUnit"})
		add.Attribute("ou", []string{"Sub"})
		if err := c.Add(add); err != nil {
			t.Fatalf("add %s: %v", sub, err)
		}
		testenv.AddUsers(t, sub, []testenv.SeedUser{{CN: "exp-hank", SIP: "sip:hank@" + e2eDomain, Enabled: new(true)}})
		e2eOU.dn = ou
	})
	if e2eOU.dn == "" {
		t.Fatal("seeding the AD users failed in an earlier test")
	}
	return env, e2eOU.dn
}

// rtcRun is a Config for the e2e rtc database and DC.
func rtcRun(t testing.TB, users string) (Config, string) {
	t.Helper()
	env, ou := seedE2E(t)
	rtc := startRTC(t, lync2013Schema(t), "rtc-e2e.sql")
	cfg := baseConfig(t, users)
	cfg.SQL = sqlConfig(rtc)
	cfg.LDAP = ldapConfig(env)
	return cfg, ou
}

func e2eUser(name string) string { return "sip:" + name + "@" + e2eDomain }

// withTable changes one line of a table's CREATE statement in a schema text.
func withTable(t testing.TB, schema, table, old, new string) string {
	t.Helper()
	start := strings.Index(schema, "CREATE TABLE dbo."+table+" (")
	if start < 0 {
		t.Fatalf("no table %s in the schema", table)
	}
	end := start + strings.Index(schema[start:], ");")
	block := schema[start:end]
	if !strings.Contains(block, old) {
		t.Fatalf("table %s has no %q", table, old)
	}
	return schema[:start] + strings.Replace(block, old, new, 1) + schema[end:]
}

// fakeAD is a directory that is never dialled (the run must stop before).
func fakeAD() testenv.ADEnv {
	return testenv.ADEnv{URL: "ldaps://127.0.0.1:1", BindDN: "admin@example.com", Password: "x"}
}

// cfgPassword is the SQL password of a run, to check that no log shows it.
func cfgPassword(t testing.TB, cfg Config) string {
	t.Helper()
	pw, err := cfg.SQL.PasswordFunc()
	if err != nil || len(pw) < 8 {
		t.Fatalf("SQL password %q: %v", pw, err)
	}
	return pw
}
