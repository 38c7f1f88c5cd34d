package adclient

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/setting"
)

// Auth is the LDAP bind mechanism (--ldap-auth).
type Auth string

const (
	AuthSimple   Auth = "simple"
	AuthKerberos Auth = "kerberos"
	AuthSSPI     Auth = "sspi" // Windows only: the logged-on user
)

// Config is how to reach and bind to Active Directory (SPEC 3.7).
type Config struct {
	Server string // --ldap-server / -s/: a bare host (ldaps://host:636) or an ldap:// or ldaps:// URL
	BindDN string // --ldap-bind-dn: UPN or DN (kerberos: the principal, user@REALM)

	// PasswordFunc returns the bind password (environment, --ldap-password-file or a
	// prompt). It is called only when connecting, so that input errors stop a run
	// before anyone is prompted. nil means no password.
	PasswordFunc func() (string, error)

	Auth               Auth
	SPN                string // --ldap-spn, default ldap/<host>
	CAFile             string
	StartTLS           bool
	InsecureSkipVerify bool
	Base               string // --ldap-base; empty: the rootDSE defaultNamingContext

	Krb5Config string // default /etc/krb5.conf
	Krb5Keytab string
	Krb5CCache string

	// Conns is the number of connections the client keeps (each bound); requests
	// are spread over them. 0 means 1. Jobs set it from --workers.
	Conns int
}

// AuthValues are the values --ldap-auth takes.
var AuthValues = []string{string(AuthSimple), string(AuthKerberos), string(AuthSSPI)}

// ErrSSPIOnlyWindows refuses sspi where there is no logged-on Windows user:
// Connect returns it; cmd/lyncmigrate checks it for the OS it runs on.
var ErrSSPIOnlyWindows = setting.Errorf("%s sspi works only on Windows: use simple or kerberos (keytab, ccache or password)", setting.LDAPAuth)

// Validate checks the settings that can be checked without a network, so that
// a bad value is a usage error (exit 2) before any prompt or connection. The
// errors name the settings (internal/setting). Whether sspi exists here is
// Connect's to say (ErrSSPIOnlyWindows): a config is judged for any OS.
func (c Config) Validate() error {
	var errs []error
	if _, err := parseServer(c.Server, c.StartTLS); err != nil {
		errs = append(errs, err)
	}
	switch a := c.auth(); a {
	case AuthSimple:
		if c.BindDN == "" {
			errs = append(errs, setting.Errorf("%s simple: %s (a UPN such as admin@example.com, or a DN)", setting.LDAPAuth, setting.Required(setting.LDAPBindDN)))
		} else if !strings.Contains(c.BindDN, "@") && !strings.Contains(c.BindDN, "=") && !strings.Contains(c.BindDN, `\`) {
			// AD accepts a UPN, a DN or DOMAIN\user, never a bare name.
			errs = append(errs, setting.Errorf("%s %q: use a UPN (user@domain) or a DN (CN=…,DC=…)", setting.LDAPBindDN, c.BindDN))
		}
	case AuthKerberos:
		if c.Krb5Keytab != "" && c.BindDN == "" {
			errs = append(errs, setting.Errorf("%s needs %s (the principal, user@REALM)", setting.Krb5Keytab, setting.LDAPBindDN))
		}
	case AuthSSPI:
	default:
		errs = append(errs, setting.OneOf(setting.LDAPAuth, string(a), AuthValues))
	}
	if c.InsecureSkipVerify && c.CAFile != "" {
		errs = append(errs, setting.Errorf("%s with %s: the certificate is either verified against the CA or not at all; drop one",
			setting.LDAPInsecure, setting.LDAPCAFile))
	}
	return errors.Join(errs...)
}

// auth is the effective mechanism: the default is simple, except on Windows
// without a bind DN, where it is the logged-on user (sspi).
func (c Config) auth() Auth {
	if c.Auth != "" {
		return Auth(strings.ToLower(string(c.Auth)))
	}
	if c.BindDN == "" && sspiAvailable {
		return AuthSSPI
	}
	return AuthSimple
}

// Identity describes who binds, for the audit header of the log. It never
// contains a secret.
func (c Config) Identity() string {
	switch c.auth() {
	case AuthKerberos:
		switch {
		case c.Krb5Keytab != "":
			return fmt.Sprintf("%s (kerberos, keytab %s)", c.BindDN, c.Krb5Keytab)
		case c.Krb5CCache != "" || c.BindDN == "":
			return "kerberos credential cache " + c.ccachePath()
		default:
			return c.BindDN + " (kerberos, password)"
		}
	case AuthSSPI:
		return "the logged-on Windows user (sspi)"
	default:
		return c.BindDN + " (simple bind)"
	}
}
