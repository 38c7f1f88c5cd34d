package adclient

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseServer(t *testing.T) {
	tests := []struct {
		server   string
		startTLS bool
		url      string // endpoint.URL(); "" = error expected
		host     string
		errHas   string
	}{
		{"dc1.example.com", false, "ldaps://dc1.example.com:636", "dc1.example.com", ""},
		{"dc1.example.com:3269", false, "ldaps://dc1.example.com:3269", "dc1.example.com", ""},
		{"dc1.example.com", true, "ldap://dc1.example.com:389 (StartTLS)", "dc1.example.com", ""},
		{"ldap://dc1.example.com", false, "ldap://dc1.example.com:389", "dc1.example.com", ""},
		{"LDAP://DC1.example.com:1389", false, "ldap://DC1.example.com:1389", "DC1.example.com", ""},
		{"ldap://dc1.example.com", true, "ldap://dc1.example.com:389 (StartTLS)", "dc1.example.com", ""},
		{"ldaps://127.0.0.1", false, "ldaps://127.0.0.1:636", "127.0.0.1", ""},
		{"ldaps://[::1]:1636/", false, "ldaps://[::1]:1636", "::1", ""},
		{"[::1]", false, "ldaps://[::1]:636", "::1", ""},
		{"  dc1 ", false, "ldaps://dc1:636", "dc1", ""},
		{"", false, "", "", "no --ldap-server"},
		{"ldaps://dc1", true, "", "", "already TLS"},
		{"http://dc1", false, "", "", "ldap:// or ldaps://"},
		{"ldap://dc1/DC=example,DC=com", false, "", "", "--ldap-base"},
		{"ldap://user@dc1", false, "", "", "only scheme, host and port"},
		{"ldap://", false, "", "", "no host"},
		{`dc1\sub`, false, "", "", "not a host name"},
	}
	for _, tt := range tests {
		e, err := parseServer(tt.server, tt.startTLS)
		if tt.url == "" {
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("parseServer(%q, %v) = %v, %v; want error containing %q", tt.server, tt.startTLS, e.URL(), err, tt.errHas)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseServer(%q, %v): %v", tt.server, tt.startTLS, err)
			continue
		}
		if e.URL() != tt.url || e.Host != tt.host {
			t.Errorf("parseServer(%q, %v) = %s host %q; want %s host %q", tt.server, tt.startTLS, e.URL(), e.Host, tt.url, tt.host)
		}
		if !e.TLS() && (tt.startTLS || e.Scheme == "ldaps") {
			t.Errorf("parseServer(%q, %v): TLS() false", tt.server, tt.startTLS)
		}
	}
}

func TestTLSConfig(t *testing.T) {
	dir := t.TempDir()
	caPEM, err := os.ReadFile("testdata/ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(caPEM)
	ca, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(dir, "not.pem")
	os.WriteFile(notPEM, []byte("hello"), 0o600)
	e := endpoint{Scheme: "ldaps", Host: "dc1.example.com", Port: "636"}

	tc, err := tlsConfig(e, Config{})
	if err != nil || tc.InsecureSkipVerify || tc.ServerName != "dc1.example.com" || tc.RootCAs != nil {
		t.Errorf("default: %+v, %v; want verification against the system roots for dc1.example.com", tc, err)
	}
	tc, err = tlsConfig(e, Config{CAFile: "testdata/ca.pem"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.Verify(x509.VerifyOptions{Roots: tc.RootCAs}); err != nil {
		t.Errorf("the CA of --ldap-ca-file is not in the pool: %v", err)
	}
	if _, err := tlsConfig(e, Config{CAFile: notPEM}); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("a file without PEM: %v", err)
	}
	if _, err := tlsConfig(e, Config{CAFile: filepath.Join(dir, "missing.pem")}); err == nil {
		t.Error("a missing CA file is not an error")
	}
	tc, _ = tlsConfig(e, Config{InsecureSkipVerify: true})
	if !tc.InsecureSkipVerify {
		t.Error("--ldap-insecure-skip-verify not applied")
	}
}
