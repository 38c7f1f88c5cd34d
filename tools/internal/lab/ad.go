// Package lab runs the servers of `make bench` and `make demo`: the Samba AD DC of
// scripts/samba-ad.sh, rtcsim as a subprocess, and the product binary as a measured child
// process. It is tooling, never imported by the product.
package lab

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// SharedADDir is the DC that internal/testenv and `make ad-up` share: when it runs, the bench
// and the demo use it rather than fight it for the fixed ports.
const SharedADDir = "/tmp/lyncmigrate-samba"

// AD is how to reach a Samba DC made by scripts/samba-ad.sh.
type AD struct {
	URL      string // ldaps://127.0.0.1:636
	Host     string // dc1.lynctest.local: the certificate's name (it also names localhost)
	BindDN   string // Administrator@lynctest.local
	Password string
	Base     string // DC=lynctest,DC=local
	CAFile   string
	Dir      string // the DC's folder
	Started  bool   // this process started it, so it stops it (StopAD)
	root     string
}

// Server is the --ldap-server value the product gets: a bare host, so ldaps on 636 verified
// against CAFile. The certificate names dc1.lynctest.local and localhost; only the latter
// resolves without a hosts entry.
func (a AD) Server() string { return "localhost" }

// FindAD returns a running DC — the one named by LMTEST_LDAP_URL and friends, or the shared
// one — or starts one in startDir with scripts/samba-ad.sh (Started is then true).
func FindAD(root, startDir string) (AD, error) {
	if os.Getenv("LMTEST_LDAP_URL") != "" {
		a, err := adFrom(os.Getenv)
		a.root = root
		return a, err
	}
	script := filepath.Join(root, "scripts", "samba-ad.sh")
	for _, dir := range []string{SharedADDir, startDir} {
		if exec.Command("bash", script, "status", dir).Run() == nil {
			a, err := readEnvSh(filepath.Join(dir, "env.sh"))
			// a DC left in our own folder by an interrupted run is ours to stop
			a.Started, a.root = err == nil && dir == startDir && dir != SharedADDir, root
			return a, err
		}
	}
	out, err := exec.Command("bash", script, "up", startDir).CombinedOutput()
	if err != nil {
		return AD{}, fmt.Errorf("%s up %s: %w\n%s", script, startDir, err, out)
	}
	a, err := readEnvSh(filepath.Join(startDir, "env.sh"))
	a.Started, a.root = err == nil, root
	return a, err
}

// StopAD stops the DC if this process started it.
func (a AD) StopAD() error {
	if !a.Started {
		return nil
	}
	out, err := exec.Command("bash", filepath.Join(a.root, "scripts", "samba-ad.sh"), "down", a.Dir).CombinedOutput()
	if err != nil {
		return fmt.Errorf("samba-ad.sh down %s: %w\n%s", a.Dir, err, out)
	}
	return nil
}

// readEnvSh lets bash read env.sh (its values are shell-quoted).
func readEnvSh(path string) (AD, error) {
	out, err := exec.Command("bash", "-c", `set -a; . "$1" && env -0`, "bash", path).Output()
	if err != nil {
		return AD{}, fmt.Errorf("read %s: %w", path, err)
	}
	vars := map[string]string{}
	for kv := range bytes.SplitSeq(out, []byte{0}) {
		if k, v, ok := strings.Cut(string(kv), "="); ok {
			vars[k] = v
		}
	}
	a, err := adFrom(func(k string) string { return vars[k] })
	if err != nil {
		return a, fmt.Errorf("%s: %w", path, err)
	}
	if a.Dir == "" {
		a.Dir = filepath.Dir(path)
	}
	return a, nil
}

func adFrom(get func(string) string) (AD, error) {
	a := AD{
		URL: get("LMTEST_LDAP_URL"), Host: get("LMTEST_LDAP_HOST"), BindDN: get("LMTEST_LDAP_BIND"),
		Password: get("LMTEST_LDAP_PASSWORD"), Base: get("LMTEST_LDAP_BASE"), CAFile: get("LMTEST_LDAP_CA_FILE"),
		Dir: get("LMTEST_AD_DIR"),
	}
	for k, v := range map[string]string{"LMTEST_LDAP_URL": a.URL, "LMTEST_LDAP_BIND": a.BindDN,
		"LMTEST_LDAP_PASSWORD": a.Password, "LMTEST_LDAP_BASE": a.Base, "LMTEST_LDAP_CA_FILE": a.CAFile} {
		if v == "" {
			return a, fmt.Errorf("%s is not set", k)
		}
	}
	return a, nil
}

// Dial opens an LDAPS connection, verified against the DC's CA, bound as the administrator.
func (a AD) Dial() (*ldap.Conn, error) {
	pem, err := os.ReadFile(a.CAFile)
	if err != nil {
		return nil, fmt.Errorf("DC CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("DC CA %s: no certificate", a.CAFile)
	}
	tc := &tls.Config{RootCAs: pool, ServerName: a.Server(), MinVersion: tls.VersionTLS12}
	c, err := ldap.DialURL(a.URL, ldap.DialWithTLSConfig(tc))
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", a.URL, err)
	}
	c.SetTimeout(2 * time.Minute)
	if err := c.Bind(a.BindDN, a.Password); err != nil {
		c.Close()
		return nil, fmt.Errorf("bind as %s: %w", a.BindDN, err)
	}
	return c, nil
}

// PoolDN is the Lync pool container that msRTCSIP-PrimaryHomeServer points at
// (testdata/ad/rtc-pool-containers.ldif).
func (a AD) PoolDN() string {
	return "CN=Lc Services,CN=Microsoft,CN=1:1,CN=Pools,CN=RTC Service,CN=Services,CN=Configuration," + a.Base
}

// Domain is the DNS name of the base DN, for UPNs.
func (a AD) Domain() string {
	var parts []string
	for rdn := range strings.SplitSeq(a.Base, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(rdn), "="); ok && strings.EqualFold(k, "DC") {
			parts = append(parts, strings.ToLower(v))
		}
	}
	return strings.Join(parts, ".")
}
