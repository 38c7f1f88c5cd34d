package adclient

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// These tests run against the real Samba AD DC of internal/testenv.

// seedOU creates this process's OU and deletes it when the test ends: runs
// of this package may share the DC at the same time, so the OU, the
// sAMAccountNames (unique in the domain) and the SIP addresses (searched
// domain-wide) carry the tag of the process.
func seedOU(t *testing.T, name string) (dn, tag string) {
	t.Helper()
	tag = strconv.FormatInt(int64(os.Getpid()%(36*36*36)), 36)
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
			if err := c.Del(ldap.NewDelRequest(dn, []ldap.Control{ldap.NewControlSubtreeDelete()})); err != nil {
				t.Logf("cleanup: delete %s: %v", dn, err)
			}
		}
	})
	return dn, tag
}

func adConfig(e testenv.ADEnv) Config {
	return Config{
		Server: e.URL, CAFile: e.CAFile, Auth: AuthSimple, BindDN: e.BindDN,
		PasswordFunc: func() (string, error) { return e.Password, nil },
	}
}

func connect(t *testing.T, cfg Config) (*Client, *recLog) {
	t.Helper()
	log := &recLog{}
	c, err := Connect(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, log
}

func TestADConnectAndBind(t *testing.T) {
	e := testenv.AD(t)
	plainHost := strings.TrimPrefix(e.PlainURL, "ldap://")
	type bindCase struct {
		name string
		edit func(*Config)
		warn string // a warning that must be logged
	}
	tests := []bindCase{
		{"ldaps URL", func(*Config) {}, ""},
		{"bare host is LDAPS on 636", func(c *Config) { c.Server = "127.0.0.1" }, ""},
		{"StartTLS", func(c *Config) { c.Server, c.StartTLS = plainHost, true }, ""},
		{"plain ldap:// when asked", func(c *Config) { c.Server = e.PlainURL; c.CAFile = "" }, "unencrypted"},
		{"insecure skip verify", func(c *Config) { c.CAFile, c.InsecureSkipVerify = "", true }, "NOT verified"},
		{"explicit base", func(c *Config) { c.Base = "CN=Users," + e.Base }, ""},
		{"DN bind", func(c *Config) { c.BindDN = "CN=Administrator,CN=Users," + e.Base }, ""},
	}
	if e.Krb5Keytab == "" && os.Getenv("CI") != "" {
		t.Fatal("no LMTEST_KRB5_KEYTAB: the kerberos binds would go untested in CI")
	}
	if e.Krb5Keytab != "" {
		principal := e.User() + "@" + e.Realm
		tests = append(tests,
			bindCase{"kerberos keytab over LDAPS", func(c *Config) {
				c.Auth, c.BindDN, c.Krb5Keytab, c.Krb5Config, c.SPN = AuthKerberos, principal, e.Krb5Keytab, e.Krb5Config, e.SPN()
			}, ""},
			bindCase{"kerberos password over StartTLS", func(c *Config) {
				c.Server, c.StartTLS = plainHost, true
				c.Auth, c.BindDN, c.Krb5Config, c.SPN = AuthKerberos, strings.ToLower(principal), e.Krb5Config, e.SPN()
			}, ""})
		if _, err := exec.LookPath("kinit"); err == nil {
			ccache := filepath.Join(t.TempDir(), "cc")
			kinit := exec.Command("kinit", "-k", "-t", e.Krb5Keytab, "-c", ccache, principal)
			kinit.Env = append(os.Environ(), "KRB5_CONFIG="+e.Krb5Config)
			if out, err := kinit.CombinedOutput(); err != nil {
				t.Fatalf("kinit: %v\n%s", err, out)
			}
			tests = append(tests, bindCase{"kerberos credential cache", func(c *Config) {
				c.Auth, c.BindDN, c.Krb5CCache, c.Krb5Config, c.SPN, c.PasswordFunc = AuthKerberos, "", ccache, e.Krb5Config, e.SPN(), nil
			}, ""})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := adConfig(e)
			tt.edit(&cfg)
			c, log := connect(t, cfg)
			wantBase := cfg.Base
			if wantBase == "" {
				wantBase = e.Base
			}
			if !strings.EqualFold(c.Base(), wantBase) {
				t.Errorf("Base() = %q; want %q", c.Base(), wantBase)
			}
			// Prove the bind is authenticated: read the administrator's own object.
			es, err := c.Search(context.Background(), Request{Base: e.Base, Scope: ScopeSubtree,
				Filter: "(sAMAccountName=" + e.User() + ")", Attrs: []string{"sAMAccountName"}})
			if err != nil || len(es) != 1 {
				t.Fatalf("search as %s: %d entries, %v", cfg.Identity(), len(es), err)
			}
			if tt.warn != "" && !slices.ContainsFunc(log.warns, func(w string) bool { return strings.Contains(w, tt.warn) }) {
				t.Errorf("warnings %q lack %q", log.warns, tt.warn)
			}
			if tt.warn == "" && len(log.warns) > 0 {
				t.Errorf("unexpected warnings %q", log.warns)
			}
		})
	}
}

