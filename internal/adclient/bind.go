package adclient

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/go-ldap/ldap/v3"
	"github.com/go-ldap/ldap/v3/gssapi"
	"github.com/jcmturner/gokrb5/v8/client"
)

const defaultKrb5Config = "/etc/krb5.conf"

// NeedsPassword reports whether the mechanism uses PasswordFunc.
func (c Config) NeedsPassword() bool {
	switch c.auth() {
	case AuthSimple:
		return true
	case AuthKerberos:
		return c.Krb5Keytab == "" && c.Krb5CCache == "" && c.BindDN != ""
	}
	return false
}

// spn is --ldap-spn or ldap/<host>. With an address as the host, Kerberos
// cannot find the service: the user must name it.
func (c *Client) spn() string {
	if c.cfg.SPN != "" {
		return c.cfg.SPN
	}
	return "ldap/" + c.ep.Host
}

func (c Config) krb5Config() string {
	if c.Krb5Config != "" {
		return c.Krb5Config
	}
	return defaultKrb5Config
}

// ccachePath is --krb5-ccache, else $KRB5CCNAME, else the MIT default.
func (c Config) ccachePath() string {
	p := c.Krb5CCache
	if p == "" {
		p = os.Getenv("KRB5CCNAME")
	}
	if p == "" {
		p = fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid())
	}
	return strings.TrimPrefix(p, "FILE:")
}

func (c *Client) bind(conn *ldap.Conn) error {
	switch c.cfg.auth() {
	case AuthSimple:
		if c.password == "" {
			// An empty password makes AD do an unauthenticated bind that
			// "succeeds" and then fails every search: refuse it here.
			return errors.New("no password (set LYNCMIGRATE_LDAP_PASSWORD, --ldap-password-file, or run on a terminal to be prompted)")
		}
		_, err := conn.SimpleBind(ldap.NewSimpleBindRequest(c.cfg.BindDN, c.password, nil))
		return err
	case AuthKerberos:
		kc, err := c.kerberosClient()
		if err != nil {
			return err
		}
		defer kc.Close()
		return conn.GSSAPIBind(kc, c.spn(), "")
	case AuthSSPI:
		return sspiBind(conn, c.spn())
	}
	return fmt.Errorf("unknown --ldap-auth %q", c.cfg.Auth)
}

// kerberosClient builds a gokrb5 client from a keytab, a credential cache or
// the password, in that order of preference.
func (c *Client) kerberosClient() (*gssapi.Client, error) {
	conf := c.cfg.krb5Config()
	noFAST := func(s *client.Settings) {}
	user, realm := splitPrincipal(c.cfg.BindDN)
	switch {
	case c.cfg.Krb5Keytab != "":
		kc, err := gssapi.NewClientWithKeytab(user, realm, c.cfg.Krb5Keytab, conf, noFAST)
		if err != nil {
			return nil, fmt.Errorf("kerberos keytab %s (config %s): %w", c.cfg.Krb5Keytab, conf, err)
		}
		return kc, nil
	case c.cfg.Krb5CCache != "" || c.cfg.BindDN == "":
		kc, err := gssapi.NewClientFromCCache(c.cfg.ccachePath(), conf, noFAST)
		if err != nil {
			return nil, fmt.Errorf("kerberos credential cache %s (config %s; run kinit first): %w", c.cfg.ccachePath(), conf, err)
		}
		return kc, nil
	default:
		if c.password == "" {
			return nil, errors.New("kerberos with a password: no password (set LYNCMIGRATE_LDAP_PASSWORD or --ldap-password-file), or give --krb5-keytab or --krb5-ccache")
		}
		kc, err := gssapi.NewClientWithPassword(user, realm, c.password, conf, noFAST)
		if err != nil {
			return nil, fmt.Errorf("kerberos config %s: %w", conf, err)
		}
		return kc, nil
	}
}

// splitPrincipal turns user@REALM (or DOMAIN\user) into gokrb5's username and
// realm; an empty realm means the default_realm of krb5.conf.
func splitPrincipal(p string) (user, realm string) {
	if i := strings.LastIndex(p, "@"); i >= 0 {
		return p[:i], strings.ToUpper(p[i+1:])
	}
	if i := strings.Index(p, `\`); i >= 0 {
		return p[i+1:], strings.ToUpper(p[:i])
	}
	return p, ""
}
