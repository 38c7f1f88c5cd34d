package rtcclient

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/microsoft/go-mssqldb/msdsn"
)

func TestParseServer(t *testing.T) {
	cases := []struct {
		in   string
		want Target
		str  string
	}{
		{`fe01\rtclocal`, Target{Host: "fe01", Instance: "rtclocal"}, `fe01\rtclocal`},
		{`sql01.contoso.com\RTC`, Target{Host: "sql01.contoso.com", Instance: "RTC"}, `sql01.contoso.com\RTC`},
		{`sql01,1433`, Target{Host: "sql01", Port: 1433}, `sql01,1433`},
		{`sql01:14330`, Target{Host: "sql01", Port: 14330}, `sql01,14330`},
		{`127.0.0.1:50000`, Target{Host: "127.0.0.1", Port: 50000}, `127.0.0.1,50000`},
		{`[::1]:1433`, Target{Host: "::1", Port: 1433}, `::1,1433`},
		{`sql01\rtc,50123`, Target{Host: "sql01", Instance: "rtc", Port: 50123}, `sql01\rtc,50123`},
		{`sql01`, Target{Host: "sql01"}, `sql01`},
		{` localhost\rtclocal `, Target{Host: "localhost", Instance: "rtclocal"}, `localhost\rtclocal`},
	}
	for _, c := range cases {
		got, err := ParseServer(c.in)
		if err != nil {
			t.Errorf("ParseServer(%q): %v", c.in, err)
			continue
		}
		if got != c.want || got.String() != c.str {
			t.Errorf("ParseServer(%q) = %+v (%s), want %+v (%s)", c.in, got, got, c.want, c.str)
		}
	}
	for _, bad := range []string{"", `\rtc`, `sql01\`, "sql01,", "sql01,0", "sql01,70000", "sql01:x",
		"a,b", "sql01;database=master", `sql01"`, "sql01 sql02", "sql01:1433,1433"} {
		if got, err := ParseServer(bad); err == nil {
			t.Errorf("ParseServer(%q) = %+v, want an error", bad, got)
		}
	}
}

