package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-ldap/ldap/v3"
)

// The plain disable loop (SPEC 8): what disableaccount does on the wire, with go-ldap directly
// and nothing else — the same OR-filter lookups of 200 addresses (the next one in flight while
// the current chunk is changed), the same attributes, one modify request per user with the
// permissive-modify control, the same connections (workers/2, 1 to 4) shared round-robin by
// the same number of workers. No log, no backup, no input checks.

const (
	plainChunk    = 200  // adclient.FilterChunk
	plainPageSize = 1000 // adclient's page size
)

var plainAttrs = []string{
	"msRTCSIP-PrimaryUserAddress", "displayName", "msRTCSIP-UserEnabled",
	"msRTCSIP-PrimaryHomeServer", "msRTCSIP-TargetHomeServer",
}

type ldapPool struct {
	conns []*ldap.Conn
	next  atomic.Uint64
}

func (p *ldapPool) pick() *ldap.Conn { return p.conns[p.next.Add(1)%uint64(len(p.conns))] }

func dialPool(url, host, caFile, bindDN, password string, n int) (*ldapPool, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	p := &ldapPool{}
	for range n {
		c, err := ldap.DialURL(url, ldap.DialWithTLSConfig(&tls.Config{RootCAs: roots, ServerName: host, MinVersion: tls.VersionTLS12}))
		if err != nil {
			return nil, err
		}
		if err := c.Bind(bindDN, password); err != nil {
			return nil, err
		}
		p.conns = append(p.conns, c)
	}
	return p, nil
}

func sipFilter(uris []string) string {
	var b strings.Builder
	b.WriteString("(&(objectCategory=person)(objectClass=user)(|")
	for _, u := range uris {
		b.WriteString("(msRTCSIP-PrimaryUserAddress=" + ldap.EscapeFilter(u) + ")")
	}
	b.WriteString("))")
	return b.String()
}

func (p *ldapPool) lookup(base string, uris []string) (map[string]*ldap.Entry, error) {
	paging := ldap.NewControlPaging(plainPageSize)
	req := ldap.NewSearchRequest(base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		sipFilter(uris), plainAttrs, []ldap.Control{paging})
	c := p.pick()
	found := make(map[string]*ldap.Entry, len(uris))
	for {
		res, err := c.Search(req)
		if err != nil {
			return nil, err
		}
		for _, e := range res.Entries {
			found[strings.ToLower(e.GetAttributeValue("msRTCSIP-PrimaryUserAddress"))] = e
		}
		ctl, ok := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging)
		if !ok || len(ctl.Cookie) == 0 {
			return found, nil
		}
		paging.SetCookie(ctl.Cookie)
	}
}

var permissive = ldap.NewControlString(ldap.ControlTypeMicrosoftPermissiveModify, false, "")

func (p *ldapPool) disable(e *ldap.Entry) (bool, error) {
	req := ldap.NewModifyRequest(e.DN, []ldap.Control{permissive})
	if v := e.GetAttributeValue("msRTCSIP-UserEnabled"); v != "" && v != "FALSE" {
		req.Replace("msRTCSIP-UserEnabled", []string{"FALSE"})
	}
	for _, a := range []string{"msRTCSIP-PrimaryHomeServer", "msRTCSIP-TargetHomeServer"} {
		if e.GetAttributeValue(a) != "" {
			req.Replace(a, nil)
		}
	}
	if len(req.Changes) == 0 {
		return false, nil
	}
	return true, p.pick().Modify(req)
}

// plainDisable runs the loop over uris and returns how many users it changed.
func plainDisable(ctx context.Context, p *ldapPool, base string, uris []string, workers int) (int, error) {
	type lookup struct {
		found map[string]*ldap.Entry
		err   error
	}
	var chunks [][]string
	for s := uris; len(s) > 0; {
		n := min(plainChunk, len(s))
		chunks = append(chunks, s[:n])
		s = s[n:]
	}
	fetch := func(chunk []string) <-chan lookup {
		ch := make(chan lookup, 1)
		go func() { f, err := p.lookup(base, chunk); ch <- lookup{f, err} }()
		return ch
	}
	var (
		changed atomic.Int64
		mu      sync.Mutex
		first   error
	)
	next := fetch(chunks[0])
	for i, chunk := range chunks {
		l := <-next
		if l.err != nil {
			return int(changed.Load()), fmt.Errorf("lookup: %w", l.err)
		}
		if i+1 < len(chunks) {
			next = fetch(chunks[i+1])
		}
		forEach(ctx, chunk, workers, func(u string) {
			e := l.found[strings.ToLower(u)]
			if e == nil {
				return
			}
			ok, err := p.disable(e)
			if err != nil {
				mu.Lock()
				first = cmpOr(first, fmt.Errorf("disable %s: %w", u, err))
				mu.Unlock()
				return
			}
			if ok {
				changed.Add(1)
			}
		})
	}
	return int(changed.Load()), first
}

// forEach hands items to n workers (run.ForEach's shape, without its bookkeeping).
func forEach[T any](ctx context.Context, items []T, n int, fn func(T)) {
	ch := make(chan T)
	var wg sync.WaitGroup
	for range max(n, 1) {
		wg.Go(func() {
			for it := range ch {
				fn(it)
			}
		})
	}
	for _, it := range items {
		if ctx.Err() != nil {
			break
		}
		ch <- it
	}
	close(ch)
	wg.Wait()
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
