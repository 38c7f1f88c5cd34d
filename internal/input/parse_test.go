package input

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func mustParse(t *testing.T, text string, opts Options) *List {
	t.Helper()
	list, err := Parse(strings.NewReader(text), "users.txt", opts)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return list
}

func entryLines(l *List) []int {
	var n []int
	for _, e := range l.Entries {
		n = append(n, e.Line)
	}
	return n
}

func invalidLines(l *List) []int {
	var n []int
	for _, e := range l.Invalid {
		n = append(n, e.Line)
	}
	return n
}

func TestLinesDuplicatesAndLineNumbers(t *testing.T) {
	text := "# pool 1\n" + // 1 ignored
		"sip:ann@foo.com\n" + // 2 entry
		"\n" + // 3 ignored
		"SIP:ANN@FOO.COM\r\n" + // 4 duplicate of 2
		"sip@chuck@x.com\n" + // 5 malformed
		"sip:bob@foo.com\r\n" + // 6 entry
		"sip@chuck@x.com\n" + // 7 malformed again: not a duplicate
		"  sip:Ann@Foo.com" // 8 duplicate of 2, no final newline
	l := mustParse(t, text, Options{Command: Disable})
	if fmt.Sprint(entryLines(l)) != "[2 6]" || fmt.Sprint(invalidLines(l)) != "[5 7]" {
		t.Errorf("entries at %v, invalid at %v; want [2 6] and [5 7]", entryLines(l), invalidLines(l))
	}
	wantDup := []Duplicate{{Line: 4, FirstLine: 2, Value: "sip:ANN@FOO.COM"}, {Line: 8, FirstLine: 2, Value: "sip:Ann@Foo.com"}}
	if fmt.Sprint(l.Duplicates) != fmt.Sprint(wantDup) {
		t.Errorf("duplicates %+v, want %+v", l.Duplicates, wantDup)
	}
	if l.Lines != 8 || l.Ignored != 2 {
		t.Errorf("Lines %d Ignored %d, want 8 and 2", l.Lines, l.Ignored)
	}
	if l.Entries[0].URI != "sip:ann@foo.com" {
		t.Errorf("first spelling not kept: %q", l.Entries[0].URI)
	}
}

func TestDuplicatesAcrossForms(t *testing.T) {
	l := mustParse(t, "ann@foo.com\nsip:Ann@FOO.com\nsip:bob@foo.com\n", Options{Command: Delete})
	if len(l.Entries) != 2 || len(l.Duplicates) != 1 || l.Duplicates[0] != (Duplicate{Line: 2, FirstLine: 1, Value: "sip:Ann@FOO.com"}) {
		t.Errorf("user@host and sip: of one user not merged: %+v", l)
	}
	l = mustParse(t, "DN:OU=Sales,DC=foo,DC=com\ndn:ou=sales, dc=FOO,dc=com\nDN:OU=Sales2,DC=foo,DC=com\n", Options{Command: Export})
	if len(l.Entries) != 2 || len(l.Duplicates) != 1 || l.Duplicates[0] != (Duplicate{Line: 2, FirstLine: 1, Value: "ou=sales, dc=FOO,dc=com"}) {
		t.Errorf("equal DNs not merged: %+v", l)
	}
}

func TestPrescanStopsDisableAndDelete(t *testing.T) {
	var b strings.Builder
	for i := 1; i < 900; i++ {
		fmt.Fprintf(&b, "sip:user%d@foo.com\n", i)
	}
	cases := []struct {
		line string
		err  error
	}{
		{"sip:*@foo.com", ErrWildcard},
		{"*", ErrWildcard},
		{"sip:ann@*.foo.com", ErrWildcard},
		{`"sip:*@foo.com"`, ErrWildcard},
		{"ALL", ErrAll},
		{"  all  ", ErrAll},
		{`"All"`, ErrAll},
	}
	for _, cmd := range []Command{Disable, Delete} {
		for _, tc := range cases {
			text := b.String() + tc.line + "\nsip:last@foo.com\n"
			_, err := Parse(strings.NewReader(text), "batch1.txt", Options{Command: cmd})
			if !errors.Is(err, tc.err) {
				t.Errorf("%s %q: error %v, want %v", cmd, tc.line, err, tc.err)
				continue
			}
			msg := err.Error()
			for _, part := range []string{"batch1.txt line 900", cmd.String(), "Nothing was changed"} {
				if !strings.Contains(msg, part) {
					t.Errorf("%s %q: message %q lacks %q", cmd, tc.line, msg, part)
				}
			}
		}
	}
	// exportcontacts has no pre-scan: the lines are malformed, the run goes on.
	l := mustParse(t, b.String()+"sip:*@foo.com\nALL\n", Options{Command: Export})
	if len(l.Entries) != 899 || fmt.Sprint(invalidLines(l)) != "[900 901]" {
		t.Errorf("export: %d entries, invalid at %v", len(l.Entries), invalidLines(l))
	}
}

func TestMaxUsers(t *testing.T) {
	text := "sip:a@foo.com\nsip:b@foo.com\nsip:A@foo.com\nnot-a-user\nsip:c@foo.com\n" // 3 unique, 1 dup, 1 malformed
	if l, err := Parse(strings.NewReader(text), "u.txt", Options{Command: Disable, MaxUsers: 3}); err != nil || len(l.Entries) != 3 {
		t.Errorf("3 users under a limit of 3: %v", err)
	}
	if _, err := Parse(strings.NewReader(text), "u.txt", Options{Command: Delete}); err != nil {
		t.Errorf("no limit: %v", err)
	}
	_, err := Parse(strings.NewReader(text+"sip:d@foo.com\n"), "u.txt", Options{Command: Delete, MaxUsers: 3})
	if !errors.Is(err, ErrTooManyUsers) {
		t.Fatalf("4 users over a limit of 3: %v", err)
	}
	const golden = "too many users: u.txt holds 4 users, more than the limit of 3 (--max-users); split the file or raise --max-users"
	if err.Error() != golden {
		t.Errorf("message\n got %s\nwant %s", err, golden)
	}
}

