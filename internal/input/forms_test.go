package input

import (
	"errors"
	"strings"
	"testing"
)

// want is what one line must become for one command.
type want struct {
	entry   *Entry // Kind, URI, UserAtHost, DN compared
	reason  string // substring of the LineError reason
	ignored bool
	err     error // the whole run stops with this (errors.Is)
}

func ok(kind Kind, uri, uah string) want {
	return want{entry: &Entry{Kind: kind, URI: uri, UserAtHost: uah}}
}
func okDN(dn string) want     { return want{entry: &Entry{Kind: KindDN, DN: dn}} }
func bad_(reason string) want { return want{reason: reason} }
func stop(err error) want     { return want{err: err} }

var ignored = want{ignored: true}

var commands = []Command{Export, Disable, Delete, Verify}

// every: the same expectation for every command.
func every(w want) map[Command]want {
	return map[Command]want{Export: w, Disable: w, Delete: w, Verify: w}
}

// expectation is what cmd must make of a line: verify reads exactly what
// deleteaccount reads (its messages name verify), so the cases spell out
// the first three commands only.
func (tc formCase) expectation(cmd Command) (want, bool) {
	w, has := tc.want[cmd]
	if has || cmd != Verify {
		return w, has
	}
	w, has = tc.want[Delete]
	w.reason = strings.ReplaceAll(w.reason, Delete.String(), Verify.String())
	return w, has
}

type formCase struct {
	name string
	line string
	want map[Command]want
}

var long442 = strings.Repeat("a", 442) // sip: + 442 + @foo.com = 454 characters
var long443 = strings.Repeat("a", 443)

