package rtcclient

import (
	"fmt"
	"runtime"
	"strings"
)

// Encrypt values (--sql-encrypt), as go-mssqldb reads them.
var encryptValues = []string{"disable", "false", "true", "strict"}

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

// Validate checks the settings that need no server; errors are usage errors.
func (c Config) Validate() error {
	c = c.WithDefaults()
	ok := false
	for _, v := range encryptValues {
		ok = ok || c.Encrypt == v
	}
	if !ok {
		return fmt.Errorf("--sql-encrypt %q: want disable, false, true or strict", c.Encrypt)
	}
	switch c.Auth {
	case AuthWindows:
		if c.User != "" {
			return fmt.Errorf("--sql-auth windows uses the logged-on user; drop --sql-user (or use --sql-auth sql)")
		}
	case AuthSQL:
		if c.User == "" {
			return fmt.Errorf("--sql-auth sql needs --sql-user")
		}
	case AuthKerberos:
	default:
		return fmt.Errorf("--sql-auth %q: want windows, sql or kerberos", c.Auth)
	}
	for _, s := range c.Servers {
		if _, err := ParseServer(s); err != nil {
			return err
		}
	}
	return nil
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
			return "", "", fmt.Errorf("--sql-auth windows needs Windows (the logged-on user); here use --sql-auth sql or kerberos")
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