func TestADBindFailures(t *testing.T) {
	e := testenv.AD(t)
	const wrong = "Wr0ng-Passw0rd!"
	cfg := adConfig(e)
	cfg.PasswordFunc = func() (string, error) { return wrong, nil }
	_, err := Connect(context.Background(), cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "Invalid Credentials") || strings.Contains(err.Error(), wrong) {
		t.Errorf("wrong password: %v; want Invalid Credentials, without the password", err)
	}
	cfg.PasswordFunc = func() (string, error) { return "", nil }
	if _, err := Connect(context.Background(), cfg, nil); err == nil || !strings.Contains(err.Error(), "no password") {
		t.Errorf("empty password: %v", err)
	}
	cfg = adConfig(e)
	cfg.CAFile = ""
	if _, err := Connect(context.Background(), cfg, nil); err == nil || !strings.Contains(err.Error(), "--ldap-ca-file") {
		t.Errorf("unverifiable certificate: %v", err)
	}
	cfg = adConfig(e)
	cfg.Server = "ldaps://localhost:636"
	cfg.CAFile = e.CAFile
	// The test certificate names localhost too, so this verifies; a name it lacks must not.
	if _, err := Connect(context.Background(), cfg, nil); err != nil {
		t.Errorf("localhost: %v", err)
	}
}