var formCases = []formCase{
	// SIP URIs: all three commands.
	{"sip", "sip:ann@foo.com", every(ok(KindSIP, "sip:ann@foo.com", "ann@foo.com"))},
	{"scheme upper case", "SIP:Ann@Foo.com", every(ok(KindSIP, "sip:Ann@Foo.com", "Ann@Foo.com"))},
	{"scheme mixed case", "Sip:ann@foo.com", every(ok(KindSIP, "sip:ann@foo.com", "ann@foo.com"))},
	{"surrounding white space", " \t sip:ann@foo.com \t", every(ok(KindSIP, "sip:ann@foo.com", "ann@foo.com"))},
	{"double quoted (Export-Csv)", `"sip:ann@foo.com"`, every(ok(KindSIP, "sip:ann@foo.com", "ann@foo.com"))},
	{"quoted with spaces inside the quotes", `" sip:ann@foo.com "`, every(ok(KindSIP, "sip:ann@foo.com", "ann@foo.com"))},
	{"byte-order mark at line start (joined files)", "\uFEFFsip:ann@foo.com", every(ok(KindSIP, "sip:ann@foo.com", "ann@foo.com"))},
	{"trailing no-break space", "sip:ann@foo.com\u00A0", every(ok(KindSIP, "sip:ann@foo.com", "ann@foo.com"))},
	{"apostrophe and dot in the user", "sip:o'brien.j@foo.com", every(ok(KindSIP, "sip:o'brien.j@foo.com", "o'brien.j@foo.com"))},
	{"punycode domain", "sip:ann@xn--bcher-kva.de", every(ok(KindSIP, "sip:ann@xn--bcher-kva.de", "ann@xn--bcher-kva.de"))},
	{"single-label domain", "sip:ann@corp", every(ok(KindSIP, "sip:ann@corp", "ann@corp"))},
	{"454 characters", "sip:" + long442 + "@foo.com", every(ok(KindSIP, "sip:"+long442+"@foo.com", long442+"@foo.com"))},

	// user@host: deleteaccount (and verify) only.
	{"bare user@host", "ann@foo.com", map[Command]want{
		Export:  bad_(`has no "sip:" prefix: write "sip:ann@foo.com"`),
		Disable: bad_(`has no "sip:" prefix: write "sip:ann@foo.com"`),
		Delete:  ok(KindUserAtHost, "sip:ann@foo.com", "ann@foo.com"),
	}},
	{"bare user@host, case kept", "Ann@Foo.COM", map[Command]want{
		Export:  bad_(`has no "sip:" prefix`),
		Disable: bad_(`has no "sip:" prefix`),
		Delete:  ok(KindUserAtHost, "sip:Ann@Foo.COM", "Ann@Foo.COM"),
	}},
	{"user named sip", "sip@foo.com", map[Command]want{
		Export:  bad_(`has no "sip:" prefix: write "sip:sip@foo.com"`),
		Disable: bad_(`has no "sip:" prefix`),
		Delete:  ok(KindUserAtHost, "sip:sip@foo.com", "sip@foo.com"),
	}},
	{"malformed bare user@host", "ann@foo..com", map[Command]want{
		Export:  bad_("is not a SIP address"),
		Disable: bad_("is not a SIP address"),
		Delete:  bad_("empty label"),
	}},

	// DN: exportcontacts only.
	{"DN", "DN:OU=Sales,DC=foo,DC=com", map[Command]want{
		Export:  okDN("OU=Sales,DC=foo,DC=com"),
		Disable: bad_("is a DN: line (the users of an OU), which only exportcontacts reads; disableaccount takes sip:"),
		Delete:  bad_("is a DN: line (the users of an OU), which only exportcontacts reads; deleteaccount takes sip:"),
	}},
	{"DN lower-case prefix, spaces in a value", "dn: OU=Sales Team,DC=foo,DC=com", map[Command]want{
		Export: okDN("OU=Sales Team,DC=foo,DC=com"), Disable: bad_("only exportcontacts"), Delete: bad_("only exportcontacts"),
	}},
	{"DN with an OID attribute type", "DN:2.5.4.11=Sales,DC=foo,DC=com", map[Command]want{
		Export: okDN("2.5.4.11=Sales,DC=foo,DC=com"), Disable: bad_("only exportcontacts"), Delete: bad_("only exportcontacts"),
	}},
	{"DN that does not parse", "DN:not a dn", map[Command]want{
		Export: bad_("is not a valid distinguished name"), Disable: bad_("only exportcontacts"), Delete: bad_("only exportcontacts"),
	}},
	{"DN with an empty RDN", "DN:OU=Sales,,DC=com", map[Command]want{
		Export: bad_("is not a valid distinguished name"), Disable: bad_("only exportcontacts"), Delete: bad_("only exportcontacts"),
	}},
	{"DN with an empty value", "DN:OU=,DC=foo", map[Command]want{
		Export: bad_("OU= has no value"), Disable: bad_("only exportcontacts"), Delete: bad_("only exportcontacts"),
	}},
	{"DN with a bad attribute type", "DN:1OU=x,DC=foo", map[Command]want{
		Export: bad_(`"1OU" is not an attribute type`), Disable: bad_("only exportcontacts"), Delete: bad_("only exportcontacts"),
	}},
	{"DN: and nothing", "DN:", map[Command]want{
		Export: bad_(`has nothing after "DN:"`), Disable: bad_("only exportcontacts"), Delete: bad_("only exportcontacts"),
	}},

	// Malformed SIP URIs: an error outcome for every command.
	{"Cisco's sip@ typo", "sip@chuck@cisco.com", every(bad_(`starts with "sip@" instead of "sip:" (did you mean "sip:chuck@cisco.com"?)`))},
	{"space inside", "sip:ann smith@foo.com", every(bad_("contains a space"))},
	{"no-break space inside", "sip:ann\u00A0smith@foo.com", every(bad_("contains a space"))},
	{"comment after the value", "sip:ann@foo.com # Ann", every(bad_("contains a space"))},
	{"no domain", "sip:ann", every(bad_("has no domain"))},
	{"nothing after sip:", "sip:", every(bad_(`has nothing after "sip:"`))},
	{"empty user", "sip:@foo.com", every(bad_(`empty user part before "@"`))},
	{"empty domain", "sip:ann@", every(bad_(`empty domain after "@"`))},
	{"two @", "sip:ann@bob@foo.com", every(bad_(`more than one "@"`))},
	{"comma in the user", "sip:ann,bob@foo.com", every(bad_(`character ','`))},
	{"percent escape", "sip:ann%40x@foo.com", every(bad_(`character '%'`))},
	{"sip:sip:", "sip:sip:ann@foo.com", every(bad_(`character ':'`))},
	{"unbalanced quote", `"sip:ann@foo.com`, every(bad_("double quote that does not enclose the whole value"))},
	{"inner quotes (CSV escape)", `"sip:a""b@foo.com"`, every(bad_("double quote that does not enclose the whole value"))},
	{"underscore in the domain", "sip:ann@foo_bar.com", every(bad_(`character '_' in its domain "foo_bar.com"`))},
	{"URI parameter", "sip:ann@foo.com;transport=tls", every(bad_(`character ';' in its domain`))},
	{"IPv6 literal", "sip:ann@[::1]", every(bad_(`character '[' in its domain`))},
	{"label starting with a hyphen", "sip:ann@-foo.com", every(bad_("starting or ending with a hyphen"))},
	{"label ending with a hyphen", "sip:ann@foo-.com", every(bad_("starting or ending with a hyphen"))},
	{"double dot", "sip:ann@foo..com", every(bad_("empty label"))},
	{"trailing dot", "sip:ann@foo.com.", every(bad_("empty label"))},
	{"label of 64", "sip:ann@" + strings.Repeat("x", 64) + ".com", every(bad_("label longer than 63"))},
	{"domain of 254", "sip:ann@" + strings.Repeat(strings.Repeat("x", 62)+".", 4) + "co", every(bad_("domain of 254 characters"))},
	{"455 characters", "sip:" + long443 + "@foo.com", every(bad_("is 455 characters long as a SIP URI, more than the 454 allowed"))},
	{"control character", "sip:ann\x01@foo.com", every(bad_("control character (U+0001)"))},
	{"tab inside", "sip:ann\t@foo.com", every(bad_("control character (U+0009)"))},
	{"DEL", "sip:ann\x7f@foo.com", every(bad_("control character (U+007F)"))},
	{"C1 control", "sip:ann\u0085x@foo.com", every(bad_("control character (U+0085)"))},
	{"non-ASCII user", "sip:zoë@foo.com", every(bad_("non-ASCII character 'ë'"))},
	{"Unicode domain", "sip:ann@bücher.de", every(bad_("xn-- (punycode) form"))},
	{"invalid UTF-8", "sip:ann\xff@foo.com", every(bad_("is not valid UTF-8"))},
	{"replacement character", "sip:ann\uFFFD@foo.com", every(bad_("undecodable character"))},
	{"sips scheme", "sips:ann@foo.com", map[Command]want{
		Export: bad_("is not a SIP address"), Disable: bad_("is not a SIP address"), Delete: bad_(`character ':'`),
	}},
	{"tel URI", "tel:+15551234", map[Command]want{
		Export: bad_("is not a SIP address or a DN: line"), Disable: bad_("is not a SIP address"), Delete: bad_("is not a SIP address"),
	}},
	{"unquoted column name", "SipAddress", every(bad_("is not a SIP address"))},
	{"empty quoted value", `""`, every(bad_("is an empty quoted value"))},

	// Ignored lines.
	{"blank (CRLF)", "\r\n", every(ignored)},
	{"white space only", " \t ", every(ignored)},
	{"comment", "# users of pool 1", every(ignored)},
	{"indented comment", "   # sip:ann@foo.com", every(ignored)},
	{"Export-Csv #TYPE line", "#TYPE Selected.Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser", every(ignored)},
	{"comment with a wildcard", "# never use sip:*@foo.com", every(ignored)},
	{"Export-Csv column header", `"SipAddress"`, every(ignored)},

	// ALL and wildcards.
	{"ALL line", "ALL", map[Command]want{
		Export: bad_("only as the -f value itself (-f ALL)"), Disable: stop(ErrAll), Delete: stop(ErrAll),
	}},
	{"all line, lower case", "all", map[Command]want{
		Export: bad_("-f ALL"), Disable: stop(ErrAll), Delete: stop(ErrAll),
	}},
	{"quoted ALL", `"All"`, map[Command]want{
		Export: bad_("-f ALL"), Disable: stop(ErrAll), Delete: stop(ErrAll),
	}},
	{"wildcard user", "sip:*@foo.com", map[Command]want{
		Export: bad_(`character '*'`), Disable: stop(ErrWildcard), Delete: stop(ErrWildcard),
	}},
	{"lone wildcard", "*", map[Command]want{
		Export: bad_("is not a SIP address"), Disable: stop(ErrWildcard), Delete: stop(ErrWildcard),
	}},
	{"wildcard in a DN", "DN:OU=*,DC=foo", map[Command]want{
		Export: okDN("OU=*,DC=foo"), Disable: stop(ErrWildcard), Delete: stop(ErrWildcard),
	}},

	// The IM&P user export header alone.
	{"IM&P header without --domain", "UserID,Subcluster Name,Node Name", map[Command]want{
		Export: stop(ErrDomainRequired), Disable: stop(ErrFormat), Delete: stop(ErrFormat),
	}},
}

