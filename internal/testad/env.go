// Package testad is the Samba AD DC that the tests (through internal/testenv) and the
// tools (bench, demo, through tools/internal/lab) share: where it is, its start and its
// stop, and LDAP seeding. TEST/DEV ONLY: the product never links it (a test checks). It
// returns errors and imports no testing package.
package testad

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// Env is how to reach a test DC, from the LMTEST_* variables of scripts/samba-ad.sh's env.sh.
type Env struct {
	URL         string // ldaps://127.0.0.1:636
	PlainURL    string // ldap://127.0.0.1:389
	StartTLSURL string // the plain URL, for StartTLS
	Host        string // dc1.lynctest.local: TLS server name, and the SPN is ldap/<Host>
	BindDN      string // Administrator@lynctest.local
	Password    string
	Base        string // DC=lynctest,DC=local
	CAFile      string // the CA that signed the DC's certificate
	Krb5Config  string // krb5.conf with the KDC on 127.0.0.1
	Krb5Keytab  string // Administrator's keys
	Realm       string // LYNCTEST.LOCAL
	Dir         string // the DC's directory (logs under Dir/log), when known
}

// Variable names of scripts/samba-ad.sh's env.sh.
const (
	EnvURL      = "LMTEST_LDAP_URL"
	EnvPlainURL = "LMTEST_LDAP_PLAIN_URL"
	EnvHost     = "LMTEST_LDAP_HOST"
	EnvBind     = "LMTEST_LDAP_BIND"
	EnvPassword = "LMTEST_LDAP_PASSWORD"
	EnvBase     = "LMTEST_LDAP_BASE"
	EnvCAFile   = "LMTEST_LDAP_CA_FILE"
	EnvKrb5Conf = "LMTEST_KRB5_CONFIG"
	EnvRealm    = "LMTEST_KRB5_REALM"
	EnvKeytab   = "LMTEST_KRB5_KEYTAB"
	EnvDir      = "LMTEST_AD_DIR"
)

// FromEnv reads the LMTEST_* variables; the Kerberos ones may be missing (a DC not made by
// the script), the others may not.
func FromEnv(get func(string) string) (Env, error) {
	e := Env{
		URL: get(EnvURL), PlainURL: get(EnvPlainURL), Host: get(EnvHost), BindDN: get(EnvBind),
		Password: get(EnvPassword), Base: get(EnvBase), CAFile: get(EnvCAFile),
		Krb5Config: get(EnvKrb5Conf), Realm: get(EnvRealm), Krb5Keytab: get(EnvKeytab), Dir: get(EnvDir),
	}
	e.StartTLSURL = e.PlainURL
	var missing []string
	for _, kv := range [][2]string{
		{EnvURL, e.URL}, {EnvPlainURL, e.PlainURL}, {EnvHost, e.Host}, {EnvBind, e.BindDN},
		{EnvPassword, e.Password}, {EnvBase, e.Base}, {EnvCAFile, e.CAFile},
	} {
		if kv[1] == "" {
			missing = append(missing, kv[0])
		}
	}
	if len(missing) > 0 {
		return e, fmt.Errorf("%s set but %s not (source the env.sh of scripts/samba-ad.sh up)", EnvURL, strings.Join(missing, ", "))
	}
	return e, nil
}

// ReadEnvFile lets bash read env.sh (its values are shell-quoted) and keeps the LMTEST_ variables.
func ReadEnvFile(path string) (Env, error) {
	out, err := exec.Command("bash", "-c", `set -a; . "$1" && env -0`, "bash", path).Output()
	if err != nil {
		return Env{}, fmt.Errorf("read %s: %w", path, err)
	}
	vars := map[string]string{}
	for kv := range bytes.SplitSeq(out, []byte{0}) {
		if k, v, ok := strings.Cut(string(kv), "="); ok && strings.HasPrefix(k, "LMTEST_") {
			vars[k] = v
		}
	}
	e, err := FromEnv(func(k string) string { return vars[k] })
	if err != nil {
		return e, fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}

// User is the bind account's name without the domain (the Kerberos principal's name).
func (e Env) User() string { return strings.SplitN(e.BindDN, "@", 2)[0] }

// SPN is the DC's LDAP service principal.
func (e Env) SPN() string { return "ldap/" + e.Host }

// PoolDN is the Lync pool container that msRTCSIP-PrimaryHomeServer values point at
// (testdata/ad/rtc-pool-containers.ldif).
func (e Env) PoolDN() string {
	return "CN=Lc Services,CN=Microsoft,CN=1:1,CN=Pools,CN=RTC Service,CN=Services,CN=Configuration," + e.Base
}

// Domain is the DNS name of the base DN (DC=lynctest,DC=local → lynctest.local), for UPNs.
func (e Env) Domain() string {
	var parts []string
	for rdn := range strings.SplitSeq(e.Base, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(rdn), "="); ok && strings.EqualFold(k, "DC") {
			parts = append(parts, strings.ToLower(v))
		}
	}
	return strings.Join(parts, ".")
}

// TLSConfig verifies the DC's certificate against CAFile under the name Host.
func (e Env) TLSConfig() (*tls.Config, error) {
	pem, err := os.ReadFile(e.CAFile)
	if err != nil {
		return nil, fmt.Errorf("test DC CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("test DC CA %s: no certificate in it", e.CAFile)
	}
	return &tls.Config{RootCAs: pool, ServerName: e.Host, MinVersion: tls.VersionTLS12}, nil
}

// Dial opens an LDAPS connection verified against CAFile and bound as the administrator.
func (e Env) Dial() (*ldap.Conn, error) {
	tc, err := e.TLSConfig()
	if err != nil {
		return nil, err
	}
	c, err := ldap.DialURL(e.URL, ldap.DialWithTLSConfig(tc))
	if err != nil {
		return nil, fmt.Errorf("dial test DC %s: %w", e.URL, err)
	}
	c.SetTimeout(2 * time.Minute)
	if err := c.Bind(e.BindDN, e.Password); err != nil {
		c.Close()
		return nil, fmt.Errorf("bind to test DC as %s: %w", e.BindDN, err)
	}
	return c, nil
}
