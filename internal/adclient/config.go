package adclient

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
	BindDN string // --ldap-bind-dn: UPN or DN

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

	Krb5Config string
	Krb5Keytab string
	Krb5CCache string
}