func TestADFindBySIP(t *testing.T) {
	e := testenv.AD(t)
	ou, tag := seedOU(t, "adclient-find")
	dom := "@find-" + tag + ".example.com"
	var users []testenv.SeedUser
	var uris []string
	const n = 450 // more than two filter chunks
	for i := range n {
		sip := fmt.Sprintf("sip:user%03d%s", i, dom)
		users = append(users, testenv.SeedUser{CN: fmt.Sprintf("find%03d", i), SAM: fmt.Sprintf("adc%s-find%03d", tag, i), SIP: sip, Enabled: new(true)})
		if i%3 == 0 {
			sip = strings.ToUpper(sip) // AD compares case-insensitively; so must the matching back
		}
		uris = append(uris, sip)
	}
	// Two users with one address, and a contact sharing a user's address.
	users = append(users,
		testenv.SeedUser{CN: "twin1", SAM: "adc" + tag + "-twin1", SIP: "sip:twin" + dom},
		testenv.SeedUser{CN: "twin2", SAM: "adc" + tag + "-twin2", SIP: "sip:Twin" + dom})
	testenv.AddUsers(t, ou, users)
	testenv.AddContacts(t, ou, []testenv.SeedContact{{CN: "contact0", SIP: "sip:user000" + dom}})
	uris = append(uris, "sip:twin"+dom, "sip:nobody"+dom, "sip:*"+dom)

	c, _ := connect(t, adConfig(e))
	got, err := c.FindBySIP(context.Background(), uris, []string{"displayName"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		es := got[uris[i]]
		wantCN := fmt.Sprintf("CN=find%03d,%s", i, ou)
		if len(es) != 1 || !strings.EqualFold(es[0].DN, wantCN) {
			t.Fatalf("%s: %d entries %v; want %s only (the contact is not a user)", uris[i], len(es), es, wantCN)
		}
		if es[0].Value("displayName") != fmt.Sprintf("find%03d", i) {
			t.Errorf("%s: displayName %q", uris[i], es[0].Value("displayName"))
		}
	}
	if len(got["sip:twin"+dom]) != 2 {
		t.Errorf("twin: %d entries; want 2", len(got["sip:twin"+dom]))
	}
	if len(got["sip:nobody"+dom]) != 0 || len(got["sip:*"+dom]) != 0 {
		t.Errorf("nobody / a wildcard matched: %v", got)
	}
}

// proxyAddresses is where an address outlives a cleared
// msRTCSIP-PrimaryUserAddress (verify's address_lost). Samba, like AD,
// compares its values case-insensitively, "SIP:" prefix included; a
// contact holding the address is not a user.
func TestADFindByProxySIP(t *testing.T) {
	e := testenv.AD(t)
	ou, tag := seedOU(t, "adclient-proxy")
	dom := "@proxy-" + tag + ".example.com"
	var users []testenv.SeedUser
	var uris []string
	const n = 210 // more than one filter chunk
	for i := range n {
		value := fmt.Sprintf("sip:user%03d%s", i, dom)
		uris = append(uris, value)
		if i%2 == 0 {
			value = "SIP:" + strings.ToUpper(value[4:]) // as Exchange and Lync write them
		}
		users = append(users, testenv.SeedUser{CN: fmt.Sprintf("proxy%03d", i), SAM: fmt.Sprintf("adc%s-px%03d", tag, i),
			Attrs: map[string][]string{"proxyAddresses": {"smtp:user" + fmt.Sprint(i) + dom, value}}})
	}
	testenv.AddUsers(t, ou, users)
	testenv.AddContacts(t, ou, []testenv.SeedContact{{CN: "mailcontact", Attrs: map[string][]string{"proxyAddresses": {"sip:contact" + dom}}}})
	uris = append(uris, "sip:contact"+dom, "sip:nobody"+dom, "sip:user000"+dom[:len(dom)-4])

	c, _ := connect(t, adConfig(e))
	got, err := c.FindByProxySIP(context.Background(), uris, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		es := got[uris[i]]
		wantCN := fmt.Sprintf("CN=proxy%03d,%s", i, ou)
		if len(es) != 1 || !strings.EqualFold(es[0].DN, wantCN) {
			t.Fatalf("%s: %d entries %v; want %s", uris[i], len(es), es, wantCN)
		}
		if len(es[0].Values(AttrProxyAddresses)) != 2 {
			t.Errorf("%s: proxyAddresses %q, want both values returned", uris[i], es[0].Values(AttrProxyAddresses))
		}
	}
	for _, u := range uris[n:] {
		if len(got[u]) != 0 {
			t.Errorf("%s matched %v", u, got[u])
		}
	}
}

func TestADPagingModifyRedial(t *testing.T) {
	e := testenv.AD(t)
	ou, tag := seedOU(t, "adclient-page")
	var users []testenv.SeedUser
	for i := range 25 {
		users = append(users, testenv.SeedUser{CN: fmt.Sprintf("page%02d", i), SAM: fmt.Sprintf("adc%s-page%02d", tag, i), SIP: fmt.Sprintf("sip:page%02d@x.com", i),
			Enabled: new(i%5 != 0), AccountDisabled: i%2 == 1, HomeServer: true})
	}
	dns := testenv.AddUsers(t, ou, users)

	old := pageSize
	pageSize = 4
	t.Cleanup(func() { pageSize = old })
	cfg := adConfig(e)
	cfg.Conns = 2
	c, log := connect(t, cfg)
	ctx := context.Background()

	var got []Entry
	if err := c.SIPUsersUnder(ctx, ou, []string{"displayName"}, func(e Entry) error {
		got = append(got, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 20 { // 25 minus the 5 with UserEnabled FALSE, over 5 pages
		t.Fatalf("SIPUsersUnder: %d entries; want 20", len(got))
	}
	disabled := 0
	for _, e := range got {
		if AccountDisabled(e) {
			disabled++
		}
	}
	if disabled != 10 {
		t.Errorf("AccountDisabled: %d; want 10", disabled)
	}
	// The whole domain: the continuation reference to CN=Configuration is no error.
	all := 0
	if err := c.AllSIPUsers(ctx, nil, func(Entry) error { all++; return nil }); err != nil || all < 20 {
		t.Errorf("AllSIPUsers: %d, %v", all, err)
	}

	// One modify request; replacing an absent attribute with nothing succeeds (twice).
	mods := []Mod{{Op: Replace, Attr: AttrUserEnabled, Values: []string{"FALSE"}},
		{Op: Replace, Attr: AttrPrimaryHomeServer}, {Op: Replace, Attr: AttrTargetHomeServer}}
	for range 2 {
		if err := c.Modify(ctx, dns[1], mods); err != nil {
			t.Fatal(err)
		}
	}
	back, err := c.Read(ctx, dns[1], []string{AttrUserEnabled, AttrPrimaryHomeServer, AttrPrimaryUserAddress})
	if err != nil {
		t.Fatal(err)
	}
	if back.Value(AttrUserEnabled) != "FALSE" || back.Values(AttrPrimaryHomeServer) != nil || back.Value(AttrPrimaryUserAddress) != "sip:page01@x.com" {
		t.Errorf("read back %v", back.Attrs)
	}
	// An invalid value fails the whole request: nothing of it is applied.
	bad := []Mod{{Op: Replace, Attr: AttrPrimaryHomeServer}, {Op: Replace, Attr: AttrUserEnabled, Values: []string{"yes"}}}
	if err := c.Modify(ctx, dns[2], bad); err == nil || !strings.Contains(err.Error(), dns[2]) {
		t.Errorf("invalid modify: %v", err)
	}
	if back, _ := c.Read(ctx, dns[2], []string{AttrPrimaryHomeServer}); back.Value(AttrPrimaryHomeServer) == "" {
		t.Error("a failed modify request was partly applied")
	}
	if _, err := c.Read(ctx, "CN=nobody,"+ou, nil); !errors.Is(err, ErrNoSuchObject) {
		t.Errorf("Read of a missing DN: %v", err)
	}
	if err := c.SIPUsersUnder(ctx, "OU=nowhere,"+ou, nil, func(Entry) error { return nil }); !errors.Is(err, ErrNoSuchObject) {
		t.Errorf("search under a missing DN: %v", err)
	}

	// A dropped connection is redialled once.
	for _, conn := range c.conns {
		conn.Close()
	}
	if _, err := c.Read(ctx, dns[3], nil); err != nil {
		t.Fatalf("after a drop: %v", err)
	}
	if !slices.ContainsFunc(log.warns, func(w string) bool { return strings.Contains(w, "reconnecting once") }) {
		t.Errorf("no warning for the redial: %q", log.warns)
	}
	// When the redial fails too, the server is lost for good.
	c.ep.Port = strings.TrimPrefix(closedPort(t), "127.0.0.1:")
	for _, conn := range c.conns {
		conn.Close()
	}
	if _, err := c.Read(ctx, dns[3], nil); !errors.Is(err, ErrServerLost) {
		t.Errorf("redial failed: %v; want ErrServerLost", err)
	}
	if err := c.Modify(ctx, dns[3], mods); !errors.Is(err, ErrServerLost) {
		t.Errorf("after the loss: %v; want ErrServerLost at once", err)
	}
}
