package exportcontacts

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// The CSV bytes are encoding/csv's with UseCRLF. Where it differs from quoting
// only commas, quotes and line breaks, the difference is kept on purpose:
//   - a field starting with white space is quoted: RFC 4180 allows quotes on any
//     field and every reader takes them off, while a reader that trims unquoted
//     fields (an importer's option) would lose the space;
//   - a CR alone in a field is dropped: checkRow refuses control characters, so
//     such a field only reaches the rejects report, whose Reason names it.
func TestCSVQuoting(t *testing.T) {
	cases := []struct{ in, want, readBack string }{
		{"plain", "plain", "plain"},
		{"", "", ""},
		{"trail ", "trail ", "trail "},
		{" lead", `" lead"`, " lead"},
		{"\u00a0nbsp", "\"\u00a0nbsp\"", "\u00a0nbsp"},
		{"Dave, Jr.", `"Dave, Jr."`, "Dave, Jr."},
		{`Carol "CJ"`, `"Carol ""CJ"""`, `Carol "CJ"`},
		{`"`, `""""`, `"`},
		{"two\nlines", "\"two\r\nlines\"", "two\nlines"},
		{"crlf\r\n", "\"crlf\r\n\"", "crlf\n"},
		{"cr\ralone", `"cralone"`, "cralone"},
		{"日本", "日本", "日本"},
	}
	for _, c := range cases {
		p := filepath.Join(t.TempDir(), "x.csv")
		o := newOut(createFile(t, p))
		if err := o.record(c.in, "x"); err != nil {
			t.Fatal(err)
		}
		if err := o.close(); err != nil {
			t.Fatal(err)
		}
		got := readFile(t, p)
		if want := c.want + ",x\r\n"; got != want {
			t.Errorf("record(%q) wrote %q, want %q", c.in, got, want)
		}
		rec, err := csv.NewReader(bytes.NewReader([]byte(got))).Read()
		if err != nil || len(rec) != 2 || rec[0] != c.readBack {
			t.Errorf("encoding/csv read %q back as %q, %v; want %q", got, rec, err, c.readBack)
		}
	}
}

// A row checkRow accepts is written as the hand-made writer of before wrote it
// (quotes only for a comma, a quote or a line break) unless a field starts with
// white space: the goldens hold either way.
func TestCSVAcceptedRowsUnquotedButForLeadingSpace(t *testing.T) {
	for _, f := range []string{"Ann", "O'Brien", "Équipe 1", "a b", "trail ", "x-y.z", "#1", "=1+2", "a;b", "a\tb"} {
		r := batRow{UserID: "ann", UserDomain: "foo.com", ContactID: "bob", ContactDomain: "foo.com", Nickname: f, GroupName: "General"}
		if checkRow(r) != nil {
			continue // a control character: rejected, never in the contacts CSV
		}
		p := filepath.Join(t.TempDir(), "x.csv")
		o := newOut(createFile(t, p))
		if err := o.record(f); err != nil {
			t.Fatal(err)
		}
		if err := o.close(); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, p); got != f+"\r\n" {
			t.Errorf("%q written as %q", f, got)
		}
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func checkPrivate(t *testing.T, p string) {
	t.Helper()
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	ostest.OwnerOnly(t, p)
}

func TestContactsWriter(t *testing.T) {
	r := batRow{UserID: "ann", UserDomain: "foo.com", ContactID: "bob", ContactDomain: "foo.com", Nickname: "Bob, \"B\"", GroupName: "Équipe"}
	cases := []struct {
		name string
		opts csvOptions
		want string
	}{
		{"header", csvOptions{}, "User ID,User Domain,Contact ID,Contact Domain,Nickname,Group Name\r\nann,foo.com,bob,foo.com,\"Bob, \"\"B\"\"\",Équipe\r\n"},
		{"no header", csvOptions{NoHeader: true}, "ann,foo.com,bob,foo.com,\"Bob, \"\"B\"\"\",Équipe\r\n"},
		{"state", csvOptions{StateColumn: true}, "User ID,User Domain,Contact ID,Contact Domain,Nickname,Group Name,State\r\nann,foo.com,bob,foo.com,\"Bob, \"\"B\"\"\",Équipe,0\r\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "ExportedContacts.csv")
			w, err := createContactsCSV(createFile(t, p), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil { // idempotent
				t.Fatal(err)
			}
			if got := readFile(t, p); got != c.want {
				t.Errorf("file %q\nwant %q", got, c.want)
			}
			if w.Rows() != 1 {
				t.Errorf("Rows = %d", w.Rows())
			}
			checkPrivate(t, p)
		})
	}
}

// createFile stands in for the session's reserved file (run.Session.Open).
func createFile(t testing.TB, p string) *os.File {
	t.Helper()
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func opener(t testing.TB, p string) func() (*os.File, error) {
	return func() (*os.File, error) { return createFile(t, p), nil }
}

func TestRejectsWriterLazy(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ExportedContactsRejected.csv")
	rw := newRejectsCSV(p, opener(t, p), csvOptions{NoHeader: true})
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a clean run left a rejects file: %v", err)
	}
	rw = newRejectsCSV(p, opener(t, p), csvOptions{NoHeader: true})
	r := batRow{UserID: "ann", UserDomain: "foo.com", ContactID: "i", ContactDomain: "b_d.com", GroupName: "General"}
	for range 2 {
		if err := rw.Write(rejectedRow{Row: r, Reason: "bad, domain"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	want := "User ID,User Domain,Contact ID,Contact Domain,Nickname,Group Name,Reason\r\n" +
		"ann,foo.com,i,b_d.com,,General,\"bad, domain\"\r\n" +
		"ann,foo.com,i,b_d.com,,General,\"bad, domain\"\r\n"
	if got := readFile(t, p); got != want {
		t.Errorf("file %q\nwant %q", got, want)
	}
	if rw.Rows() != 2 || rw.Path() != p {
		t.Errorf("Rows %d Path %s", rw.Rows(), rw.Path())
	}
	checkPrivate(t, p)
}

func TestUserListWriter(t *testing.T) {
	p := filepath.Join(t.TempDir(), "UserList.txt")
	w := createUserList(createFile(t, p))
	for _, u := range []string{"ann@foo.com", "SIP:Bob@foo.com", "sip:zoë@foo.com"} {
		if err := w.Write(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := "sip:ann@foo.com\r\nsip:Bob@foo.com\r\nsip:zoë@foo.com\r\n"
	if got := readFile(t, p); got != want {
		t.Errorf("file %q\nwant %q", got, want)
	}
	if w.Users() != 3 {
		t.Errorf("Users = %d", w.Users())
	}
	checkPrivate(t, p)
}

// A large batch goes through the buffer in several flushes and reads back intact.
func TestContactsWriterManyRows(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.csv")
	w, err := createContactsCSV(createFile(t, p), csvOptions{NoHeader: true})
	if err != nil {
		t.Fatal(err)
	}
	var want [][]string
	for i := range 5000 {
		r := batRow{UserID: "ann", UserDomain: "foo.com", ContactID: "c" + string(rune('a'+i%26)), ContactDomain: "foo.com",
			Nickname: `N, "` + string(rune(0x65e5+i%50)) + `"`, GroupName: "G\n2"}
		want = append(want, []string{r.UserID, r.UserDomain, r.ContactID, r.ContactDomain, r.Nickname, r.GroupName})
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader([]byte(readFile(t, p)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(recs, want, slices.Equal) {
		t.Errorf("read back %d records, differ from the %d written", len(recs), len(want))
	}
}
