// Package lab runs the servers of `make bench` and `make demo`: the Samba AD DC of
// scripts/samba-ad.sh (internal/testad, shared with the tests), rtcsim as a subprocess, and
// the product binary as a measured child process. It is tooling, never imported by the product.
package lab

import (
	"github.com/lyncmigrate/lyncmigrate/internal/testad"
)

// AD is how to reach the test DC (testad.Env).
type AD struct {
	testad.Env
	Log string // what its start printed, "" when it was running
}

// Server is the --ldap-server value the product gets: a bare host, so ldaps on 636 verified
// against CAFile. The certificate names dc1.lynctest.local and localhost; only the latter
// resolves without a hosts entry.
func (a AD) Server() string { return "localhost" }

// FindAD returns the test DC as the tests find it (testad.Use): the one LMTEST_LDAP_URL
// names, else the shared one, started if needed and stopped once the last process using it
// (this one included) has ended.
func FindAD() (AD, error) {
	e, log, err := testad.Use()
	return AD{Env: e, Log: log}, err
}