func TestForms(t *testing.T) {
	for _, tc := range formCases {
		for _, cmd := range commands {
			w, has := tc.expectation(cmd)
			if !has {
				t.Fatalf("%s: no expectation for %s", tc.name, cmd)
			}
			t.Run(tc.name+"/"+cmd.String(), func(t *testing.T) {
				list, err := Parse(strings.NewReader(tc.line), "users.txt", Options{Command: cmd})
				checkOne(t, tc.line, list, err, w)
			})
		}
	}
}

func checkOne(t *testing.T, line string, list *List, err error, w want) {
	t.Helper()
	if w.err != nil {
		if !errors.Is(err, w.err) {
			t.Fatalf("%q: error %v, want %v", line, err, w.err)
		}
		if list != nil {
			t.Errorf("%q: a list came back with the error", line)
		}
		if !strings.Contains(err.Error(), "users.txt line 1") {
			t.Errorf("error %q does not name the file and line", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("%q: unexpected error %v", line, err)
	}
	if list.Lines != 1 {
		t.Fatalf("%q: Lines = %d, want 1", line, list.Lines)
	}
	got := len(list.Entries) + len(list.Invalid) + len(list.Duplicates) + list.Ignored
	if got != 1 {
		t.Fatalf("%q: %d results for one line: %+v", line, got, list)
	}
	switch {
	case w.ignored:
		if list.Ignored != 1 {
			t.Errorf("%q: not ignored: %+v", line, list)
		}
	case w.reason != "":
		if len(list.Invalid) != 1 {
			t.Fatalf("%q: want malformed (%s), got %+v", line, w.reason, list)
		}
		le := list.Invalid[0]
		if !strings.Contains(le.Reason, w.reason) {
			t.Errorf("%q: reason %q, want it to contain %q", line, le.Reason, w.reason)
		}
		if le.File != "users.txt" || le.Line != 1 || le.Text != trimSpace(line) {
			t.Errorf("%q: LineError %+v: wrong file, line or text", line, le)
		}
	default:
		if len(list.Entries) != 1 {
			t.Fatalf("%q: want an entry, got %+v", line, list)
		}
		e := list.Entries[0]
		if e.Kind != w.entry.Kind || e.URI != w.entry.URI || e.UserAtHost != w.entry.UserAtHost || e.DN != w.entry.DN {
			t.Errorf("%q: entry %+v, want %+v", line, e, *w.entry)
		}
		if e.Line != 1 || e.Raw != trimSpace(line) {
			t.Errorf("%q: entry line %d raw %q", line, e.Line, e.Raw)
		}
	}
}

func TestLineErrorMessage(t *testing.T) {
	list, err := Parse(strings.NewReader("sip:ann@foo.com\n\n\n\n\n\nsip@chuck@x.com\n"), "users.txt", Options{Command: Disable})
	if err != nil || len(list.Invalid) != 1 {
		t.Fatalf("Parse: %v, %+v", err, list)
	}
	const golden = `users.txt line 7: "sip@chuck@x.com": starts with "sip@" instead of "sip:" (did you mean "sip:chuck@x.com"?)`
	if got := list.Invalid[0].Error(); got != golden {
		t.Errorf("message\n got %s\nwant %s", got, golden)
	}
}

func TestLineErrorMessageShortensText(t *testing.T) {
	e := LineError{File: "u.txt", Line: 3, Text: strings.Repeat("x", 5000), Reason: "why"}
	msg := e.Error()
	if len(msg) > 300 || !strings.HasSuffix(msg, `…": why`) {
		t.Errorf("message not shortened: %d bytes, ends %q", len(msg), msg[len(msg)-20:])
	}
}
