package exportcontacts

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// BAT field limits of the IM and Presence "Import Users' Contacts – Custom File" (tools-spec B).
// Cisco states them in characters, and IM and Presence stores the fields as character
// strings, so lengths are counted in runes: counting UTF-8 bytes would reject a 50-letter
// Japanese nickname that BAT accepts.
const (
	MaxUserID        = 132
	MaxUserDomain    = 128
	MaxContactID     = 132
	MaxContactDomain = 128
	MaxDomainLabel   = 63
	MaxNickname      = 255
	MaxGroupName     = 255
)

// ruleError lists every BAT rule a row breaks; Error() is the Reason column.
type ruleError struct{ Problems []string }

func (e *ruleError) Error() string { return strings.Join(e.Problems, "; ") }

// checkRow checks a row against the BAT field rules. Besides the documented rules, a field
// holding a line break or another control character is refused: BAT fails on broken
// lines, and such a row would need hand repair anyway.
func checkRow(r batRow) error {
	var p []string
	field := func(name, v string, limit int, mandatory bool) {
		n := utf8.RuneCountInString(v)
		switch {
		case n == 0 && mandatory:
			p = append(p, name+" is empty")
		case n > limit:
			p = append(p, fmt.Sprintf("%s is %d characters long, more than %d", name, n, limit))
		}
		if hasControl(v) {
			p = append(p, name+" contains a control character")
		}
	}
	field("User ID", r.UserID, MaxUserID, true)
	field("User Domain", r.UserDomain, MaxUserDomain, true)
	field("Contact ID", r.ContactID, MaxContactID, true)
	field("Contact Domain", r.ContactDomain, MaxContactDomain, true)
	if r.ContactDomain != "" {
		if why := checkDomain(r.ContactDomain); why != "" {
			p = append(p, fmt.Sprintf("Contact Domain %q %s", r.ContactDomain, why))
		}
	}
	field("Nickname", r.Nickname, MaxNickname, false)
	field("Group Name", r.GroupName, MaxGroupName, true)
	if r.undecodable != "" {
		p = append(p, r.undecodable)
	}
	if len(p) == 0 {
		return nil
	}
	return &ruleError{Problems: p}
}

func hasControl(s string) bool {
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

// checkDomain applies the Contact Domain rule: labels of ASCII letters, digits and
// hyphens, 1–63 long, not starting or ending with a hyphen; the top-level label letters
// only, at least two. It returns "" when the domain passes.
func checkDomain(d string) string {
	labels := strings.Split(d, ".")
	for i, l := range labels {
		switch {
		case l == "":
			return "has an empty label"
		case len(l) > MaxDomainLabel:
			return fmt.Sprintf("has a label longer than %d characters", MaxDomainLabel)
		case l[0] == '-' || l[len(l)-1] == '-':
			return fmt.Sprintf("label %q starts or ends with a hyphen", l)
		}
		for _, c := range l {
			if !isLetter(c) && !isDigit(c) && c != '-' {
				return fmt.Sprintf("contains %q: only letters, digits and hyphens are allowed", c)
			}
		}
		if i == len(labels)-1 {
			if len(l) < 2 {
				return "has a top-level domain shorter than 2 letters"
			}
			for _, c := range l {
				if !isLetter(c) {
					return fmt.Sprintf("has a top-level domain %q that is not letters only", l)
				}
			}
		}
	}
	return ""
}

func isLetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c rune) bool  { return c >= '0' && c <= '9' }

// rejectedRow is a row that failed checkRow, for ExportedContactsRejected<ts>.csv.
type rejectedRow struct {
	Row    batRow
	Reason string
}

// splitRows separates the rows that pass the BAT rules from the rejected ones, with a WARN
// per rejected row (SPEC 4: never silently dropped).
func splitRows(rows []batRow, log userLog) (ok []batRow, rejected []rejectedRow) {
	ok = make([]batRow, 0, len(rows))
	for _, r := range rows {
		if err := checkRow(r); err != nil {
			rejected = append(rejected, rejectedRow{Row: r, Reason: err.Error()})
			log.Warnf("Contact sip:%s@%s of sip:%s@%s in group [%s] rejected: %s",
				r.ContactID, r.ContactDomain, r.UserID, r.UserDomain, r.GroupName, err)
			continue
		}
		ok = append(ok, r)
	}
	return ok, rejected
}
