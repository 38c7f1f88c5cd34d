package adclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"
)

// pageSize is the paged-results size: AD returns at most 1000 entries a page
// (MaxPageSize) and fails larger unpaged searches with "Size Limit Exceeded".
// A variable so that tests can page through a few entries.
var pageSize uint32 = 1000

// Scope of a search.
type Scope int

const (
	ScopeBase    Scope = ldap.ScopeBaseObject
	ScopeSubtree Scope = ldap.ScopeWholeSubtree
)

// Entry is one directory object: its DN and the attributes asked for, keyed
// as the server spells them (look values up with Values, case-insensitively).
type Entry struct {
	DN    string
	Attrs map[string][]string
}

// Values returns the values of an attribute; the name is case-insensitive, as
// LDAP attribute names are. Absent → nil.
func (e Entry) Values(name string) []string {
	if v, ok := e.Attrs[name]; ok {
		return v
	}
	for k, v := range e.Attrs {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// Value is the first value of an attribute, or "".
func (e Entry) Value(name string) string {
	if v := e.Values(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// Request is one search.
type Request struct {
	Base   string // empty: Client.Base()
	Scope  Scope
	Filter string // already escaped (see Filter helpers)
	Attrs  []string
}

// SearchEach runs a paged search and calls fn for each entry, page by page,
// so that memory stays flat for a whole domain. Continuation references (AD
// returns one for CN=Configuration under the domain root) are skipped, not
// errors. A dropped connection is redialled once if no entry was delivered
// yet; after that the error is returned. fn's error stops the search.
func (c *Client) SearchEach(ctx context.Context, r Request, fn func(Entry) error) error {
	if r.Base == "" {
		r.Base = c.base
	}
	delivered := 0
	err := c.do(ctx, func(conn *ldap.Conn) error {
		err := c.pagedSearch(ctx, conn, r, func(e Entry) error {
			delivered++
			return fn(e)
		})
		if err != nil && delivered > 0 && isNetwork(err) {
			// Retrying would deliver entries twice: hide the network code so
			// that do does not retry, and let the caller decide.
			return fmt.Errorf("connection dropped after %d entries: %v", delivered, err)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("search %s under %q: %w", shortFilter(r.Filter), r.Base, err)
	}
	return nil
}

// shortFilter keeps an error message readable: a batch's OR filter holds
// FilterChunk addresses, kilobytes that would bury the cause on stderr.
func shortFilter(f string) string {
	const keep = 120
	if len(f) <= keep {
		return f
	}
	cut := keep
	for cut > 0 && !utf8.RuneStart(f[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d characters)", f[:cut], len(f))
}

// Search is SearchEach collecting the entries.
func (c *Client) Search(ctx context.Context, r Request) ([]Entry, error) {
	var out []Entry
	err := c.SearchEach(ctx, r, func(e Entry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// pagedSearch follows the paging cookie itself (rather than go-ldap's
// SearchWithPaging) to check the context between pages and stream entries.
func (c *Client) pagedSearch(ctx context.Context, conn *ldap.Conn, r Request, fn func(Entry) error) error {
	paging := ldap.NewControlPaging(pageSize)
	req := ldap.NewSearchRequest(r.Base, int(r.Scope), ldap.NeverDerefAliases, 0, 0, false,
		r.Filter, r.Attrs, []ldap.Control{paging})
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := conn.Search(req)
		if err != nil {
			switch {
			case ldap.IsErrorWithCode(err, ldap.LDAPResultReferral):
				return fmt.Errorf("%s is not in the domain of %s (one domain per run; connect to a DC of that domain): %w",
					r.Base, c.ep.Host, err)
			case ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject):
				return fmt.Errorf("%w: %w", ErrNoSuchObject, err) // the base does not exist
			}
			return err
		}
		for _, le := range res.Entries {
			if err := fn(toEntry(le)); err != nil {
				return err
			}
		}
		ctl, ok := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging)
		if !ok || len(ctl.Cookie) == 0 {
			return nil
		}
		paging.SetCookie(ctl.Cookie)
	}
}

func toEntry(le *ldap.Entry) Entry {
	e := Entry{DN: le.DN, Attrs: make(map[string][]string, len(le.Attributes))}
	for _, a := range le.Attributes {
		e.Attrs[a.Name] = a.Values
	}
	return e
}

// Read returns one object's attributes (a base search), e.g. to read a
// change back. A missing object is an error wrapping ErrNoSuchObject.
func (c *Client) Read(ctx context.Context, dn string, attrs []string) (Entry, error) {
	es, err := c.Search(ctx, Request{Base: dn, Scope: ScopeBase, Filter: "(objectClass=*)", Attrs: attrs})
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
		return Entry{}, fmt.Errorf("read %s: %w", dn, ErrNoSuchObject)
	}
	if err != nil {
		return Entry{}, err
	}
	if len(es) != 1 {
		return Entry{}, fmt.Errorf("read %s: %d objects", dn, len(es))
	}
	return es[0], nil
}

// ErrNoSuchObject: the DN does not exist.
var ErrNoSuchObject = errors.New("no such object")

func (c *Client) defaultNamingContext(ctx context.Context) (string, error) {
	es, err := c.Search(ctx, Request{Base: "", Scope: ScopeBase, Filter: "(objectClass=*)",
		Attrs: []string{"defaultNamingContext"}})
	if err != nil {
		return "", fmt.Errorf("read the rootDSE of %s: %w", c.ep.URL(), err)
	}
	if len(es) == 0 || es[0].Value("defaultNamingContext") == "" {
		return "", fmt.Errorf("the rootDSE of %s has no defaultNamingContext: give --ldap-base", c.ep.URL())
	}
	return es[0].Value("defaultNamingContext"), nil
}
