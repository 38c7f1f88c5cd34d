package exportcontacts

import (
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/internal/testad"
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

// lync2013Schema is rtcsim's own Lync 2013 schema.
func lync2013Schema(t testing.TB) string { return schemaText(t, "lync2013") }

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

// seedE2E creates the AD users of e2eFixture (see its comment) and
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

// rtcSchemas are the schemas every rtc export test runs on: rtcsim's
// reconstructed Lync 2013 and the one the public evidence shapes (varbinary
// names, alias-typed ids, other lengths and extra columns).
var rtcSchemas = []string{"lync2013", "lync2013-evidence"}

// forSchemas runs fn once per schema of rtcSchemas, as a subtest.
func forSchemas(t *testing.T, fn func(t *testing.T, schema string)) {
	for _, s := range rtcSchemas {
		t.Run(s, func(t *testing.T) { fn(t, s) })
	}
}

// e2eFixture is the contact data of the e2e tests, one fixture for every
// schema (names as nvarchar or as UTF-8 bytes, as each schema declares them).
// Domain export-e2e.example.com; the matching AD users are seeded by seedE2E:
//
//	ann, bob, dora, hank  SIP-enabled, homed here (hank under a sub-OU)
//	carl                  SIP-enabled, AD account disabled, homed here
//	eve                   SIP-enabled, no Resource row here (homed elsewhere)
//	fred                  SIP-enabled, a Resource row only as a buddy (not homed here)
//	gina                  not SIP-enabled (msRTCSIP-UserEnabled FALSE), homed here
func e2eFixture() rtcsim.Fixture {
	text := rtcsim.Text
	def := rtcsim.FixtureGroup{Number: 1, Name: "~"}
	u := func(id int64, uah, name string, groups []rtcsim.FixtureGroup, contacts ...rtcsim.FixtureContact) rtcsim.FixtureUser {
		return rtcsim.FixtureUser{ResourceID: id, UserAtHost: uah, DisplayName: name, Groups: groups, Contacts: contacts}
	}
	return rtcsim.Fixture{Users: []rtcsim.FixtureUser{
		// ann: the default group, a group with a comma, group 11 (not 1), a
		// distribution group; fred (6) in no group, hank (8) only in the
		// distribution group.
		u(1, "ann@export-e2e.example.com", "Ann", []rtcsim.FixtureGroup{def, {Number: 2, Name: "Friends, Family"},
			{Number: 11, Name: "Eleven"}, {Number: 4, Name: "Sales DL", ExternalURI: "sip:sales-dl@export-e2e.example.com"}},
			rtcsim.FixtureContact{Buddy: 1, DisplayName: text("Me"), Unsubscribed: true, Groups: []int{1}},
			rtcsim.FixtureContact{Buddy: 2, DisplayName: text("Bob, Jr."), Groups: []int{1, 2}},
			rtcsim.FixtureContact{Buddy: 6},
			rtcsim.FixtureContact{Buddy: 8, DisplayName: text("Hank"), Groups: []int{4}},
			rtcsim.FixtureContact{Buddy: 20, DisplayName: text(`Partner "P"`), Groups: []int{11}},
			rtcsim.FixtureContact{Buddy: 21, DisplayName: text("Bad"), Groups: []int{1}}),
		u(2, "bob@export-e2e.example.com", "Bob", []rtcsim.FixtureGroup{def, {Number: 2, Name: `Team "A"`}},
			rtcsim.FixtureContact{Buddy: 1, DisplayName: text("Ann"), Groups: []int{2}},
			rtcsim.FixtureContact{Buddy: 4, DisplayName: text(""), Groups: []int{1}}),
		u(3, "carl@export-e2e.example.com", "Carl", []rtcsim.FixtureGroup{def},
			rtcsim.FixtureContact{Buddy: 2, DisplayName: text("Bob"), Groups: []int{1}}),
		u(4, "dora@export-e2e.example.com", "Dora", []rtcsim.FixtureGroup{def}),
		u(6, "fred@export-e2e.example.com", "", nil),
		u(7, "gina@export-e2e.example.com", "Gina", []rtcsim.FixtureGroup{def},
			rtcsim.FixtureContact{Buddy: 1, DisplayName: text("Ann"), Groups: []int{1}}),
		u(8, "Hank@Export-E2E.example.com", "Hank", []rtcsim.FixtureGroup{def, {Number: 3, Name: "Ünïcode Grüppe"}},
			rtcsim.FixtureContact{Buddy: 2, DisplayName: text("Bøb 日本"), Groups: []int{3}}),
		u(20, "ext@partner.com", "", nil),
		u(21, "bad@bad_domain.com", "", nil),
	}}
}

// notHomed are the e2e fixture's users that appear only on others' lists.
var notHomed = []int64{6, 20, 21}

// startE2E starts rtcsim with schema and the e2e fixture.
func startE2E(t testing.TB, schema string) testenv.RTCEnv {
	t.Helper()
	env := testenv.RTC(t, schema)
	env.SeedFixture(t, e2eFixture())
	// The fixture gives every user a ResourceDirectory row; these are only
	// buddies here.
	for _, id := range notHomed {
		if _, err := env.DB(t).Exec("DELETE FROM ResourceDirectory WHERE ResourceId = ?", id); err != nil {
			t.Fatal(err)
		}
	}
	return env
}

// rtcRun is a Config for the e2e rtc database in schema and the DC.
func rtcRun(t testing.TB, schema, users string) (Config, testenv.RTCEnv) {
	t.Helper()
	env, _ := seedE2E(t)
	rtc := startE2E(t, schema)
	cfg := baseConfig(t, users)
	cfg.SQL = sqlConfig(rtc)
	cfg.LDAP = ldapConfig(env)
	return cfg, rtc
}

// schemaText is rtcsim's text of a schema (written from the SPEC and the
// evidence, not from the product's rtcschema).
func schemaText(t testing.TB, name string) string {
	t.Helper()
	text, err := rtcsim.SchemaText(name)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func e2eUser(name string) string { return "sip:" + name + "@" + e2eDomain }

// schemaEdit applies a regular-expression edit to a schema text; the edit
// must match.
func schemaEdit(t testing.TB, schema, re, repl string) string {
	t.Helper()
	r := regexp.MustCompile(re)
	if !r.MatchString(schema) {
		t.Fatalf("the schema has no %q", re)
	}
	return r.ReplaceAllString(schema, repl)
}

// fakeAD is a directory that is never dialled (the run must stop before).
func fakeAD() testenv.ADEnv {
	return testenv.ADEnv{Env: testad.Env{URL: "ldaps://127.0.0.1:1", BindDN: "admin@example.com", Password: "x"}}
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
