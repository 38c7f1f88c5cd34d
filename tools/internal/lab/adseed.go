package lab

import (
	"fmt"

	"github.com/go-ldap/ldap/v3"
)

// User is a Lync-enabled user object to create: msRTCSIP-UserEnabled TRUE and a home server
// (the pool container), as a user homed on Lync looks in AD.
type User struct {
	SAM         string // sAMAccountName and CN; at most 20 characters
	DisplayName string
	SIP         string // sip:ann@example.com
}

// Attributes the bench and the demo read and change.
const (
	AttrSIP        = "msRTCSIP-PrimaryUserAddress"
	AttrEnabled    = "msRTCSIP-UserEnabled"
	AttrHome       = "msRTCSIP-PrimaryHomeServer"
	AttrTargetHome = "msRTCSIP-TargetHomeServer"
)

// UserDN is the DN AddUsers gives a user.
func UserDN(ouDN string, u User) string { return "CN=" + ldap.EscapeDN(u.SAM) + "," + ouDN }

// AddUsers creates the users under ouDN, in parallel.
func (a AD) AddUsers(ouDN string, users []User) error {
	reqs := make([]*ldap.AddRequest, len(users))
	for i, u := range users {
		r := ldap.NewAddRequest(UserDN(ouDN, u), nil)
		r.Attribute("objectClass", []string{"top", "person", "organizationalPerson", "user"})
		r.Attribute("cn", []string{u.SAM})
		r.Attribute("sAMAccountName", []string{u.SAM})
		r.Attribute("userPrincipalName", []string{u.SAM + "@" + a.Domain()})
		r.Attribute("displayName", []string{u.DisplayName})
		r.Attribute("userAccountControl", []string{"544"}) // enabled, no password needed: quick to create
		r.Attribute(AttrSIP, []string{u.SIP})
		r.Attribute(AttrEnabled, []string{"TRUE"})
		r.Attribute(AttrHome, []string{a.PoolDN()})
		reqs[i] = r
	}
	return a.Add(reqs)
}

// Reenable puts the users back as AddUsers made them (after a disable run), in parallel.
func (a AD) Reenable(ouDN string, users []User) error {
	reqs := make([]func(*ldap.Conn) error, len(users))
	for i, u := range users {
		r := ldap.NewModifyRequest(UserDN(ouDN, u), nil)
		r.Replace(AttrEnabled, []string{"TRUE"})
		r.Replace(AttrHome, []string{a.PoolDN()})
		reqs[i] = func(c *ldap.Conn) error {
			if err := c.Modify(r); err != nil {
				return fmt.Errorf("re-enable %s: %w", r.DN, err)
			}
			return nil
		}
	}
	return a.Parallel(reqs)
}

// Entry reads one object's attributes; nil when it does not exist.
func (a AD) Entry(c *ldap.Conn, dn string, attrs ...string) (*ldap.Entry, error) {
	req := ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", attrs, nil)
	res, err := c.Search(req)
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dn, err)
	}
	if len(res.Entries) != 1 {
		return nil, fmt.Errorf("read %s: %d entries", dn, len(res.Entries))
	}
	return res.Entries[0], nil
}

// Entries reads every user under ouDN with the given attributes, paged.
func (a AD) Entries(c *ldap.Conn, ouDN string, attrs ...string) ([]*ldap.Entry, error) {
	req := ldap.NewSearchRequest(ouDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(&(objectCategory=person)(objectClass=user))", attrs, nil)
	res, err := c.SearchWithPaging(req, 1000)
	if err != nil {
		return nil, fmt.Errorf("read users under %s: %w", ouDN, err)
	}
	return res.Entries, nil
}
