package adclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

type recLog struct{ warns, debugs []string }

func (r *recLog) Warnf(f string, a ...any)  { r.warns = append(r.warns, fmt.Sprintf(f, a...)) }
func (r *recLog) Debugf(f string, a ...any) { r.debugs = append(r.debugs, fmt.Sprintf(f, a...)) }

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) string { return testenv.ClosedAddr(t) }

func TestConnectLDAPSRefused(t *testing.T) {
	addr := closedPort(t)
	pw := func() (string, error) { return "Secret!1", nil }
	_, err := Connect(context.Background(), Config{Server: addr, BindDN: "a@b.c", PasswordFunc: pw}, nil)
	if !errors.Is(err, ErrLDAPSRefused) {
		t.Fatalf("err = %v; want ErrLDAPSRefused", err)
	}
	_, port, _ := net.SplitHostPort(addr)
	for _, want := range []string{"ldaps://" + addr, "port " + port + " of 127.0.0.1", "certificate", "--ldap-starttls", "ldap://127.0.0.1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	// The user never read our SPEC, and did not dial 636.
	for _, not := range []string{"SPEC", "port 636"} {
		if strings.Contains(err.Error(), not) {
			t.Errorf("message %q mentions %q", err, not)
		}
	}
	// ours, then the dialer's (its text is the system's: Windows words it otherwise)
	if strings.Count(err.Error(), "LDAPS connection refused") != 1 || !strings.Contains(err.Error(), "(dial tcp "+addr+": ") {
		t.Errorf("message %q: want our sentence and the system's cause", err)
	}
	// Plain LDAP refused is an ordinary connect error, with no LDAPS advice.
	_, err = Connect(context.Background(), Config{Server: "ldap://" + addr, BindDN: "a@b.c", PasswordFunc: pw}, nil)
	if err == nil || errors.Is(err, ErrLDAPSRefused) || !strings.Contains(err.Error(), "ldap://"+addr) {
		t.Errorf("plain refused: %v", err)
	}
}

func TestConnectUntrustedCertificate(t *testing.T) {
	srv := httptest.NewTLSServer(nil) // any TLS listener with a self-signed certificate
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	_, err := Connect(context.Background(), Config{Server: addr, BindDN: "a@b.c",
		PasswordFunc: func() (string, error) { return "x", nil }}, nil)
	if err == nil || !strings.Contains(err.Error(), "--ldap-ca-file") {
		t.Errorf("untrusted certificate: %v; want a hint to --ldap-ca-file", err)
	}
}

func TestConnectInsecureWarns(t *testing.T) {
	log := &recLog{}
	addr := closedPort(t)
	Connect(context.Background(), Config{Server: addr, BindDN: "a@b.c", InsecureSkipVerify: true,
		PasswordFunc: func() (string, error) { return "pw", nil }}, log)
	if len(log.warns) != 1 || !strings.Contains(log.warns[0], "NOT verified") {
		t.Errorf("warnings %q; want one loud warning about the unverified certificate", log.warns)
	}
}

func TestConnectPasswordErrorStops(t *testing.T) {
	_, err := Connect(context.Background(), Config{Server: closedPort(t), BindDN: "a@b.c",
		PasswordFunc: func() (string, error) { return "", errors.New("no terminal") }}, nil)
	if err == nil || !strings.Contains(err.Error(), "no terminal") {
		t.Errorf("err = %v", err)
	}
}

func TestSSPIOffWindows(t *testing.T) {
	ostest.SkipOnWindows(t, "tests the refusal of sspi off Windows")
	c := &Client{cfg: Config{Auth: AuthSSPI}}
	if err := c.bind(nil); err == nil || !strings.Contains(err.Error(), "only on Windows") {
		t.Errorf("sspi off Windows: %v", err)
	}
}
