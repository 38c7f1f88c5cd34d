package testenv

import (
	"cmp"
	"fmt"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// SeedUser is a user object to create under a test OU.
type SeedUser struct {
	CN  string
	SAM string // sAMAccountName (also the UPN's name); default CN, which must then be a valid one (no ",")
	SIP string // msRTCSIP-PrimaryUserAddress, e.g. "sip:ann@example.com"; empty: none

	// Enabled sets msRTCSIP-UserEnabled (TRUE/FALSE); nil leaves it unset. Go 1.26: new(true).
	Enabled *bool
	// HomeServer sets msRTCSIP-PrimaryHomeServer to the pool container (ADEnv.PoolDN).
	HomeServer bool
	// AccountDisabled makes the AD account disabled (userAccountControl 546, bit 2); the default is
	// an enabled account without a password (544, PASSWD_NOTREQD), which is quick to create.
	AccountDisabled bool
	DisplayName     string              // default CN
	Attrs           map[string][]string // anything else, added as given (overrides the above)
}

// SeedContact is a contact object (objectClass contact), which may carry a SIP address too.
type SeedContact struct {
	CN          string
	SIP         string
	DisplayName string // default CN
	Attrs       map[string][]string
}

// SeedOU creates OU=<name> under the base DN, deleting it with everything under it first if it
// exists, and returns its DN. Each test package seeds under its own OU name.
func SeedOU(t testing.TB, name string) string {
	t.Helper()
	dn, err := AD(t).SeedOU(name)
	if err != nil {
		t.Fatal(err)
	}
	return dn
}

// AddUsers creates users under ouDN and returns their DNs, in order. It adds in parallel over a
// few connections so that thousands of users take seconds.
func AddUsers(t testing.TB, ouDN string, users []SeedUser) []string {
	t.Helper()
	e := AD(t)
	reqs := make([]*ldap.AddRequest, len(users))
	for i, u := range users {
		reqs[i] = userAdd(e, ouDN, u)
	}
	return addAll(t, e, reqs)
}

// AddContacts creates contact objects under ouDN and returns their DNs, in order.
func AddContacts(t testing.TB, ouDN string, contacts []SeedContact) []string {
	t.Helper()
	e := AD(t)
	reqs := make([]*ldap.AddRequest, len(contacts))
	for i, ct := range contacts {
		r := ldap.NewAddRequest("CN="+ldap.EscapeDN(ct.CN)+","+ouDN, nil)
		r.Attribute("objectClass", []string{"top", "person", "organizationalPerson", "contact"})
		r.Attribute("cn", []string{ct.CN})
		r.Attribute("displayName", []string{cmp.Or(ct.DisplayName, ct.CN)})
		if ct.SIP != "" {
			r.Attribute("msRTCSIP-PrimaryUserAddress", []string{ct.SIP})
		}
		reqs[i] = withAttrs(r, ct.Attrs)
	}
	return addAll(t, e, reqs)
}

func userAdd(e ADEnv, ouDN string, u SeedUser) *ldap.AddRequest {
	sam := cmp.Or(u.SAM, u.CN)
	r := ldap.NewAddRequest("CN="+ldap.EscapeDN(u.CN)+","+ouDN, nil)
	r.Attribute("objectClass", []string{"top", "person", "organizationalPerson", "user"})
	r.Attribute("cn", []string{u.CN})
	r.Attribute("sAMAccountName", []string{sam})
	r.Attribute("userPrincipalName", []string{sam + "@" + e.Domain()})
	r.Attribute("displayName", []string{cmp.Or(u.DisplayName, u.CN)})
	uac := "544" // NORMAL_ACCOUNT | PASSWD_NOTREQD
	if u.AccountDisabled {
		uac = "546"
	}
	r.Attribute("userAccountControl", []string{uac})
	if u.SIP != "" {
		r.Attribute("msRTCSIP-PrimaryUserAddress", []string{u.SIP})
	}
	if u.Enabled != nil {
		r.Attribute("msRTCSIP-UserEnabled", []string{strings.ToUpper(fmt.Sprint(*u.Enabled))})
	}
	if u.HomeServer {
		r.Attribute("msRTCSIP-PrimaryHomeServer", []string{e.PoolDN()})
	}
	return withAttrs(r, u.Attrs)
}

// withAttrs adds extra attributes, replacing one of the same name.
func withAttrs(r *ldap.AddRequest, attrs map[string][]string) *ldap.AddRequest {
	for name, vals := range attrs {
		kept := r.Attributes[:0]
		for _, a := range r.Attributes {
			if !strings.EqualFold(a.Type, name) {
				kept = append(kept, a)
			}
		}
		r.Attributes = append(kept, ldap.Attribute{Type: name, Vals: vals})
	}
	return r
}

func addAll(t testing.TB, e ADEnv, reqs []*ldap.AddRequest) []string {
	t.Helper()
	if err := e.Add(reqs); err != nil {
		t.Fatal(err)
	}
	dns := make([]string, len(reqs))
	for i, r := range reqs {
		dns[i] = r.DN
	}
	return dns
}
