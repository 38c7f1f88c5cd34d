// Package testenv holds TEST-ONLY helpers: the shared Samba AD DC and in-process rtcsim servers.
// Product code never imports it.
package testenv

import (
	"crypto/tls"
	"os"
	"sync"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"github.com/lyncmigrate/lyncmigrate/internal/testad"
)

// SharedADDir is where a package run alone starts the shared DC (internal/testad: it stops
// once the last process using it has ended; `make ad-up` keeps one across runs).
const SharedADDir = testad.SharedDir

// ADEnv is how to reach the test DC (testad.Env), with helpers that fail the test.
type ADEnv struct{ testad.Env }

// TLSConfig verifies the DC's certificate against CAFile under the name Host.
func (e ADEnv) TLSConfig(t testing.TB) *tls.Config {
	t.Helper()
	c, err := e.Env.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Dial opens an LDAPS connection bound as the administrator; it is closed when the test ends.
func (e ADEnv) Dial(t testing.TB) *ldap.Conn {
	t.Helper()
	c, err := e.Env.Dial()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// AD returns the test DC (testad.Use): the one LMTEST_LDAP_URL names (make test, .ci/run, or a
// sourced env.sh), else the shared one, started if needed. When there is no DC to be had the
// test is skipped, or fails when CI is set.
func AD(t testing.TB) ADEnv {
	t.Helper()
	e, log, err := testad.Use()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Samba AD DC unavailable (CI is set, so this fails): %v", err)
		}
		t.Skipf("Samba AD DC unavailable: %v", err)
	}
	if log != "" {
		logOnce.Do(func() { t.Log(log) })
	}
	return ADEnv{e}
}

var logOnce sync.Once