func TestLongLineIsMalformedAndScanGoesOn(t *testing.T) {
	text := "sip:ann@foo.com\n" + strings.Repeat("x", 3*maxLineBytes+17) + "\r\nsip:bob@foo.com\n" + strings.Repeat("y", maxLineBytes)
	l := mustParse(t, text, Options{Command: Delete})
	if fmt.Sprint(entryLines(l)) != "[1 3]" || fmt.Sprint(invalidLines(l)) != "[2 4]" || l.Lines != 4 {
		t.Fatalf("entries %v invalid %v lines %d; want [1 3] [2 4] 4", entryLines(l), invalidLines(l), l.Lines)
	}
	if !strings.Contains(l.Invalid[0].Reason, "is longer than 65536 bytes") {
		t.Errorf("reason %q", l.Invalid[0].Reason)
	}
	if len(l.Invalid[0].Text) > 300 || len(l.Invalid[0].Error()) > 400 {
		t.Errorf("message of a long line is %d bytes", len(l.Invalid[0].Error()))
	}
	// A line of exactly the limit is still read whole.
	l = mustParse(t, "sip:ann@"+strings.Repeat("a", maxLineBytes-len("sip:ann@")-1)+"\n", Options{Command: Delete})
	if len(l.Invalid) != 1 || !strings.Contains(l.Invalid[0].Reason, "characters long as a SIP URI") {
		t.Errorf("line under the limit: %+v", l.Invalid)
	}
}

func TestIMPUserExport(t *testing.T) {
	text := "UserID,Subcluster Name,Node Name\r\n" +
		"ann,Sub1,cup1\r\n" +
		"\"bob\",\"Sub 1\",\"cup2\"\r\n" +
		"Ann,Sub1,cup1\r\n" +
		"sip:carol@foo.com,Sub1,cup1\r\n" +
		",Sub1,cup1\r\n" +
		"dave\r\n"
	l := mustParse(t, text, Options{Command: Export, Domain: "cup.example.com"})
	want := []Entry{
		{Line: 2, Raw: "ann,Sub1,cup1", Kind: KindIMPUser, URI: "sip:ann@cup.example.com", UserAtHost: "ann@cup.example.com"},
		{Line: 3, Raw: `"bob","Sub 1","cup2"`, Kind: KindIMPUser, URI: "sip:bob@cup.example.com", UserAtHost: "bob@cup.example.com"},
		{Line: 7, Raw: "dave", Kind: KindIMPUser, URI: "sip:dave@cup.example.com", UserAtHost: "dave@cup.example.com"},
	}
	if fmt.Sprint(l.Entries) != fmt.Sprint(want) {
		t.Errorf("entries\n got %+v\nwant %+v", l.Entries, want)
	}
	if fmt.Sprint(invalidLines(l)) != "[5 6]" || len(l.Duplicates) != 1 || l.Duplicates[0].FirstLine != 2 {
		t.Errorf("invalid at %v, duplicates %+v", invalidLines(l), l.Duplicates)
	}
	for _, header := range []string{`"userid","subcluster name","node name"`, "USERID , SubclusterName,Node Name,,", "# exported\n\nUserId,Subcluster name,Node name"} {
		l := mustParse(t, header+"\nann,s,n\n", Options{Command: Export, Domain: "cup.example.com"})
		if len(l.Entries) != 1 || l.Entries[0].URI != "sip:ann@cup.example.com" {
			t.Errorf("header %q not recognised: %+v", header, l)
		}
	}
	// A header that is not the first content line is just a malformed line.
	l = mustParse(t, "sip:ann@foo.com\nUserID,Subcluster Name,Node Name\n", Options{Command: Export})
	if len(l.Entries) != 1 || len(l.Invalid) != 1 {
		t.Errorf("late header: %+v", l)
	}
}

func TestIMPUserExportErrors(t *testing.T) {
	text := "UserID,Subcluster Name,Node Name\nann,Sub1,cup1\n"
	cases := []struct {
		opts Options
		err  error
		msg  string
	}{
		{Options{Command: Export}, ErrDomainRequired, "domain required: imp.csv line 1: an IM and Presence user export (UserID,Subcluster Name,Node Name) needs --domain (-d/) to build sip:<userid>@<domain>"},
		{Options{Command: Disable, Domain: "foo.com"}, ErrFormat, "unsupported users file: imp.csv line 1: an IM and Presence user export (UserID,Subcluster Name,Node Name) is read by exportcontacts only; disableaccount takes sip: addresses, one per line"},
		{Options{Command: Delete}, ErrFormat, "deleteaccount takes sip: addresses"},
		{Options{Command: Export, Domain: "bad_domain"}, nil, `invalid --domain "bad_domain": it has the character '_'`},
		{Options{Command: Export, Domain: "ann@foo.com"}, nil, `invalid --domain "ann@foo.com": it has the character '@'`},
	}
	for _, tc := range cases {
		_, err := Parse(strings.NewReader(text), "imp.csv", tc.opts)
		if err == nil || (tc.err != nil && !errors.Is(err, tc.err)) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%+v: error %v, want %v containing %q", tc.opts, err, tc.err, tc.msg)
		}
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []Options{{}, {Command: 9}, {Command: Disable, MaxUsers: -1}} {
		if _, err := Parse(strings.NewReader("sip:ann@foo.com"), "u.txt", o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
