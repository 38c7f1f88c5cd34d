package testad

import (
	"errors"
	"fmt"
	"sync"

	"github.com/go-ldap/ldap/v3"
)

// OUDN is the DN of OU=name under the base DN.
func (e Env) OUDN(name string) string { return "OU=" + ldap.EscapeDN(name) + "," + e.Base }

// SeedOU (re)creates OU=name under the base DN, empty, and returns its DN.
func (e Env) SeedOU(name string) (string, error) {
	c, err := e.Dial()
	if err != nil {
		return "", err
	}
	defer c.Close()
	dn := e.OUDN(name)
	if err := deleteTree(c, dn); err != nil {
		return "", err
	}
	add := ldap.NewAddRequest(dn, nil)
	add.Attribute("objectClass", []string{"top", "organizationalUnit"})
	add.Attribute("ou", []string{name})
	if err := c.Add(add); err != nil {
		return "", fmt.Errorf("seed: add %s: %w", dn, err)
	}
	return dn, nil
}

// DeleteOU removes OU=name and everything under it; a missing OU is not an error.
func (e Env) DeleteOU(name string) error {
	c, err := e.Dial()
	if err != nil {
		return err
	}
	defer c.Close()
	return deleteTree(c, e.OUDN(name))
}

func deleteTree(c *ldap.Conn, dn string) error {
	del := ldap.NewDelRequest(dn, []ldap.Control{ldap.NewControlSubtreeDelete()})
	if err := c.Del(del); err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
		return fmt.Errorf("seed: delete %s: %w", dn, err)
	}
	return nil
}

// seedConns and seedWorkers: Samba (one process) serialises writes, so more gains nothing; a few
// requests in flight hide the round trips. About 400 users/s on an idle 2-core machine.
const (
	seedConns   = 2
	seedWorkers = 4
)

// Add adds the objects, in parallel over a few connections, so that thousands take seconds.
func (e Env) Add(reqs []*ldap.AddRequest) error {
	fns := make([]func(*ldap.Conn) error, len(reqs))
	for i, r := range reqs {
		fns[i] = func(c *ldap.Conn) error {
			if err := c.Add(r); err != nil {
				return fmt.Errorf("seed: add %s: %w", r.DN, err)
			}
			return nil
		}
	}
	return e.Parallel(fns)
}

// Parallel runs LDAP requests over a few connections; every error is counted, the first
// three are returned.
func (e Env) Parallel(reqs []func(*ldap.Conn) error) error {
	if len(reqs) == 0 {
		return nil
	}
	conns := make([]*ldap.Conn, min(seedConns, (len(reqs)+99)/100))
	for i := range conns {
		c, err := e.Dial()
		if err != nil {
			return err
		}
		defer c.Close()
		conns[i] = c
	}
	next := make(chan func(*ldap.Conn) error)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for w := range min(seedWorkers, len(reqs)) {
		c := conns[w%len(conns)]
		wg.Go(func() {
			for r := range next {
				if err := r(c); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, r := range reqs {
		next <- r
	}
	close(next)
	wg.Wait()
	if len(errs) > 0 {
		return fmt.Errorf("%d of %d requests failed; first: %w", len(errs), len(reqs), errors.Join(errs[:min(3, len(errs))]...))
	}
	return nil
}
