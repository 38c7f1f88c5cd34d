package input

import (
	"encoding/csv"
	"fmt"
	"strings"

	ldap "github.com/go-ldap/ldap/v3"
)

// parsed is what a content line yields: an entry (with its duplicate key) or
// the reason it is malformed.
type parsed struct {
	kind       Kind
	uri, uah   string
	dn         string
	key        string // case-insensitive identity for duplicates
	reason     string
	duplicateV string // the value named in a Duplicate
}

func bad(format string, args ...any) parsed { return parsed{reason: fmt.Sprintf(format, args...)} }

// classify reads one line value (trimmed, unquoted) in the forms of SPEC 3.2's
// table for cmd. Every prefix is matched case-insensitively: Lync's own
// exports write "SIP:" as often as "sip:".
func classify(v string, cmd Command) parsed {
	if rest, ok := cutPrefixFold(v, "DN:"); ok {
		if cmd != Export {
			return bad("is a DN: line (the users of an OU), which only exportcontacts reads; %s takes sip: addresses, one per line", cmd)
		}
		return parseDN(strings.TrimSpace(rest)) // a DN may hold an escaped \"
	}
	if strings.Contains(v, `"`) {
		return bad("contains a double quote that does not enclose the whole value")
	}
	if rest, ok := cutPrefixFold(v, "sip:"); ok {
		return sipEntry(KindSIP, rest)
	}
	if strings.Contains(v, "@") {
		if rest, ok := cutPrefixFold(v, "sip@"); ok && strings.Contains(rest, "@") {
			return bad(`starts with "sip@" instead of "sip:" (did you mean "sip:%s"?)`, rest)
		}
		if cmd.readsUserAtHost() {
			return sipEntry(KindUserAtHost, v)
		}
		if checkAddress(v) == "" {
			return bad(`has no "sip:" prefix: write "sip:%s" (a bare user@host is read by deleteaccount and verify only)`, v)
		}
		return bad(`is not a SIP address; expected sip:user@domain`)
	}
	if strings.EqualFold(v, "ALL") {
		return bad("is ALL, which selects every user only as the -f value itself (-f ALL), never as a line in a file")
	}
	if cmd == Export {
		return bad("is not a SIP address or a DN: line; expected sip:user@domain or DN:OU=...,DC=...")
	}
	return bad("is not a SIP address; expected sip:user@domain")
}

// readsUserAtHost: deleteaccount takes Cisco's user@host lines (the rtc
// database's UserAtHost), and verify reads what deleteaccount reads.
func (c Command) readsUserAtHost() bool { return c == Delete || c == Verify }

func sipEntry(kind Kind, addr string) parsed {
	if why := checkAddress(addr); why != "" {
		return parsed{reason: why}
	}
	uri := "sip:" + addr
	return parsed{kind: kind, uri: uri, uah: addr, key: strings.ToLower(uri), duplicateV: uri}
}

// parseDN validates a DN with go-ldap's RFC 4514 parser, plus what that
// lenient parser lets through: attribute types must be names or OIDs and
// values non-empty (AD has no empty RDN values).
func parseDN(s string) parsed {
	if s == "" {
		return bad(`has nothing after "DN:"; expected DN:OU=Sales,DC=foo,DC=com`)
	}
	dn, err := ldap.ParseDN(s)
	if err != nil {
		return bad("is not a valid distinguished name: %v", err)
	}
	if len(dn.RDNs) == 0 {
		return bad("is not a valid distinguished name")
	}
	for _, rdn := range dn.RDNs {
		for _, a := range rdn.Attributes {
			if !isAttrType(a.Type) {
				return bad("is not a valid distinguished name: %q is not an attribute type", a.Type)
			}
			if a.Value == "" {
				return bad("is not a valid distinguished name: %s= has no value", a.Type)
			}
		}
	}
	// The normalised string folds the attribute types; values are folded
	// here too because AD compares DNs case-insensitively.
	return parsed{kind: KindDN, dn: s, key: "dn:" + strings.ToLower(dn.String()), duplicateV: s}
}

// isAttrType: RFC 4512 descr (letter, then letters, digits, hyphens) or numericoid.
func isAttrType(t string) bool {
	if t == "" {
		return false
	}
	if t[0] >= '0' && t[0] <= '9' {
		for _, part := range strings.Split(t, ".") {
			if part == "" || strings.Trim(part, "0123456789") != "" {
				return false
			}
		}
		return true
	}
	if !isAlnum(t[0]) {
		return false
	}
	for i := 1; i < len(t); i++ {
		if !isAlnum(t[i]) && t[i] != '-' {
			return false
		}
	}
	return true
}

// impHeader is the header of the IM and Presence user export, folded.
var impHeader = []string{"userid", "subclustername", "nodename"}

// isIMPHeader recognises `UserID,Subcluster Name,Node Name` in any case, with
// any spacing or quoting, and with trailing empty fields (spreadsheet saves).
func isIMPHeader(text string) bool {
	fields, err := csvFields(text)
	if err != nil {
		return false
	}
	for len(fields) > len(impHeader) && strings.TrimSpace(fields[len(fields)-1]) == "" {
		fields = fields[:len(fields)-1]
	}
	if len(fields) != len(impHeader) {
		return false
	}
	for i, f := range fields {
		if strings.ToLower(strings.ReplaceAll(strings.TrimSpace(f), " ", "")) != impHeader[i] {
			return false
		}
	}
	return true
}

// impRow reads a row of the IM and Presence user export: the UserID is kept,
// Subcluster Name and Node Name are ignored (as Cisco's tool did), and the
// address is sip:<userid>@<domain>.
func impRow(text, domain string) parsed {
	fields, err := csvFields(text)
	if err != nil {
		return bad("is not a valid CSV row of an IM and Presence user export: %v", err)
	}
	uid := strings.TrimSpace(fields[0])
	if uid == "" {
		return bad("has an empty UserID")
	}
	if strings.Contains(uid, "@") || strings.Contains(uid, ":") {
		return bad("has the UserID %q; a row of an IM and Presence user export is userid,subcluster,node and the domain comes from --domain", uid)
	}
	return sipEntry(KindIMPUser, uid+"@"+domain)
}

func csvFields(text string) ([]string, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	fields, err := r.Read()
	if err != nil {
		return nil, err
	}
	return fields, nil
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
