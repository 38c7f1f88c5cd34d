// Package testenv holds TEST-ONLY helpers: the shared Samba AD DC and in-process rtcsim servers.
// Product code never imports it.
package testenv

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// Where a package run alone starts the shared DC (scripts/samba-ad.sh up), under an flock on
// adLockFile so that packages testing in parallel start it once and then share it. It is left
// running for the next run; `make ad-down` (scripts/samba-ad.sh down /tmp/lyncmigrate-samba) stops it.
// Samba's index records grow with every object ever added (deleted ones stay as tombstones), so adds
// and deletes on a long-lived DC slow down run after run: `make ad-down` also resets that.
const (
	SharedADDir = "/tmp/lyncmigrate-samba"
	adLockFile  = "/tmp/lyncmigrate-samba.lock"
)

// ADEnv is how to reach the test DC, from the LMTEST_* variables of scripts/samba-ad.sh's env.sh.
type ADEnv struct {
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

// User is the bind account's name without the domain (the Kerberos principal's name).
func (e ADEnv) User() string { return strings.SplitN(e.BindDN, "@", 2)[0] }

// SPN is the DC's LDAP service principal.
func (e ADEnv) SPN() string { return "ldap/" + e.Host }

// PoolDN is the Lync pool container that msRTCSIP-PrimaryHomeServer values point at
// (testdata/ad/rtc-pool-containers.ldif).
func (e ADEnv) PoolDN() string {
	return "CN=Lc Services,CN=Microsoft,CN=1:1,CN=Pools,CN=RTC Service,CN=Services,CN=Configuration," + e.Base
}

// TLSConfig verifies the DC's certificate against CAFile under the name Host.
func (e ADEnv) TLSConfig(t testing.TB) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(e.CAFile)
	if err != nil {
		t.Fatalf("test DC CA: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("test DC CA %s: no certificate in it", e.CAFile)
	}
	return &tls.Config{RootCAs: pool, ServerName: e.Host, MinVersion: tls.VersionTLS12}
}

// Dial opens an LDAPS connection bound as the administrator; it is closed when the test ends.
func (e ADEnv) Dial(t testing.TB) *ldap.Conn {
	t.Helper()
	c, err := e.dial(e.TLSConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func (e ADEnv) dial(tc *tls.Config) (*ldap.Conn, error) {
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

// AD returns the test DC. With LMTEST_LDAP_URL set (make test, .ci/run, or a sourced env.sh) it
// describes that DC; otherwise the shared DC in SharedADDir is started if needed. When there is no
// DC to be had the test is skipped, or fails when CI is set.
func AD(t testing.TB) ADEnv {
	t.Helper()
	adState.once.Do(func() { adState.env, adState.log, adState.err = findAD() })
	if adState.err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Samba AD DC unavailable (CI is set, so this fails): %v", adState.err)
		}
		t.Skipf("Samba AD DC unavailable: %v", adState.err)
	}
	if adState.log != "" {
		adState.logOnce.Do(func() { t.Log(adState.log) })
	}
	return adState.env
}

var adState struct {
	once, logOnce sync.Once
	env           ADEnv
	log           string // what the start said (timings), logged by the first test
	err           error
}

// Variable names of scripts/samba-ad.sh's env.sh.
const (
	envURL      = "LMTEST_LDAP_URL"
	envPlainURL = "LMTEST_LDAP_PLAIN_URL"
	envHost     = "LMTEST_LDAP_HOST"
	envBind     = "LMTEST_LDAP_BIND"
	envPassword = "LMTEST_LDAP_PASSWORD"
	envBase     = "LMTEST_LDAP_BASE"
	envCAFile   = "LMTEST_LDAP_CA_FILE"
	envKrb5Conf = "LMTEST_KRB5_CONFIG"
	envRealm    = "LMTEST_KRB5_REALM"
	envKeytab   = "LMTEST_KRB5_KEYTAB"
	envDir      = "LMTEST_AD_DIR"
)

func findAD() (ADEnv, string, error) {
	if os.Getenv(envURL) != "" {
		e, err := adFromEnv(os.Getenv)
		return e, "", err
	}
	return startSharedAD()
}

// adFromEnv reads the LMTEST_* variables; the Kerberos ones may be missing (a DC not made by the
// script), the others may not.
func adFromEnv(get func(string) string) (ADEnv, error) {
	e := ADEnv{
		URL: get(envURL), PlainURL: get(envPlainURL), Host: get(envHost), BindDN: get(envBind),
		Password: get(envPassword), Base: get(envBase), CAFile: get(envCAFile),
		Krb5Config: get(envKrb5Conf), Realm: get(envRealm), Krb5Keytab: get(envKeytab), Dir: get(envDir),
	}
	e.StartTLSURL = e.PlainURL
	var missing []string
	for _, kv := range [][2]string{
		{envURL, e.URL}, {envPlainURL, e.PlainURL}, {envHost, e.Host}, {envBind, e.BindDN},
		{envPassword, e.Password}, {envBase, e.Base}, {envCAFile, e.CAFile},
	} {
		if kv[1] == "" {
			missing = append(missing, kv[0])
		}
	}
	if len(missing) > 0 {
		return e, fmt.Errorf("%s set but %s not (source the env.sh of scripts/samba-ad.sh up)", envURL, strings.Join(missing, ", "))
	}
	return e, nil
}

// startSharedAD runs `scripts/samba-ad.sh up SharedADDir` under the lock (a no-op when it already
// runs) and reads its env.sh.
func startSharedAD() (ADEnv, string, error) {
	if runtime.GOOS == "windows" {
		return ADEnv{}, "", errors.New("the test DC runs only on Linux; set the LMTEST_LDAP_* variables to use another one")
	}
	if os.Geteuid() != 0 {
		return ADEnv{}, "", errors.New("starting Samba needs root (or run `make test`, or source the env.sh of a DC started with scripts/samba-ad.sh up DIR)")
	}
	if !haveSamba() && os.Getenv("CI") == "" {
		// CI is a fresh machine where the script installs Samba; elsewhere do not install behind a developer's back.
		return ADEnv{}, "", errors.New("samba is not installed (`make test` or scripts/samba-ad.sh up DIR installs it)")
	}
	script, err := repoFile("scripts/samba-ad.sh")
	if err != nil {
		return ADEnv{}, "", err
	}
	unlock, err := lockFile(adLockFile)
	if err != nil {
		return ADEnv{}, "", err
	}
	defer unlock()
	out, err := exec.Command("bash", script, "up", SharedADDir).CombinedOutput()
	if err != nil {
		return ADEnv{}, "", fmt.Errorf("%s up %s: %w\n%s", script, SharedADDir, err, tail(out, 20))
	}
	e, err := readEnvFile(filepath.Join(SharedADDir, "env.sh"))
	return e, strings.TrimSpace(string(out)), err
}

func haveSamba() bool {
	if _, err := exec.LookPath("samba"); err == nil {
		return true
	}
	_, err := os.Stat("/usr/sbin/samba")
	return err == nil
}

// readEnvFile lets bash read env.sh (its values are shell-quoted) and keeps the LMTEST_ variables.
func readEnvFile(path string) (ADEnv, error) {
	out, err := exec.Command("bash", "-c", `set -a; . "$1" && env -0`, "bash", path).Output()
	if err != nil {
		return ADEnv{}, fmt.Errorf("read %s: %w", path, err)
	}
	vars := map[string]string{}
	for kv := range bytes.SplitSeq(out, []byte{0}) {
		if k, v, ok := strings.Cut(string(kv), "="); ok && strings.HasPrefix(k, "LMTEST_") {
			vars[k] = v
		}
	}
	e, err := adFromEnv(func(k string) string { return vars[k] })
	if err != nil {
		return e, fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}

// repoFile finds rel under the module root, walking up from the package directory a test runs in.
func repoFile(rel string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, rel)
			if _, err := os.Stat(p); err != nil {
				return "", fmt.Errorf("module root %s: %w", dir, err)
			}
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s: no go.mod above the working directory", rel)
		}
		dir = parent
	}
}

func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
