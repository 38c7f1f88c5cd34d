package input

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxURILen is the longest SIP URI kept: msRTCSIP-PrimaryUserAddress and the
// rtc Resource.UserAtHost column are both 454 characters; a longer value can
// match no user and is a typing or export accident.
const maxURILen = 454

// checkText reports characters no form allows: invalid UTF-8 (or the U+FFFD a
// decoder left for broken UTF-16) and control characters. Spaces are checked
// per form: a DN may contain them, a SIP URI may not.
func checkText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text; save the file as UTF-8 or as Unicode (UTF-16 with a byte-order mark)"
	}
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return "contains an undecodable character (U+FFFD); check the file's encoding"
		case r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0):
			return fmt.Sprintf("contains a control character (U+%04X)", r)
		}
	}
	return ""
}

// checkAddress validates the user@host part of a SIP URI and returns why it
// is malformed, or "".
func checkAddress(addr string) string {
	if addr == "" {
		return `has nothing after "sip:"; expected sip:user@domain`
	}
	if n := utf8.RuneCountInString("sip:" + addr); n > maxURILen {
		return fmt.Sprintf("is %d characters long as a SIP URI, more than the %d allowed", n, maxURILen)
	}
	if strings.ContainsAny(addr, " \u00A0") {
		return "contains a space"
	}
	switch strings.Count(addr, "@") {
	case 0:
		return "has no domain; expected sip:user@domain"
	case 1:
	default:
		return `has more than one "@"`
	}
	user, host, _ := strings.Cut(addr, "@")
	if user == "" {
		return `has an empty user part before "@"`
	}
	if why := checkUser(user); why != "" {
		return why
	}
	return checkHost(host)
}

// checkUser accepts the characters of RFC 3261's user part that real SIP
// addresses use (letters, digits, . _ - ' + ! ~ & = $). Refused although
// RFC 3261 allows them: "*" (a wildcard attempt, never a user), ( ) , ; ? /
// and %-escapes, which no Lync address contains and which would be read as
// URI parameters or CSV separators by the tools downstream.
func checkUser(user string) string {
	for _, r := range user {
		if r >= utf8.RuneSelf {
			return fmt.Sprintf("contains the non-ASCII character %q; SIP addresses are ASCII", r)
		}
		if !isUserChar(byte(r)) {
			return fmt.Sprintf("contains the character %q, not allowed in the user part of a SIP address", r)
		}
	}
	return ""
}

func isUserChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte(".-_'+!~&=$", c) >= 0
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// checkHost validates a domain name: dot-separated labels of 1–63 ASCII
// letters, digits and hyphens, not starting or ending with a hyphen, 253
// characters at most (RFC 1035/1123; the BAT rule for Contact Domain is the
// same). Internationalised domains must be written in their xn-- form: Lync
// stores SIP addresses in ASCII, so a Unicode domain could match no one, and
// converting it would take IDNA tables this package does not carry. A single
// label ("corp") is accepted: it is unusual but not impossible, and a typo
// ends as not_found with the user named.
func checkHost(host string) string {
	if host == "" {
		return `has an empty domain after "@"`
	}
	if len(host) > 253 {
		return fmt.Sprintf("has a domain of %d characters, more than the 253 a domain name may have", len(host))
	}
	for _, r := range host {
		if r >= utf8.RuneSelf {
			return fmt.Sprintf("has the non-ASCII character %q in its domain; write an internationalised domain in its xn-- (punycode) form", r)
		}
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" {
			return fmt.Sprintf("has the domain %q with an empty label (a leading, trailing or double dot)", host)
		}
		if len(label) > 63 {
			return fmt.Sprintf("has the domain %q with a label longer than 63 characters", host)
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isAlnum(c) && c != '-' {
				return fmt.Sprintf("has the character %q in its domain %q; a domain has letters, digits, hyphens and dots", c, host)
			}
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Sprintf("has the domain %q with a label starting or ending with a hyphen", host)
		}
	}
	return ""
}
