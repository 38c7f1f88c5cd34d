package disableaccount

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The backup file is LDIF (RFC 2849) of `changetype: modify` records made of
// `replace:` operations only: a replace with values sets them, one without
// values removes the attribute (and succeeds when it is already absent), so
// that applying a record twice is harmless. ldapmodify and ldifde read it too.

// ldifRecord is one user's prior values.
type ldifRecord struct {
	Line int    // line of its dn: (for messages and the outcome)
	User string // from the "# user: " comment, else the DN
	DN   string
	Mods []replaceMod // in file order
}

// replaceMod is `replace: Attr` with its values (none: remove).
type replaceMod struct {
	Attr   string
	Values []string
}

const crlf = "\r\n" // SPEC 3.3: text files end lines in CRLF

// ldifHeader starts a backup file.
func ldifHeader(version, when string) string {
	return "version: 1" + crlf +
		"# DisableAccount backup written by lyncmigrate " + version + " on " + when + crlf +
		"# The values each user had before its change. Restore with: lyncmigrate disableaccount --undo <this file>" + crlf +
		"# (or ldapmodify -f <this file>). Applying it twice is harmless." + crlf
}

// formatRecord is one record, preceded by a blank line and the user comment.
func formatRecord(r ldifRecord) string {
	var b strings.Builder
	b.WriteString(crlf)
	if r.User != "" {
		b.WriteString("# user: " + oneLine(r.User) + crlf)
	}
	b.WriteString(ldifLine("dn", r.DN))
	b.WriteString("changetype: modify" + crlf)
	for _, m := range r.Mods {
		b.WriteString("replace: " + m.Attr + crlf)
		for _, v := range m.Values {
			b.WriteString(ldifLine(m.Attr, v))
		}
		b.WriteString("-" + crlf)
	}
	return b.String()
}

// ldifLine writes name: value, or name:: base64 when RFC 2849 requires it.
func ldifLine(name, v string) string {
	if safeString(v) {
		return name + ": " + v + crlf
	}
	return name + ":: " + base64.StdEncoding.EncodeToString([]byte(v)) + crlf
}

// safeString is RFC 2849's SAFE-STRING, and no trailing space (which
// editors lose).
func safeString(s string) bool {
	if s == "" {
		return true
	}
	if c := s[0]; c == ' ' || c == ':' || c == '<' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == 0 || c == '\n' || c == '\r' || c > 0x7f {
			return false
		}
	}
	return true
}

func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }

// parseLDIF reads a backup file. It accepts what formatRecord writes plus
// what an editor or another tool may add: LF or CRLF, folded lines, comments,
// a version line. Anything else — other change types or operations, URL
// values — is refused with its line number: --undo applies only replaces.
func parseLDIF(r io.Reader, name string) ([]ldifRecord, error) {
	lines, err := unfold(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	var (
		recs []ldifRecord
		cur  *ldifRecord
		mod  *replaceMod
		user string
	)
	fail := func(n int, format string, args ...any) error {
		return fmt.Errorf("%s line %d: %s", name, n, fmt.Sprintf(format, args...))
	}
	end := func(n int) error {
		if cur == nil {
			return nil
		}
		if mod != nil {
			return fail(n, `the replace of %s is not ended by "-"`, mod.Attr)
		}
		if cur.Mods == nil {
			return fail(cur.Line, "record of %s has no changes", cur.DN)
		}
		recs = append(recs, *cur)
		cur, user = nil, ""
		return nil
	}
	for i, l := range lines {
		n := l.n
		switch {
		case strings.HasPrefix(l.text, "#"):
			if u, ok := strings.CutPrefix(l.text, "# user: "); ok && cur == nil {
				user = u
			}
			continue
		case l.text == "":
			if err := end(n); err != nil {
				return nil, err
			}
			continue
		case l.text == "-":
			if cur == nil || mod == nil {
				return nil, fail(n, `"-" outside a replace`)
			}
			cur.Mods = append(cur.Mods, *mod)
			mod = nil
			continue
		}
		key, val, err := splitLine(l.text)
		if err != nil {
			return nil, fail(n, "%v", err)
		}
		lk := strings.ToLower(key)
		switch {
		case cur == nil && lk == "version" && len(recs) == 0 && i == firstContent(lines):
			if val != "1" {
				return nil, fail(n, "LDIF version %q (only 1 is known)", val)
			}
		case cur == nil:
			if lk != "dn" {
				return nil, fail(n, "expected dn:, found %s:", key)
			}
			if val == "" {
				return nil, fail(n, "empty dn")
			}
			cur = &ldifRecord{Line: n, User: user, DN: val}
			if cur.User == "" {
				cur.User = val
			}
		case lk == "changetype":
			if cur.Mods != nil || mod != nil || !strings.EqualFold(val, "modify") {
				return nil, fail(n, "changetype %s: --undo applies only changetype: modify records", val)
			}
		case mod == nil:
			if lk != "replace" {
				return nil, fail(n, "%s: %s: --undo applies only replace: operations", key, val)
			}
			mod = &replaceMod{Attr: val}
		default:
			if !strings.EqualFold(key, mod.Attr) {
				return nil, fail(n, "value of %s inside the replace of %s", key, mod.Attr)
			}
			mod.Values = append(mod.Values, val)
		}
	}
	last := 0
	if len(lines) > 0 {
		last = lines[len(lines)-1].n
	}
	if err := end(last); err != nil {
		return nil, err
	}
	return recs, nil
}

type ldifText struct {
	n    int // first physical line
	text string
}

// unfold joins continuation lines (starting with one space) to the line
// before, as RFC 2849 defines folding, keeping each logical line's number.
func unfold(r io.Reader) ([]ldifText, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	var out []ldifText
	n := 0
	for sc.Scan() {
		n++
		t := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			t = strings.TrimPrefix(t, "\ufeff")
		}
		if strings.HasPrefix(t, " ") && len(out) > 0 && out[len(out)-1].text != "" {
			out[len(out)-1].text += t[1:]
			continue
		}
		out = append(out, ldifText{n: n, text: t})
	}
	return out, sc.Err()
}

func firstContent(lines []ldifText) int {
	for i, l := range lines {
		if l.text != "" && !strings.HasPrefix(l.text, "#") {
			return i
		}
	}
	return -1
}

// splitLine parses name: value, name:: base64 (and refuses name:< URL).
func splitLine(s string) (string, string, error) {
	key, rest, ok := strings.Cut(s, ":")
	if !ok || key == "" {
		return "", "", fmt.Errorf("%q is not name: value", shortText(s))
	}
	switch {
	case strings.HasPrefix(rest, ":"):
		v, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest[1:]))
		if err != nil {
			return "", "", fmt.Errorf("%s: bad base64: %v", key, err)
		}
		return key, string(v), nil
	case strings.HasPrefix(rest, "<"):
		return "", "", errors.New(key + ":< URL values are not supported")
	}
	return key, strings.TrimLeft(rest, " "), nil
}

func shortText(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