// TestConnString builds each string and reads it back with the driver's own
// parser, so the test checks what go-mssqldb will actually do.
func TestConnString(t *testing.T) {
	type want struct {
		host, instance string
		port           uint64
		user, password string
		encryption     msdsn.Encryption
		trust          bool
		spn            string
		params         map[string]string
		logged         string
	}
	ca := writeCA(t)
	cases := []struct {
		name     string
		cfg      Config
		server   string
		password string
		want     want
	}{
		{
			name:   "sql login, named instance, defaults",
			cfg:    Config{Auth: AuthSQL, User: "sa"},
			server: `sql01\rtc`, password: "s3cret",
			want: want{host: "sql01", instance: "rtc", user: "sa", password: "s3cret", encryption: msdsn.EncryptionOff,
				logged: `server=sql01\rtc;database=rtc;user id=sa;encrypt=false;app name=lyncmigrate;`},
		},
		{
			name:   "host,port with a password needing quotes",
			cfg:    Config{Auth: AuthSQL, User: "lync admin", Database: "rtclocal", Encrypt: "strict", CAFile: ca},
			server: `sql01,14330`, password: `p;a"ss= word `,
			want: want{host: "sql01", port: 14330, user: "lync admin", password: `p;a"ss= word `, encryption: msdsn.EncryptionStrict,
				params: map[string]string{"certificate": ca},
				logged: `server=sql01,14330;database=rtclocal;user id=lync admin;encrypt=strict;certificate=` + ca + `;app name=lyncmigrate;`},
		},
		{
			name:   "host:port, encrypt disable, trust",
			cfg:    Config{Auth: AuthSQL, User: "sa", Encrypt: "DISABLE", TrustServerCert: true},
			server: `127.0.0.1:50000`, password: "x",
			want: want{host: "127.0.0.1", port: 50000, user: "sa", password: "x", encryption: msdsn.EncryptionDisabled, trust: true,
				logged: `server=127.0.0.1,50000;database=rtc;user id=sa;encrypt=disable;trustservercertificate=true;app name=lyncmigrate;`},
		},
		{
			name:   "kerberos with keytab and SPN",
			cfg:    Config{Auth: AuthKerberos, User: "svc-lync@LYNCTEST.LOCAL", Krb5Config: "/tmp/krb5.conf", Krb5Keytab: "/tmp/svc.keytab", SPN: "MSSQLSvc/sql01.lynctest.local:1433", Encrypt: "true"},
			server: `sql01.lynctest.local`,
			want: want{host: "sql01.lynctest.local", user: "svc-lync@LYNCTEST.LOCAL", encryption: msdsn.EncryptionRequired,
				spn:    "MSSQLSvc/sql01.lynctest.local:1433",
				params: map[string]string{"authenticator": "krb5", "krb5-configfile": "/tmp/krb5.conf", "krb5-keytabfile": "/tmp/svc.keytab"},
				logged: `server=sql01.lynctest.local;database=rtc;authenticator=krb5;krb5-configfile=/tmp/krb5.conf;krb5-keytabfile=/tmp/svc.keytab;user id=svc-lync@LYNCTEST.LOCAL;serverspn=MSSQLSvc/sql01.lynctest.local:1433;encrypt=true;app name=lyncmigrate;`},
		},
		{
			name:   "kerberos with a credential cache, no user",
			cfg:    Config{Auth: AuthKerberos, Krb5Config: "/tmp/krb5.conf", Krb5CCache: "/tmp/krb5cc_0"},
			server: `fe01\rtclocal`,
			want: want{host: "fe01", instance: "rtclocal", encryption: msdsn.EncryptionOff,
				params: map[string]string{"authenticator": "krb5", "krb5-credcachefile": "/tmp/krb5cc_0"},
				logged: `server=fe01\rtclocal;database=rtc;authenticator=krb5;krb5-configfile=/tmp/krb5.conf;krb5-credcachefile=/tmp/krb5cc_0;encrypt=false;app name=lyncmigrate;`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tg, err := ParseServer(c.server)
			if err != nil {
				t.Fatal(err)
			}
			dsn, logged, err := c.cfg.ConnString(tg, c.password)
			if err != nil {
				t.Fatal(err)
			}
			if logged != c.want.logged {
				t.Errorf("logged\n got %s\nwant %s", logged, c.want.logged)
			}
			if c.password != "" && strings.Contains(logged, c.password) {
				t.Errorf("the logged string carries the password")
			}
			p, err := msdsn.Parse(dsn)
			if err != nil {
				t.Fatalf("driver cannot parse %q: %v", dsn, err)
			}
			w := c.want
			if p.Host != w.host || p.Instance != w.instance || p.Port != w.port {
				t.Errorf("host/instance/port = %q/%q/%d, want %q/%q/%d", p.Host, p.Instance, p.Port, w.host, w.instance, w.port)
			}
			if p.User != w.user || p.Password != w.password {
				t.Errorf("user/password = %q/%q, want %q/%q", p.User, p.Password, w.user, w.password)
			}
			if p.Encryption != w.encryption || p.TrustServerCertificate != w.trust {
				t.Errorf("encryption/trust = %v/%v, want %v/%v", p.Encryption, p.TrustServerCertificate, w.encryption, w.trust)
			}
			if p.ServerSPN != w.spn {
				t.Errorf("SPN %q, want %q", p.ServerSPN, w.spn)
			}
			if p.Database == "" {
				t.Errorf("no database")
			}
			for k, v := range w.params {
				if p.Parameters[k] != v {
					t.Errorf("parameter %s = %q, want %q", k, p.Parameters[k], v)
				}
			}
		})
	}
}

// Windows single sign-on is an empty user id; off Windows it is refused
// rather than silently falling back to something else.
func TestWindowsAuth(t *testing.T) {
	cfg := Config{Auth: AuthWindows}
	tg, _ := ParseServer(`localhost\rtclocal`)
	dsn, logged, err := cfg.ConnString(tg, "")
	if runtime.GOOS != "windows" {
		if err == nil || !strings.Contains(err.Error(), "works only on Windows") {
			t.Fatalf("windows auth off Windows: err = %v", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if logged != `server=localhost\rtclocal;database=rtc;encrypt=false;app name=lyncmigrate;` {
		t.Errorf("logged %s", logged)
	}
	p, err := msdsn.Parse(dsn)
	if err != nil || p.User != "" {
		t.Errorf("user id %q, err %v", p.User, err)
	}
}

func TestValidateAndWarnings(t *testing.T) {
	bad := []Config{
		{Auth: AuthSQL}, // no user
		{Auth: AuthSQL, User: "sa", Encrypt: "optional-ish"}, // bad encrypt
		{Auth: "ntlm", User: "sa"},
		{Auth: AuthWindows, User: "sa"},
		{Auth: AuthSQL, User: "sa", Servers: []string{"ok", "bad;server"}},
	}
	for _, c := range bad {
		if err := c.Validate(); err == nil {
			t.Errorf("Validate(%+v) accepted", c)
		}
	}
	good := Config{Auth: AuthSQL, User: "sa", Encrypt: "Disable", Servers: []string{`fe01\rtclocal`, "sql01,1433"}}
	if err := good.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	w := good.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "--sql-encrypt disable") {
		t.Errorf("warnings %q, want the disable + SQL login warning", w)
	}
	if w := (Config{Auth: AuthKerberos, Encrypt: "disable"}).Warnings(); len(w) != 0 {
		t.Errorf("kerberos + disable warned %q", w)
	}
}

// writeCA writes a throw-away CA certificate: the driver reads --sql-ca-file
// while parsing the connection string.
func writeCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
