package adclient

import (
	"context"
	"strconv"
	"strings"

	"github.com/go-ldap/ldap/v3"
)

// Attribute names of the Lync/OCS schema extension used across the jobs.
const (
	AttrPrimaryUserAddress = "msRTCSIP-PrimaryUserAddress"
	AttrUserEnabled        = "msRTCSIP-UserEnabled"
	AttrPrimaryHomeServer  = "msRTCSIP-PrimaryHomeServer"
	AttrTargetHomeServer   = "msRTCSIP-TargetHomeServer"
	AttrUserAccountControl = "userAccountControl"
	AttrDisplayName        = "displayName"
	AttrProxyAddresses     = "proxyAddresses" // "SIP:ann@foo.com", "smtp:…": where an address outlives msRTCSIP-PrimaryUserAddress
)

// personUser restricts searches to user objects: contacts and application
// objects can carry SIP addresses too (SPEC 5).
const personUser = "(objectCategory=person)(objectClass=user)"

// FilterChunk is how many addresses go into one OR filter: large enough that a
// batch of thousands is a handful of searches, small enough to stay far below
// AD's request size limits.
const FilterChunk = 200

// SIPFilter is the user filter for a set of addresses, every value escaped:
// (&(objectCategory=person)(objectClass=user)(msRTCSIP-PrimaryUserAddress=v)) for
// one, with an OR of them for several. AD compares the values case-insensitively.
func SIPFilter(uris []string) string { return userFilter(AttrPrimaryUserAddress, uris) }

// ProxySIPFilter is SIPFilter on proxyAddresses: the users that list the
// addresses among their proxy addresses. AD (and Samba) compare
// proxyAddresses values case-insensitively, "SIP:" prefix included.
func ProxySIPFilter(uris []string) string { return userFilter(AttrProxyAddresses, uris) }

// userFilter selects the user objects whose attr equals one of the values.
func userFilter(attr string, values []string) string {
	var b strings.Builder
	b.WriteString("(&" + personUser)
	if len(values) > 1 {
		b.WriteString("(|")
	}
	for _, v := range values {
		b.WriteString("(" + attr + "=" + ldap.EscapeFilter(v) + ")")
	}
	if len(values) > 1 {
		b.WriteString(")")
	}
	b.WriteString(")")
	return b.String()
}

// SIPEnabledFilter selects the SIP-enabled users (SPEC 3.2).
const SIPEnabledFilter = "(&" + personUser + "(" + AttrUserEnabled + "=TRUE))"

// Chunks splits s into slices of at most n elements (n ≥ 1).
func Chunks[T any](s []T, n int) [][]T {
	var out [][]T
	for len(s) > n {
		out = append(out, s[:n:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

// FindBySIP looks up user objects by msRTCSIP-PrimaryUserAddress, FilterChunk
// addresses per search. The result maps each given URI to the user objects
// whose address equals it case-insensitively: none (not found), one, or more
// (the caller makes that user an error). attrs are the attributes to return;
// the address is always added so that results can be matched back.
func (c *Client) FindBySIP(ctx context.Context, uris []string, attrs []string) (map[string][]Entry, error) {
	return c.findBy(ctx, AttrPrimaryUserAddress, uris, attrs)
}

// FindByProxySIP is FindBySIP on proxyAddresses: the user objects that hold
// a given URI (sip:ann@foo.com, matched in any case) as a proxy address.
// verify uses it to find a user whose msRTCSIP-PrimaryUserAddress was
// cleared.
func (c *Client) FindByProxySIP(ctx context.Context, uris []string, attrs []string) (map[string][]Entry, error) {
	return c.findBy(ctx, AttrProxyAddresses, uris, attrs)
}

// findBy runs the batched OR-filter searches of users whose attr equals one
// of the values, and maps each given value to the entries holding it.
func (c *Client) findBy(ctx context.Context, attr string, values []string, attrs []string) (map[string][]Entry, error) {
	attrs = withAttr(attrs, attr)
	byLower := make(map[string][]string, len(values)) // lower-case value -> given spellings
	var unique []string
	for _, u := range values {
		k := strings.ToLower(u)
		if _, seen := byLower[k]; !seen {
			unique = append(unique, u)
		}
		byLower[k] = append(byLower[k], u)
	}
	out := make(map[string][]Entry, len(values))
	for _, chunk := range Chunks(unique, FilterChunk) {
		err := c.SearchEach(ctx, Request{Scope: ScopeSubtree, Filter: userFilter(attr, chunk), Attrs: attrs}, func(e Entry) error {
			// A multi-valued or odd entry can only match the values it holds.
			for _, v := range e.Values(attr) {
				for _, given := range byLower[strings.ToLower(v)] {
					out[given] = append(out[given], e)
				}
			}
			return nil
		})
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// SIPUsersUnder streams the SIP-enabled users under dn (subtree, paged), for
// exportcontacts' DN: lines; userAccountControl is always returned so that
// AccountDisabled can tell the disabled ones.
func (c *Client) SIPUsersUnder(ctx context.Context, dn string, attrs []string, fn func(Entry) error) error {
	attrs = withAttr(withAttr(attrs, AttrPrimaryUserAddress), AttrUserAccountControl)
	return c.SearchEach(ctx, Request{Base: dn, Scope: ScopeSubtree, Filter: SIPEnabledFilter, Attrs: attrs}, fn)
}

// AllSIPUsers streams the SIP-enabled users of the whole domain (-f ALL).
func (c *Client) AllSIPUsers(ctx context.Context, attrs []string, fn func(Entry) error) error {
	return c.SIPUsersUnder(ctx, c.base, attrs, fn)
}

// AccountDisabled reports userAccountControl bit 2 (ACCOUNTDISABLE).
func AccountDisabled(e Entry) bool {
	uac, err := strconv.ParseInt(e.Value(AttrUserAccountControl), 10, 64)
	return err == nil && uac&2 != 0
}

func withAttr(attrs []string, name string) []string {
	for _, a := range attrs {
		if strings.EqualFold(a, name) {
			return attrs
		}
	}
	return append(attrs[:len(attrs):len(attrs)], name)
}
