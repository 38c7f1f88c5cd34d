package testenv

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-ldap/ldap/v3"
)

// dumpSkipped are attributes the DC changes by itself — on any write (USNs, timestamps, replication
// metadata) or on a logon — so that two dumps of the same data compare equal. Everything else an
// LDAP client can change is in the dump, objectGUID and objectSid included (a deleted and re-created
// object shows up). Lower case.
var dumpSkipped = map[string]bool{
	"usnchanged": true, "usncreated": true, "whenchanged": true, "whencreated": true,
	"dscorepropagationdata": true, "replpropertymetadata": true,
	"lastlogon": true, "lastlogontimestamp": true, "logoncount": true,
	"badpwdcount": true, "badpasswordtime": true, "lastlogoff": true,
}

// DumpLDIF returns every entry under baseDN (base included) with all its user attributes, as
// LDIF-like text in a fixed order: entries parents first, then by RDN (case-insensitive);
// attributes by name; values sorted. Values that are not printable UTF-8 are written `name:: base64`.
// Made for before/after comparisons of the data a job changes.
func DumpLDIF(t testing.TB, baseDN string) string {
	t.Helper()
	c := AD(t).Dial(t)
	req := ldap.NewSearchRequest(baseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(objectClass=*)", []string{"*"}, nil)
	res, err := c.SearchWithPaging(req, 1000)
	if err != nil {
		t.Fatalf("dump %s: %v", baseDN, err)
	}
	return formatLDIF(res.Entries)
}

func formatLDIF(entries []*ldap.Entry) string {
	type keyed struct {
		key []string
		e   *ldap.Entry
	}
	ks := make([]keyed, len(entries))
	for i, e := range entries {
		ks[i] = keyed{dnKey(e.DN), e}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return slices.Compare(a.key, b.key) })

	var b strings.Builder
	for _, k := range ks {
		b.WriteString("dn: " + k.e.DN + "\n")
		attrs := slices.Clone(k.e.Attributes)
		slices.SortFunc(attrs, func(x, y *ldap.EntryAttribute) int {
			return strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name))
		})
		for _, a := range attrs {
			if dumpSkipped[strings.ToLower(a.Name)] {
				continue
			}
			vals := make([]string, len(a.ByteValues))
			for i, v := range a.ByteValues {
				vals[i] = ldifValue(a.Name, v)
			}
			slices.Sort(vals)
			for _, v := range vals {
				b.WriteString(v + "\n")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// dnKey orders a DN after its parent: its RDNs from the root down, lower-cased.
func dnKey(dn string) []string {
	parsed, err := ldap.ParseDN(dn)
	if err != nil {
		return []string{strings.ToLower(dn)}
	}
	key := make([]string, 0, len(parsed.RDNs))
	for i := len(parsed.RDNs) - 1; i >= 0; i-- {
		var parts []string
		for _, a := range parsed.RDNs[i].Attributes {
			parts = append(parts, strings.ToLower(a.Type+"="+a.Value))
		}
		key = append(key, strings.Join(parts, "+"))
	}
	return key
}

// ldifValue writes a value as RFC 2849 would: base64 unless it is safe printable text.
func ldifValue(name string, v []byte) string {
	if safeLDIF(v) {
		return name + ": " + string(v)
	}
	return name + ":: " + base64.StdEncoding.EncodeToString(v)
}

func safeLDIF(v []byte) bool {
	if len(v) == 0 {
		return true
	}
	if !utf8.Valid(v) || v[0] == ' ' || v[0] == ':' || v[0] == '<' || v[len(v)-1] == ' ' {
		return false
	}
	for _, r := range string(v) {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
