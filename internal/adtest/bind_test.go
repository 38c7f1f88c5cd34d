package adtest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
	"github.com/go-ldap/ldap/v3/gssapi"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// noCA verifies against the system roots only, which do not hold the test CA.
func noCA(e testenv.ADEnv) *tls.Config {
	return &tls.Config{ServerName: e.Host, MinVersion: tls.VersionTLS12}
}

func TestSimpleBind(t *testing.T) {
	e := testenv.AD(t)
	tests := []struct {
		name     string
		url      string
		startTLS bool
		tls      func(testenv.ADEnv) *tls.Config
		wantErr  bool
	}{
		{name: "ldaps with the CA", url: e.URL, tls: func(e testenv.ADEnv) *tls.Config { return e.TLSConfig(t) }},
		{name: "starttls with the CA", url: e.StartTLSURL, startTLS: true, tls: func(e testenv.ADEnv) *tls.Config { return e.TLSConfig(t) }},
		{name: "ldaps without the CA", url: e.URL, tls: noCA, wantErr: true},
		{name: "starttls without the CA", url: e.StartTLSURL, startTLS: true, tls: noCA, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := connect(tt.url, tt.startTLS, tt.tls(e))
			if tt.wantErr {
				if c != nil {
					c.Close()
				}
				// go-ldap's StartTLS flattens the x509 error into text (%v), so match both ways
				var unknown x509.UnknownAuthorityError
				if !errors.As(err, &unknown) && !strings.Contains(fmt.Sprint(err), "x509: certificate signed by unknown authority") {
					t.Fatalf("err = %v, want an unknown-authority error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.Bind(e.BindDN, e.Password); err != nil {
				t.Fatalf("bind: %v", err)
			}
			assertBoundAs(t, c, e)
		})
	}

	t.Run("no bind, no data", func(t *testing.T) {
		c, err := connect(e.URL, false, e.TLSConfig(t))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Search(ldap.NewSearchRequest(e.Base, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false,
			"(objectClass=*)", []string{"dn"}, nil))
		if !ldap.IsErrorWithCode(err, ldap.LDAPResultOperationsError) {
			t.Errorf("anonymous search: err = %v, want operations error (1)", err)
		}
	})

	t.Run("wrong password", func(t *testing.T) {
		c, err := connect(e.URL, false, e.TLSConfig(t))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Bind(e.BindDN, e.Password+"x"); !ldap.IsErrorWithCode(err, ldap.LDAPResultInvalidCredentials) {
			t.Errorf("err = %v, want invalid credentials (49)", err)
		}
	})
}

func connect(url string, startTLS bool, tc *tls.Config) (*ldap.Conn, error) {
	if !startTLS {
		return ldap.DialURL(url, ldap.DialWithTLSConfig(tc))
	}
	c, err := ldap.DialURL(url)
	if err != nil {
		return nil, err
	}
	if err := c.StartTLS(tc); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// assertBoundAs checks the identity of a bound connection. Samba has no WhoAmI extended operation,
// but AD's rootDSE tokenGroups lists the SIDs of the bound user's token, its own SID included.
func assertBoundAs(t *testing.T, c *ldap.Conn, e testenv.ADEnv) {
	t.Helper()
	user, err := c.Search(ldap.NewSearchRequest(e.Base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(sAMAccountName="+ldap.EscapeFilter(e.User())+")", []string{"objectSid"}, nil))
	if err != nil || len(user.Entries) != 1 {
		t.Fatalf("find %s: %v (%d entries)", e.User(), err, len(user.Entries))
	}
	sid := user.Entries[0].GetRawAttributeValue("objectSid")
	root, err := c.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{"tokenGroups"}, nil))
	if err != nil || len(root.Entries) != 1 {
		t.Fatalf("rootDSE tokenGroups: %v", err)
	}
	groups := root.Entries[0].GetRawAttributeValues("tokenGroups")
	if len(sid) == 0 || !slices.ContainsFunc(groups, func(g []byte) bool { return bytes.Equal(g, sid) }) {
		t.Errorf("bound connection's token (%d SIDs) lacks %s's SID", len(groups), e.User())
	}
}

// Kerberos (GSSAPI through gokrb5) over LDAPS, with the three credential sources the CLI offers.
func TestKerberosBind(t *testing.T) {
	e := testenv.AD(t)
	if e.Krb5Config == "" || e.Krb5Keytab == "" || e.Realm == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("LMTEST_KRB5_CONFIG, _KEYTAB and _REALM are needed (scripts/samba-ad.sh writes them)")
		}
		t.Skip("this DC has no Kerberos settings (LMTEST_KRB5_*)")
	}
	clients := []struct {
		name string
		new  func(t *testing.T) (*gssapi.Client, error)
	}{
		{"password", func(t *testing.T) (*gssapi.Client, error) {
			return gssapi.NewClientWithPassword(e.User(), e.Realm, e.Password, e.Krb5Config)
		}},
		{"keytab", func(t *testing.T) (*gssapi.Client, error) {
			return gssapi.NewClientWithKeytab(e.User(), e.Realm, e.Krb5Keytab, e.Krb5Config)
		}},
		{"ccache", func(t *testing.T) (*gssapi.Client, error) {
			return gssapi.NewClientFromCCache(kinit(t, e), e.Krb5Config)
		}},
	}
	for _, cl := range clients {
		t.Run(cl.name, func(t *testing.T) {
			client, err := cl.new(t)
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			c := dialTLS(t, e)
			if err := c.GSSAPIBind(client, e.SPN(), ""); err != nil {
				t.Fatalf("GSSAPI bind as %s to %s: %v", e.User(), e.SPN(), err)
			}
			assertBoundAs(t, c, e)
		})
	}

	t.Run("unknown SPN", func(t *testing.T) {
		client, err := gssapi.NewClientWithPassword(e.User(), e.Realm, e.Password, e.Krb5Config)
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		c := dialTLS(t, e)
		err = c.GSSAPIBind(client, "ldap/nosuchhost."+strings.ToLower(e.Realm), "")
		if err == nil || !strings.Contains(err.Error(), "PRINCIPAL_UNKNOWN") {
			t.Errorf("err = %v, want the KDC's principal-unknown error", err)
		}
	})
}

func dialTLS(t *testing.T, e testenv.ADEnv) *ldap.Conn {
	t.Helper()
	c, err := ldap.DialURL(e.URL, ldap.DialWithTLSConfig(e.TLSConfig(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// kinit fills a fresh credential cache from the keytab, as an operator's kinit would.
func kinit(t *testing.T, e testenv.ADEnv) string {
	t.Helper()
	ostest.SkipOnWindows(t, "runs MIT kinit, a Linux program, for the ccache")
	cc := filepath.Join(t.TempDir(), "krb5cc")
	cmd := exec.Command("kinit", "-k", "-t", e.Krb5Keytab, "-c", cc, e.User()+"@"+e.Realm)
	cmd.Env = append(os.Environ(), "KRB5_CONFIG="+e.Krb5Config)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kinit (krb5-user, installed by scripts/samba-ad.sh): %v\n%s", err, out)
	}
	return cc
}
