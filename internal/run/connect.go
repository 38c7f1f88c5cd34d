package run

import (
	"sync"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// LDAP is cfg as this run connects to Active Directory with it: the password
// is read once and redacted from the log (Password), and the pool has
// LDAPConns connections unless cfg sets its own.
func (s *Session) LDAP(cfg adclient.Config) adclient.Config {
	cfg.PasswordFunc = s.Password(cfg.PasswordFunc)
	if cfg.Conns == 0 {
		cfg.Conns = LDAPConns(s.Workers())
	}
	return cfg
}

// SQL is cfg as this run connects to its rtc databases with it: the password
// is read once for every server and redacted from the log (Password), and
// each pool keeps up to one connection per worker unless cfg sets its own.
func (s *Session) SQL(cfg rtcclient.Config) rtcclient.Config {
	cfg.PasswordFunc = s.Password(cfg.PasswordFunc)
	if cfg.Conns == 0 {
		cfg.Conns = s.Workers()
	}
	return cfg
}

// Password wraps a password function (environment, file or prompt, found
// when first connecting) so that it is called once and the password is
// redacted from every later line of the log, wherever it came from. nil
// stays nil.
func (s *Session) Password(pf func() (string, error)) func() (string, error) {
	if pf == nil {
		return nil
	}
	return sync.OnceValues(func() (string, error) {
		p, err := pf()
		s.log.AddSecret(p)
		return p, err
	})
}

// LDAPConns is the LDAP connection pool for a number of workers: go-ldap
// multiplexes requests on one connection, but the DC serves each
// connection's requests in turn, so a few connections keep it busy; one per
// two workers, at most 4.
func LDAPConns(workers int) int { return min(max(workers/2, 1), 4) }
