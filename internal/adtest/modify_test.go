package adtest

import (
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

func readAttrs(t *testing.T, c *ldap.Conn, dn string, attrs ...string) *ldap.Entry {
	t.Helper()
	res, err := c.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", attrs, nil))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("read %s: %v", dn, err)
	}
	return res.Entries[0]
}

// The disable change of SPEC 5 in one modify request, read back.
func TestModifyAndReadBack(t *testing.T) {
	e := testenv.AD(t)
	ou := testenv.SeedOU(t, "adtest-modify")
	dn := testenv.AddUsers(t, ou, []testenv.SeedUser{{CN: "Mod", SIP: "sip:mod@example.com", Enabled: new(true)}})[0]
	c := e.Dial(t)

	set := ldap.NewModifyRequest(dn, nil)
	set.Replace("msRTCSIP-PrimaryHomeServer", []string{e.PoolDN()})
	set.Replace("msRTCSIP-TargetHomeServer", []string{e.PoolDN()})
	if err := c.Modify(set); err != nil {
		t.Fatalf("set home servers: %v", err)
	}
	got := readAttrs(t, c, dn, "msRTCSIP-UserEnabled", "msRTCSIP-PrimaryHomeServer", "msRTCSIP-TargetHomeServer")
	if v := got.GetAttributeValue("msRTCSIP-UserEnabled"); v != "TRUE" {
		t.Errorf("UserEnabled = %q, want TRUE", v)
	}
	// AD returns a DN value in its own spelling; compare as DNs.
	for _, a := range []string{"msRTCSIP-PrimaryHomeServer", "msRTCSIP-TargetHomeServer"} {
		if v := got.GetAttributeValue(a); !sameDN(t, v, e.PoolDN()) {
			t.Errorf("%s = %q, want %q", a, v, e.PoolDN())
		}
	}

	disable := ldap.NewModifyRequest(dn, nil)
	disable.Replace("msRTCSIP-UserEnabled", []string{"FALSE"})
	disable.Delete("msRTCSIP-PrimaryHomeServer", nil)
	disable.Delete("msRTCSIP-TargetHomeServer", nil)
	if err := c.Modify(disable); err != nil {
		t.Fatalf("disable: %v", err)
	}
	got = readAttrs(t, c, dn, "msRTCSIP-UserEnabled", "msRTCSIP-PrimaryHomeServer", "msRTCSIP-TargetHomeServer", "msRTCSIP-PrimaryUserAddress")
	if v := got.GetAttributeValue("msRTCSIP-UserEnabled"); v != "FALSE" {
		t.Errorf("UserEnabled = %q, want FALSE", v)
	}
	if len(got.GetAttributeValues("msRTCSIP-PrimaryHomeServer"))+len(got.GetAttributeValues("msRTCSIP-TargetHomeServer")) != 0 {
		t.Errorf("home servers still set: %v", got.Attributes)
	}
	if v := got.GetAttributeValue("msRTCSIP-PrimaryUserAddress"); v != "sip:mod@example.com" {
		t.Errorf("PrimaryUserAddress = %q", v)
	}
}

func sameDN(t *testing.T, a, b string) bool {
	t.Helper()
	da, err1 := ldap.ParseDN(a)
	db, err2 := ldap.ParseDN(b)
	if err1 != nil || err2 != nil {
		t.Fatalf("parse DNs %q %q: %v %v", a, b, err1, err2)
	}
	return da.EqualFold(db)
}

// What AD refuses, with the result codes the product must report (as on Windows AD).
func TestADRules(t *testing.T) {
	e := testenv.AD(t)
	ou := testenv.SeedOU(t, "adtest-rules")
	dn := testenv.AddUsers(t, ou, []testenv.SeedUser{{CN: "Rules", SIP: "sip:rules@example.com", Enabled: new(true)}})[0]
	c := e.Dial(t)

	tests := []struct {
		name     string
		mod      func(*ldap.ModifyRequest)
		wantCode uint16
		wantText string
	}{
		{"lower-case true", func(m *ldap.ModifyRequest) { m.Replace("msRTCSIP-UserEnabled", []string{"true"}) },
			ldap.LDAPResultInvalidAttributeSyntax, ""},
		{"yes is no Boolean", func(m *ldap.ModifyRequest) { m.Replace("msRTCSIP-UserEnabled", []string{"yes"}) },
			ldap.LDAPResultInvalidAttributeSyntax, ""},
		{"DN of a missing object", func(m *ldap.ModifyRequest) {
			m.Replace("msRTCSIP-PrimaryHomeServer", []string{"CN=No Such Pool,CN=Pools,CN=RTC Service,CN=Services,CN=Configuration," + e.Base})
		}, ldap.LDAPResultConstraintViolation, "Referenced object not found"},
		{"second value of a single-valued attribute", func(m *ldap.ModifyRequest) { m.Add("msRTCSIP-UserEnabled", []string{"FALSE"}) },
			ldap.LDAPResultAttributeOrValueExists, ""},
	}
	before := testenv.DumpLDIF(t, dn)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ldap.NewModifyRequest(dn, nil)
			tt.mod(m)
			err := c.Modify(m)
			if !ldap.IsErrorWithCode(err, tt.wantCode) {
				t.Fatalf("err = %v, want result code %d", err, tt.wantCode)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("err = %v, want it to say %q", err, tt.wantText)
			}
		})
	}
	if after := testenv.DumpLDIF(t, dn); after != before {
		t.Errorf("refused modifies changed the entry:\n%s\nwas:\n%s", after, before)
	}
}
