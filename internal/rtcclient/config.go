package rtcclient

// Auth is the SQL Server authentication mode (--sql-auth).
type Auth string

const (
	AuthWindows  Auth = "windows" // the logged-on user (go-mssqldb single sign-on)
	AuthSQL      Auth = "sql"
	AuthKerberos Auth = "kerberos"
)

// Config is how to reach the rtc database(s) (SPEC 3.7).
type Config struct {
	Servers  []string // host\instance, host,port or host:port; never split on commas
	Database string   // default "rtc"
	Auth     Auth
	User     string

	// PasswordFunc returns the SQL login password (environment or
	// --sql-password-file). Called only when connecting; nil means none.
	PasswordFunc func() (string, error)

	SPN             string
	Encrypt         string // disable|false|true|strict (default false)
	TrustServerCert bool
	CAFile          string

	Krb5Config string
	Krb5Keytab string
	Krb5CCache string

	// Conns is how many connections to each server the pool keeps open
	// (database/sql's max open and idle); 0 leaves database/sql's defaults.
	// Jobs set it from --workers (run.Session.SQL).
	Conns int
}
