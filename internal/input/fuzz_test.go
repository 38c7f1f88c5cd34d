package input

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	ldap "github.com/go-ldap/ldap/v3"
)

// FuzzParse checks the invariants of any input: no panic; every line ends as
// exactly one of entry, malformed, duplicate or ignored; entries are unique
// case-insensitively and valid for the command; line numbers are in range.
// The seed corpus (every table case, every fixture) runs under plain go test.
func FuzzParse(f *testing.F) {
	for _, tc := range formCases {
		for _, cmd := range commands {
			f.Add([]byte(tc.line), uint8(cmd), uint8(0), false)
		}
	}
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	for _, path := range fixtures {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for _, cmd := range commands {
			f.Add(data, uint8(cmd), uint8(0), true)
			f.Add(data, uint8(cmd), uint8(1), true)
		}
	}
	f.Add([]byte("sip:a@x.com\nSIP:A@X.COM\n\nann@x.com\r\nDN:OU=a,DC=x\n#c\n\"sip:b@x.com\"\nsip@c@x.com"), uint8(Delete), uint8(1), false)
	f.Add([]byte("UserID,Subcluster Name,Node Name\nann,a,b\nANN,a,b\n\nbob"), uint8(Export), uint8(0), true)

	f.Fuzz(func(t *testing.T, data []byte, cmdN, maxUsers uint8, withDomain bool) {
		cmd := Command(cmdN%3 + 1)
		opts := Options{Command: cmd, MaxUsers: int(maxUsers % 8)}
		if withDomain {
			opts.Domain = "cup.example.com"
		}
		list, err := Parse(bytes.NewReader(data), "fuzz.txt", opts)
		if err != nil {
			checkFuzzError(t, data, opts, list, err)
			return
		}
		checkFuzzList(t, data, cmd, opts, list)
	})
}

func checkFuzzError(t *testing.T, data []byte, opts Options, list *List, err error) {
	if list != nil {
		t.Fatalf("a list came back with the error %v", err)
	}
	switch {
	case errors.Is(err, ErrWildcard), errors.Is(err, ErrAll):
		if opts.Command == Export {
			t.Fatalf("export stopped by the pre-scan: %v", err)
		}
	case errors.Is(err, ErrTooManyUsers):
		o := opts
		o.MaxUsers = 0
		all, err2 := Parse(bytes.NewReader(data), "fuzz.txt", o)
		if err2 != nil || len(all.Entries) <= opts.MaxUsers {
			t.Fatalf("too many users with %v and %d entries without the limit (%v)", err, len(all.Entries), err2)
		}
	case errors.Is(err, ErrDomainRequired):
		if opts.Domain != "" || opts.Command != Export {
			t.Fatalf("domain error with options %+v", opts)
		}
	case errors.Is(err, ErrFormat):
	default:
		t.Fatalf("unexpected error kind: %v", err)
	}
}

func checkFuzzList(t *testing.T, data []byte, cmd Command, opts Options, l *List) {
	if want, ok := plainLineCount(data); ok && l.Lines != want {
		t.Fatalf("Lines = %d, want %d", l.Lines, want)
	}
	seenLine := map[int]string{}
	mark := func(n int, what string) {
		if n < 1 || n > l.Lines {
			t.Fatalf("%s at line %d, outside 1..%d", what, n, l.Lines)
		}
		if prev, dup := seenLine[n]; dup {
			t.Fatalf("line %d is both %s and %s", n, prev, what)
		}
		seenLine[n] = what
	}
	keys := map[string]int{}
	last := 0
	for _, e := range l.Entries {
		mark(e.Line, "entry")
		if e.Line <= last {
			t.Fatalf("entries out of order at line %d", e.Line)
		}
		last = e.Line
		key := checkFuzzEntry(t, cmd, e)
		if first, dup := keys[key]; dup {
			t.Fatalf("lines %d and %d are the same entry %q", first, e.Line, key)
		}
		keys[key] = e.Line
		if cmd != Export && (strings.Contains(e.Raw, "*") || strings.EqualFold(e.Raw, "ALL")) {
			t.Fatalf("pre-scan missed %q", e.Raw)
		}
	}
	if opts.MaxUsers > 0 && len(l.Entries) > opts.MaxUsers {
		t.Fatalf("%d entries over MaxUsers %d", len(l.Entries), opts.MaxUsers)
	}
	for _, e := range l.Invalid {
		mark(e.Line, "invalid")
		if e.Reason == "" || e.File != "fuzz.txt" || e.Error() == "" {
			t.Fatalf("incomplete LineError %+v", e)
		}
	}
	for _, d := range l.Duplicates {
		mark(d.Line, "duplicate")
		if d.FirstLine >= d.Line || seenLine[d.FirstLine] != "entry" {
			t.Fatalf("duplicate %+v does not point back to an entry", d)
		}
	}
	if total := len(seenLine) + l.Ignored; total != l.Lines {
		t.Fatalf("%d results + %d ignored for %d lines", len(seenLine), l.Ignored, l.Lines)
	}
}

// checkFuzzEntry checks one entry against the rules of its form and returns
// its case-insensitive identity.
func checkFuzzEntry(t *testing.T, cmd Command, e Entry) string {
	switch e.Kind {
	case KindDN:
		if cmd != Export || e.DN == "" || e.URI != "" {
			t.Fatalf("DN entry %+v for %s", e, cmd)
		}
		dn, err := ldap.ParseDN(e.DN)
		if err != nil {
			t.Fatalf("DN entry %q does not parse: %v", e.DN, err)
		}
		return "dn:" + strings.ToLower(dn.String())
	case KindUserAtHost:
		if cmd != Delete {
			t.Fatalf("user@host entry for %s", cmd)
		}
	case KindIMPUser:
		if cmd != Export || !strings.HasSuffix(e.UserAtHost, "@cup.example.com") {
			t.Fatalf("IM&P entry %+v for %s", e, cmd)
		}
	case KindSIP:
	default:
		t.Fatalf("entry of kind %v", e.Kind)
	}
	if e.URI != "sip:"+e.UserAtHost || len(e.URI) > maxURILen || strings.Count(e.UserAtHost, "@") != 1 {
		t.Fatalf("bad URI %q / %q", e.URI, e.UserAtHost)
	}
	for i := 0; i < len(e.URI); i++ {
		if c := e.URI[i]; c <= ' ' || c >= utf8.RuneSelf || c == '*' || c == '"' {
			t.Fatalf("entry %q holds the byte %q", e.URI, c)
		}
	}
	if again := classify(e.URI, cmd); again.reason != "" || again.uri != e.URI {
		t.Fatalf("entry %q does not read back: %+v", e.URI, again)
	}
	return strings.ToLower(e.URI)
}

// plainLineCount is the number of lines bufio would see in a UTF-8 input;
// false for UTF-16, whose lines are counted after decoding.
func plainLineCount(data []byte) (int, bool) {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return 0, false
	}
	n := bytes.Count(data, []byte{'\n'})
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n, true
}
