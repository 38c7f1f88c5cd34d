package rtcclient

import (
	"errors"
	"runtime"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/setting"
)

// EncryptValues are the values --sql-encrypt takes, as go-mssqldb reads them.
var EncryptValues = []string{"disable", "false", "true", "strict"}

// DefaultDatabase is the rtc database name (Cisco: "Database=rtc").
const DefaultDatabase = "rtc"

// WithDefaults fills the defaults of SPEC 3.7 (database rtc, encrypt false,
// auth windows on Windows without a user, else sql).
func (c Config) WithDefaults() Config {
	if c.Database == "" {
		c.Database = DefaultDatabase
	}
	if c.Encrypt == "" {
		c.Encrypt = "false"
	}
	c.Encrypt = strings.ToLower(c.Encrypt)
	if c.Auth == "" {
		c.Auth = AuthSQL
		if runtime.GOOS == "windows" && c.User == "" {
			c.Auth = AuthWindows
		}
	}
	return c
}

// AuthValues are the values --sql-auth takes.
var AuthValues = []string{string(AuthWindows), string(AuthSQL), string(AuthKerberos)}

// ErrWindowsAuthOnlyWindows refuses windows auth where there is no logged-on
// Windows user: ConnString returns it; cmd/lyncmigrate checks it for the OS it
// runs on.
var ErrWindowsAuthOnlyWindows = setting.Errorf("%s windows works only on Windows (the logged-on user): use sql (with %s) or kerberos",
	setting.SQLAuth, setting.SQLUser)

// Validate checks the settings that need no server, every problem at once;
// the errors name the settings (internal/setting) and are usage errors.
// Whether windows auth exists here is ConnString's to say
// (ErrWindowsAuthOnlyWindows): a config is judged for any OS.
func (c Config) Validate() error {
	c = c.WithDefaults()
	errs := []error{setting.OneOf(setting.SQLEncrypt, c.Encrypt, EncryptValues)}
	switch c.Auth {
	case AuthWindows:
		if c.User != "" {
			errs = append(errs, setting.Errorf("%s windows uses the logged-on user; drop %s (or use %s sql)", setting.SQLAuth, setting.SQLUser, setting.SQLAuth))
		}
	case AuthSQL:
		if c.User == "" {
			errs = append(errs, setting.Errorf("%s sql: %s", setting.SQLAuth, setting.Required(setting.SQLUser)))
		}
	case AuthKerberos:
	default:
		errs = append(errs, setting.OneOf(setting.SQLAuth, string(c.Auth), AuthValues))
	}
	if c.TrustServerCert && c.CAFile != "" {
		errs = append(errs, setting.Errorf("%s with %s: the certificate is either verified against the CA or not at all; drop one",
			setting.SQLTrustCert, setting.SQLCAFile))
	}
	seen := map[string]bool{}
	for _, s := range c.Servers {
		t, err := ParseServer(s)
		if err != nil {
			errs = append(errs, setting.Errorf("%s: %v", setting.SQLServer, err))
			continue
		}
		k := strings.ToLower(t.String())
		if seen[k] {
			errs = append(errs, setting.Errorf("%s %s given twice", setting.SQLServer, strings.TrimSpace(s)))
		}
		seen[k] = true
	}
	return errors.Join(errs...)
}

// NeedsPassword reports whether the authentication uses PasswordFunc: a SQL
// login always; kerberos with a user but neither a keytab nor a credential
// cache.
func (c Config) NeedsPassword() bool {
	c = c.WithDefaults()
	switch c.Auth {
	case AuthSQL:
		return true
	case AuthKerberos:
		return c.User != "" && c.Krb5Keytab == "" && c.Krb5CCache == ""
	}
	return false
}

// Warnings are the WARN lines the settings deserve (logged at the top of a run).
func (c Config) Warnings() []string {
	c = c.WithDefaults()
	var w []string
	if c.Encrypt == "disable" && c.Auth == AuthSQL {
		w = append(w, "--sql-encrypt disable with a SQL login: the password crosses the network unencrypted")
	}
	if c.TrustServerCert {
		w = append(w, "--sql-trust-server-cert: the SQL Server certificate is not verified")
	}
	return w
}

// ConnString builds the go-mssqldb connection string (ADO form) for one
// server, and the same string with the password removed for the log
// ("Attempting to Open connection with String : …", as Cisco logged it).
// password is the SQL login (or Kerberos) password, "" for none.
func (c Config) ConnString(t Target, password string) (dsn, logged string, err error) {
	c = c.WithDefaults()
	if err := c.Validate(); err != nil {
		return "", "", err
	}
	var kv [][2]string
	add := func(k, v string) { kv = append(kv, [2]string{k, v}) }
	add("server", t.server())
	add("database", c.Database)
	switch c.Auth {
	case AuthWindows:
		// An empty user id is go-mssqldb's single sign-on with the
		// logged-on user on Windows (winsspi); nothing else triggers it.
		if runtime.GOOS != "windows" {
			return "", "", ErrWindowsAuthOnlyWindows
		}
	case AuthSQL:
		add("user id", c.User)
		add("password", password)
	case AuthKerberos:
		add("authenticator", "krb5")
		if c.Krb5Config != "" {
			add("krb5-configfile", c.Krb5Config)
		}
		if c.Krb5Keytab != "" {
			add("krb5-keytabfile", c.Krb5Keytab)
		}
		if c.Krb5CCache != "" {
			add("krb5-credcachefile", c.Krb5CCache)
		}
		if c.User != "" {
			add("user id", c.User)
		}
		if password != "" {
			add("password", password)
		}
	}
	if c.SPN != "" {
		add("serverspn", c.SPN)
	}
	add("encrypt", c.Encrypt)
	if c.TrustServerCert {
		add("trustservercertificate", "true")
	}
	if c.CAFile != "" {
		add("certificate", c.CAFile)
	}
	add("app name", "lyncmigrate")

	var full, redacted strings.Builder
	for _, p := range kv {
		part := p[0] + "=" + adoQuote(p[1]) + ";"
		full.WriteString(part)
		if p[0] != "password" {
			redacted.WriteString(part)
		}
	}
	return full.String(), redacted.String(), nil
}

// adoQuote quotes an ADO value when it needs it: go-mssqldb takes a value in
// double quotes literally, with "" for a quote.
func adoQuote(v string) string {
	if v == "" || strings.ContainsAny(v, `;"'=`) || strings.TrimSpace(v) != v {
		return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	return v
}
