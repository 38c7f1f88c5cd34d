package adclient

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/setting"
)

// endpoint is where and how to dial, derived from --ldap-server and --ldap-starttls.
type endpoint struct {
	Scheme   string // "ldap" or "ldaps"
	Host     string // name or address, no port: the TLS server name and the default SPN's host
	Port     string
	StartTLS bool
}

func (e endpoint) Addr() string { return net.JoinHostPort(e.Host, e.Port) }

// URL is the canonical form shown in messages and the log.
func (e endpoint) URL() string {
	u := e.Scheme + "://" + e.Addr()
	if e.StartTLS {
		u += " (StartTLS)"
	}
	return u
}

// TLS reports whether the connection is encrypted (LDAPS or StartTLS).
func (e endpoint) TLS() bool { return e.Scheme == "ldaps" || e.StartTLS }

// parseServer applies SPEC 3.7: a bare host means LDAPS on 636 (or plain 389
// upgraded with StartTLS when --ldap-starttls is given); URLs are taken as
// written, and ldap:// without --ldap-starttls is plain only because the user
// asked for it.
func parseServer(server string, startTLS bool) (endpoint, error) {
	server = strings.TrimSpace(server)
	if server == "" {
		return endpoint{}, setting.Errorf("no %s given", setting.LDAPServer)
	}
	var e endpoint
	if i := strings.Index(server, "://"); i >= 0 {
		u, err := url.Parse(server)
		if err != nil {
			return endpoint{}, setting.Errorf("%s %q: %v", setting.LDAPServer, server, err)
		}
		e.Scheme = strings.ToLower(u.Scheme)
		if e.Scheme != "ldap" && e.Scheme != "ldaps" {
			return endpoint{}, setting.Errorf("%s %q: the scheme must be ldap:// or ldaps://", setting.LDAPServer, server)
		}
		if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.User != nil {
			return endpoint{}, setting.Errorf("%s %q: give only scheme, host and port (the base DN goes in %s)", setting.LDAPServer, server, setting.LDAPBase)
		}
		e.Host, e.Port = u.Hostname(), u.Port()
	} else {
		e.Scheme = "ldaps"
		if startTLS {
			e.Scheme = "ldap"
		}
		host, port, err := net.SplitHostPort(server)
		if err != nil {
			host, port = strings.Trim(server, "[]"), ""
		}
		if strings.ContainsAny(host, "/ \\@") {
			return endpoint{}, setting.Errorf("%s %q: not a host name", setting.LDAPServer, server)
		}
		e.Host, e.Port = host, port
	}
	if e.Host == "" {
		return endpoint{}, setting.Errorf("%s %q: no host", setting.LDAPServer, server)
	}
	if e.Port == "" {
		e.Port = "389"
		if e.Scheme == "ldaps" {
			e.Port = "636"
		}
	}
	if startTLS {
		if e.Scheme == "ldaps" {
			return endpoint{}, setting.Errorf("%s with %s %s: the connection is already TLS (ldaps://), StartTLS upgrades a plain ldap:// one; drop one, or use ldap://host or a bare host",
				setting.LDAPStartTLS, setting.LDAPServer, server)
		}
		e.StartTLS = true
	}
	return e, nil
}

// tlsConfig verifies the DC certificate against the system roots plus
// --ldap-ca-file (on Windows the system roots are the Windows store, so a
// domain CA trusted by the server verifies with no file).
func tlsConfig(e endpoint, cfg Config) (*tls.Config, error) {
	tc := &tls.Config{ServerName: e.Host, MinVersion: tls.VersionTLS12}
	if cfg.InsecureSkipVerify {
		tc.InsecureSkipVerify = true
		return tc, nil
	}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("--ldap-ca-file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ldap-ca-file %s: no PEM certificate in it", cfg.CAFile)
		}
		tc.RootCAs = pool
	}
	return tc, nil
}
