package adclient

import (
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/go-ldap/ldap/v3"
)

// ErrLDAPSRefused is wrapped by the error Connect returns when an LDAPS port
// refuses the connection: the usual cause is a domain controller without a
// certificate, which SPEC 3.7 makes a prerequisite.
var ErrLDAPSRefused = errors.New("LDAPS connection refused")

// ErrServerLost is wrapped by an operation's error when the connection dropped
// and could not be re-established: the job stops and reports the remaining
// users not_attempted (exit 3).
var ErrServerLost = errors.New("connection to the directory lost and not regained")

// connectError turns a dial failure into one message that says what to do.
func connectError(e endpoint, err error) error {
	if errors.Is(err, errConnRefused) && e.Scheme == "ldaps" {
		// Usually a DC without a certificate: AD listens on 636 only once it
		// has one. Name the port actually dialled, and only flags the user
		// can act on.
		return fmt.Errorf("connect to %s: %w: nothing accepts LDAPS on port %s of %s. LDAPS needs a certificate "+
			"on the domain controller: install one, or give the host alone with --ldap-starttls (LDAP on port 389 "+
			"upgraded to TLS), or ldap://%s only on a trusted network (%v)",
			e.URL(), ErrLDAPSRefused, e.Port, e.Host, e.Host, err)
	}
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	switch {
	case errors.As(err, &unknown):
		return fmt.Errorf("connect to %s: the domain controller's certificate is not trusted: give the issuing CA "+
			"with --ldap-ca-file: %w", e.URL(), err)
	case errors.As(err, &host):
		return fmt.Errorf("connect to %s: the certificate does not name %q: use the DC's name as in its "+
			"certificate: %w", e.URL(), e.Host, err)
	}
	return fmt.Errorf("connect to %s: %w", e.URL(), err)
}

// isNetwork reports a dropped or unusable connection (go-ldap code 200), the
// case where redialling once can help.
func isNetwork(err error) bool {
	return ldap.IsErrorWithCode(err, ldap.ErrorNetwork)
}
