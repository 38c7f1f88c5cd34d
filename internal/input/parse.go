package input

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Parse reads a users file from r; name is how messages call it (the path as
// given, or "stdin"). The returned error, when not nil, stops the run with
// exit 2 before any connection: a wildcard or ALL for disable/delete, more
// users than MaxUsers, an IM&P export without Domain or given to the wrong
// command, an unreadable file. Malformed lines are not errors: they are
// List.Invalid, and the run goes on.
func Parse(r io.Reader, name string, opts Options) (*List, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	lr, err := newLineReader(r, name)
	if err != nil {
		return nil, err
	}
	p := &parser{opts: opts, list: &List{File: name}, seen: map[string]int{}}
	for {
		line, long, ok := lr.next()
		if !ok {
			break
		}
		p.list.Lines++
		if err := p.line(line, long); err != nil {
			return nil, err
		}
	}
	if err := lr.err(); err != nil {
		return nil, fmt.Errorf("read users file %q at line %d: %w", name, p.list.Lines+1, err)
	}
	if n := len(p.list.Entries); opts.MaxUsers > 0 && n > opts.MaxUsers {
		return nil, fmt.Errorf("%w: %s holds %d users, more than the limit of %d (--max-users); split the file or raise --max-users",
			ErrTooManyUsers, name, n, opts.MaxUsers)
	}
	return p.list, nil
}

func (o Options) check() error {
	if o.Command < Export || o.Command > Verify {
		return fmt.Errorf("read users file: unknown command %d", int(o.Command))
	}
	if o.MaxUsers < 0 {
		return fmt.Errorf("--max-users must not be negative (got %d)", o.MaxUsers)
	}
	if o.Domain != "" {
		if why := checkHost(o.Domain); why != "" {
			return fmt.Errorf("invalid --domain %q: it %s", o.Domain, why)
		}
	}
	return nil
}

type parser struct {
	opts        Options
	list        *List
	seen        map[string]int // duplicate key -> first line
	seenContent bool           // a non-blank, non-comment line was read
	imp         bool           // the file is an IM&P user export
}

// line handles one physical line; list.Lines is its number.
func (p *parser) line(line string, long bool) error {
	n := p.list.Lines
	text := trimSpace(line)
	if text == "" || text[0] == '#' { // blank, comment, Export-Csv's #TYPE line
		p.list.Ignored++
		return nil
	}
	value, quoted := unquote(text)
	if err := p.prescan(n, text, value); err != nil {
		return err
	}
	if long {
		// Only its start is kept: the text goes into the log and the JSON record.
		p.invalid(n, shorten(text), fmt.Sprintf("is longer than %d bytes; is this really a users file?", maxLineBytes))
		return nil
	}
	if !p.seenContent {
		p.seenContent = true
		header, err := p.header(n, text, value, quoted)
		if header || err != nil {
			return err
		}
	}
	if why := checkText(text); why != "" {
		p.invalid(n, text, why)
		return nil
	}
	var e parsed
	switch {
	case p.imp:
		e = impRow(text, p.opts.Domain)
	case quoted && trimSpace(value) == "":
		e = bad("is an empty quoted value")
	default:
		e = classify(trimSpace(value), p.opts.Command)
	}
	if e.reason != "" {
		p.invalid(n, text, e.reason)
		return nil
	}
	if first, dup := p.seen[e.key]; dup {
		p.list.Duplicates = append(p.list.Duplicates, Duplicate{Line: n, FirstLine: first, Value: e.duplicateV})
		return nil
	}
	p.seen[e.key] = n
	p.list.Entries = append(p.list.Entries, Entry{Line: n, Raw: text, Kind: e.kind, URI: e.uri, UserAtHost: e.uah, DN: e.dn})
	return nil
}

// prescan stops every command but exportcontacts on a line that would select
// more than named users: a "*" anywhere, or ALL. Comment lines are not seen
// here: they select no one.
func (p *parser) prescan(n int, text, value string) error {
	if p.opts.Command == Export {
		return nil
	}
	if strings.Contains(text, "*") {
		return fmt.Errorf(`%w: %s line %d: %q: %s never takes a "*" wildcard; list each user's SIP address. Nothing was changed`,
			ErrWildcard, p.list.File, n, shorten(text), p.opts.Command)
	}
	if strings.EqualFold(trimSpace(value), "ALL") {
		return fmt.Errorf(`%w: %s line %d: %q: %s never takes ALL; list each user's SIP address (for example the UserList file exportcontacts writes). Nothing was changed`,
			ErrAll, p.list.File, n, text, p.opts.Command)
	}
	return nil
}

// header looks at the first content line: the IM&P user export header, or
// the column header Export-Csv writes (after its #TYPE line, or alone with
// -NoTypeInformation) — a quoted name with no "@" or ":", which cannot be an
// entry of any form.
func (p *parser) header(n int, text, value string, quoted bool) (bool, error) {
	if isIMPHeader(text) {
		const what = "an IM and Presence user export (UserID,Subcluster Name,Node Name)"
		if p.opts.Command != Export {
			return true, fmt.Errorf("%w: %s line %d: %s is read by exportcontacts only; %s takes sip: addresses, one per line",
				ErrFormat, p.list.File, n, what, p.opts.Command)
		}
		if p.opts.Domain == "" {
			return true, fmt.Errorf("%w: %s line %d: %s needs --domain (-d/) to build sip:<userid>@<domain>",
				ErrDomainRequired, p.list.File, n, what)
		}
		p.imp = true
		p.list.Ignored++
		return true, nil
	}
	v := trimSpace(value)
	if quoted && v != "" && !strings.ContainsAny(v, "@:") && !strings.EqualFold(v, "ALL") && checkText(v) == "" {
		p.list.Ignored++
		return true, nil
	}
	return false, nil
}

func (p *parser) invalid(n int, text, reason string) {
	p.list.Invalid = append(p.list.Invalid, LineError{File: p.list.File, Line: n, Text: text, Reason: reason})
}

// trimSpace also trims U+FEFF: files joined with `copy a+b` or `type a b >c`
// carry a second byte-order mark at the start of a later line.
func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
}

// unquote strips one pair of surrounding double quotes (Export-Csv quotes
// every value).
func unquote(s string) (string, bool) {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1], true
	}
	return s, false
}
