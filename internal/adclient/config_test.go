package adclient

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		cfg    Config
		errHas string // "" = valid
	}{
		{"simple UPN", Config{Server: "dc1", Auth: AuthSimple, BindDN: "admin@example.com"}, ""},
		{"simple DN", Config{Server: "dc1", Auth: AuthSimple, BindDN: "CN=Admin,CN=Users,DC=example,DC=com"}, ""},
		{"simple down-level", Config{Server: "dc1", Auth: AuthSimple, BindDN: `EXAMPLE\admin`}, ""},
		{"default auth is simple off Windows", Config{Server: "dc1", BindDN: "admin@example.com"}, ""},
		{"upper-case auth", Config{Server: "dc1", Auth: "SIMPLE", BindDN: "admin@example.com"}, ""},
		{"simple without bind DN", Config{Server: "dc1", Auth: AuthSimple}, "--ldap-bind-dn is required"},
		{"simple with a bare name", Config{Server: "dc1", Auth: AuthSimple, BindDN: "admin"}, "UPN"},
		{"kerberos ccache", Config{Server: "dc1", Auth: AuthKerberos}, ""},
		{"kerberos keytab needs principal", Config{Server: "dc1", Auth: AuthKerberos, Krb5Keytab: "/k"}, "principal"},
		{"sspi (on any OS: Connect says where it works)", Config{Server: "dc1", Auth: AuthSSPI}, ""},
		// No --ldap-auth and no bind DN: the logged-on user on Windows; elsewhere simple, which needs one.
		{"default without bind DN", Config{Server: "dc1"}, map[bool]string{true: "", false: "--ldap-bind-dn is required"}[sspiAvailable]},
		{"insecure with a CA", Config{Server: "dc1", Auth: AuthKerberos, InsecureSkipVerify: true, CAFile: "ca.pem"}, "--ldap-insecure-skip-verify with --ldap-ca-file"},
		{"starttls over ldaps", Config{Server: "ldaps://dc1", StartTLS: true, Auth: AuthKerberos}, "--ldap-starttls with --ldap-server ldaps://dc1"},
		{"unknown auth", Config{Server: "dc1", Auth: "ntlm"}, "simple, kerberos or sspi"},
		{"bad server", Config{Server: "ftp://dc1", Auth: AuthKerberos}, "scheme"},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		if tt.errHas == "" && err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)) {
			t.Errorf("%s: %v; want error containing %q", tt.name, err, tt.errHas)
		}
	}
}

// sspi exists only where there is a logged-on Windows user: elsewhere Connect
// refuses it before dialling.
func TestConnectSSPIOnlyWindows(t *testing.T) {
	_, err := Connect(context.Background(), Config{Server: "127.0.0.1:1", Auth: AuthSSPI}, nil)
	if got := errors.Is(err, ErrSSPIOnlyWindows); got == sspiAvailable {
		t.Errorf("Connect = %v; sspi available here: %v", err, sspiAvailable)
	}
}

func TestIdentityAndPassword(t *testing.T) {
	t.Setenv("KRB5CCNAME", "FILE:/tmp/cc_test")
	tests := []struct {
		cfg      Config
		identity string
		password bool
	}{
		{Config{Auth: AuthSimple, BindDN: "admin@example.com"}, "admin@example.com (simple bind)", true},
		{Config{Auth: AuthKerberos, BindDN: "admin@EXAMPLE.COM", Krb5Keytab: "/etc/k.keytab"}, "admin@EXAMPLE.COM (kerberos, keytab /etc/k.keytab)", false},
		{Config{Auth: AuthKerberos}, "kerberos credential cache /tmp/cc_test", false},
		{Config{Auth: AuthKerberos, Krb5CCache: "/tmp/other"}, "kerberos credential cache /tmp/other", false},
		{Config{Auth: AuthKerberos, BindDN: "admin@EXAMPLE.COM"}, "admin@EXAMPLE.COM (kerberos, password)", true},
		{Config{Auth: AuthSSPI}, "the logged-on Windows user (sspi)", false},
		{Config{}, map[bool]string{true: "the logged-on Windows user (sspi)", false: " (simple bind)"}[sspiAvailable], !sspiAvailable},
	}
	for _, tt := range tests {
		if got := tt.cfg.Identity(); got != tt.identity {
			t.Errorf("Identity(%+v) = %q; want %q", tt.cfg, got, tt.identity)
		}
		if got := tt.cfg.NeedsPassword(); got != tt.password {
			t.Errorf("NeedsPassword(%+v) = %v; want %v", tt.cfg, got, tt.password)
		}
	}
}

func TestSplitPrincipal(t *testing.T) {
	tests := []struct{ in, user, realm string }{
		{"admin@lynctest.local", "admin", "LYNCTEST.LOCAL"},
		{`LYNCTEST\admin`, "admin", "LYNCTEST"},
		{"admin", "admin", ""},
	}
	for _, tt := range tests {
		u, r := splitPrincipal(tt.in)
		if u != tt.user || r != tt.realm {
			t.Errorf("splitPrincipal(%q) = %q, %q; want %q, %q", tt.in, u, r, tt.user, tt.realm)
		}
	}
}
