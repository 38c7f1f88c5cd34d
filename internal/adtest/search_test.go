package adtest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// userFilter is SPEC 5's lookup: users only (contacts can carry SIP addresses too).
func userFilter(uri string) string {
	return "(&(objectCategory=person)(objectClass=user)(msRTCSIP-PrimaryUserAddress=" + ldap.EscapeFilter(uri) + "))"
}

func search(t *testing.T, c *ldap.Conn, base, filter string, attrs ...string) []*ldap.Entry {
	t.Helper()
	res, err := c.SearchWithPaging(ldap.NewSearchRequest(base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		0, 0, false, filter, attrs, nil), 1000)
	if err != nil {
		t.Fatalf("search %s: %v", filter, err)
	}
	return res.Entries
}

func TestSearchBySIPAddress(t *testing.T) {
	e := testenv.AD(t)
	ou := testenv.SeedOU(t, "adtest-search")
	testenv.AddUsers(t, ou, []testenv.SeedUser{
		{CN: "Ann", SIP: "sip:Ann.Lee@Example.com", Enabled: new(true)},
		{CN: "Star", SIP: "sip:a*b@example.com", Enabled: new(true)},
		{CN: "Axb", SIP: "sip:axb@example.com", Enabled: new(true)},
		{CN: "Paren", SIP: `sip:o(brien)\x@example.com`, Enabled: new(true)},
	})
	testenv.AddContacts(t, ou, []testenv.SeedContact{{CN: "Ann contact", SIP: "sip:ann.lee@example.com"}})
	c := e.Dial(t)

	tests := []struct {
		name   string
		filter string
		want   []string // CNs
	}{
		{"case-insensitive equality", userFilter("SIP:ann.lee@EXAMPLE.COM"), []string{"Ann"}},
		{"contacts match without the user filter", "(msRTCSIP-PrimaryUserAddress=sip:ann.lee@example.com)", []string{"Ann", "Ann contact"}},
		{"escaped * is no wildcard", userFilter("sip:a*b@example.com"), []string{"Star"}},
		{"escaped parentheses and backslash", userFilter(`sip:o(brien)\x@example.com`), []string{"Paren"}},
		{"no such address", userFilter("sip:nobody@example.com"), nil},
		{"one OR filter for several users", "(&(objectCategory=person)(objectClass=user)(|" +
			"(msRTCSIP-PrimaryUserAddress=sip:ANN.LEE@example.com)(msRTCSIP-PrimaryUserAddress=sip:axb@example.com)" +
			"(msRTCSIP-PrimaryUserAddress=sip:missing@example.com)))", []string{"Ann", "Axb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, en := range search(t, c, ou, tt.filter, "cn") {
				got = append(got, en.GetAttributeValue("cn"))
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A subtree search from the domain root gets continuation references (the Configuration partition
// and others): they come back as referrals, not as an error.
func TestSearchFromRootReturnsReferrals(t *testing.T) {
	e := testenv.AD(t)
	c := e.Dial(t)
	res, err := c.SearchWithPaging(ldap.NewSearchRequest(e.Base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases,
		0, 0, false, "(sAMAccountName=Administrator)", []string{"dn"}, nil), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 1 {
		t.Errorf("%d entries, want 1", len(res.Entries))
	}
	if !slices.ContainsFunc(res.Referrals, func(r string) bool { return strings.Contains(r, "CN=Configuration") }) {
		t.Errorf("referrals = %q, want one to CN=Configuration", res.Referrals)
	}
}

func TestPagedSearch(t *testing.T) {
	ostest.SkipOnWindows(t, "Samba's paging over 2,500 seeded users, no product code: a minute of DC writes that starves the other packages' binds under Wine; adclient's TestADPagingModifyRedial pages through the product on Windows")
	const n = 2500
	e := testenv.AD(t)
	ou := testenv.SeedOU(t, "adtest-paging")
	users := make([]testenv.SeedUser, n)
	for i := range users {
		users[i] = testenv.SeedUser{
			CN: fmt.Sprintf("Paged User %04d", i), SAM: fmt.Sprintf("paged%04d", i),
			SIP: fmt.Sprintf("sip:paged%04d@example.com", i), Enabled: new(i%5 != 0), HomeServer: i%2 == 0,
		}
	}
	start := time.Now()
	testenv.AddUsers(t, ou, users)
	t.Logf("seeded %d users in %v (%.0f users/s)", n, time.Since(start).Round(time.Millisecond), n/time.Since(start).Seconds())
	c := e.Dial(t)

	t.Run("SearchWithPaging", func(t *testing.T) {
		got := search(t, c, ou, "(&(objectCategory=person)(objectClass=user)(msRTCSIP-UserEnabled=TRUE))", "msRTCSIP-PrimaryUserAddress")
		if len(got) != n*4/5 {
			t.Errorf("%d enabled users, want %d", len(got), n*4/5)
		}
		seen := map[string]bool{}
		for _, en := range got {
			seen[en.GetAttributeValue("msRTCSIP-PrimaryUserAddress")] = true
		}
		if len(seen) != len(got) || !seen["sip:paged0001@example.com"] || seen["sip:paged0000@example.com"] {
			t.Errorf("%d distinct addresses of %d; 0001 %v, 0000 (disabled) %v", len(seen), len(got),
				seen["sip:paged0001@example.com"], seen["sip:paged0000@example.com"])
		}
	})

	t.Run("pages of at most 1000", func(t *testing.T) {
		paging := ldap.NewControlPaging(1000)
		req := ldap.NewSearchRequest(ou, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
			"(&(objectClass=user)(msRTCSIP-PrimaryHomeServer=*))", []string{"cn"}, []ldap.Control{paging})
		var sizes []int
		for {
			res, err := c.Search(req)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(res.Entries))
			ctrl, _ := ldap.FindControl(res.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging)
			if ctrl == nil || len(ctrl.Cookie) == 0 {
				break
			}
			paging.SetCookie(ctrl.Cookie)
		}
		if !slices.Equal(sizes, []int{1000, 250}) {
			t.Errorf("page sizes %v, want [1000 250] (1250 homed users)", sizes)
		}
	})
}
