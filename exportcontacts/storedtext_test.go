package exportcontacts

import (
	"slices"
	"testing"
	"unicode/utf16"
)

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestStoredText(t *testing.T) {
	cases := []struct {
		name string
		src  any
		want storedText
	}{
		{"NULL", nil, storedText{}},
		{"nvarchar", "Ünïcode Grüppe", storedText{Text: "Ünïcode Grüppe", Valid: true}},
		{"default group, one byte 0x7E", []byte{0x7E}, storedText{Text: "~", Valid: true}},
		{"empty", []byte{}, storedText{Text: "", Valid: true}},
		{"UTF-8", []byte("Friends, Família 日本"), storedText{Text: "Friends, Família 日本", Valid: true}},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, "Bob"...), storedText{Text: "Bob", Valid: true}},
		{"UTF-16LE", utf16le("Grüppe 😀"), storedText{Text: "Grüppe 😀", Valid: true}},
		{"UTF-16LE ASCII (valid UTF-8 with NULs)", utf16le("Bob"), storedText{Text: "Bob", Valid: true}},
		{"UTF-16LE with BOM", append([]byte{0xFF, 0xFE}, utf16le("Ann")...), storedText{Text: "Ann", Valid: true}},
		{"odd length, not UTF-8", []byte{0xC3, 0x28, 0x41}, storedText{Text: "0xC32841", Valid: true, Undecodable: "stored as bytes that are neither UTF-8 nor UTF-16LE text"}},
		{"unpaired surrogate", []byte{0x00, 0xD8, 0x41, 0x00}, storedText{Text: "0x00D84100", Valid: true, Undecodable: "stored as bytes that are neither UTF-8 nor UTF-16LE text"}},
		{"UTF-16LE of a private-use character", []byte{0x00, 0xE0}, storedText{Text: "0x00E0", Valid: true, Undecodable: "stored as bytes that are neither UTF-8 nor UTF-16LE text"}},
		{"NUL in UTF-16LE", []byte{0x00, 0x00, 0xFF, 0x00}, storedText{Text: "0x0000FF00", Valid: true, Undecodable: "stored as bytes that are neither UTF-8 nor UTF-16LE text"}},
	}
	for _, c := range cases {
		var s storedText
		s.Undecodable = "left over"
		if err := s.Scan(c.src); err != nil || s != c.want {
			t.Errorf("%s: %+v, %v; want %+v", c.name, s, err, c.want)
		}
	}
	var s storedText
	if err := s.Scan(int64(3)); err == nil {
		t.Error("an integer scanned as a name")
	}
}

// A name that is not text sends the rows carrying it to the rejects file with
// the reason; the contact's other rows and the other contacts are exported.
func TestUndecodableNamesAreRejected(t *testing.T) {
	var bad storedText
	if err := bad.Scan([]byte{0xC3, 0x28, 0x41}); err != nil || bad.Undecodable == "" {
		t.Fatalf("%+v %v", bad, err)
	}
	cl := &contactList{
		Owner: "ann@foo.com",
		Groups: []contactGroup{
			{Number: 1, Name: "~"}, {Number: 2, Name: "Friends"},
			{Number: 3, Name: bad.Text, Undecodable: bad.Undecodable},
		},
		Contacts: []contactEntry{
			{Buddy: "bob@foo.com", Nickname: "Bob", Groups: []int{2, 3}},
			{Buddy: "carl@foo.com", Nickname: bad.Text, Undecodable: bad.Undecodable, Groups: []int{1}},
			{Buddy: "dora@foo.com", Nickname: "Dora", Groups: []int{1}},
		},
	}
	rows := mapRows(cl, mapOptions{}, discard())
	var ok []batRow
	var rejected []rejectedRow
	logged := userLines(func(log userLog) { ok, rejected = splitRows(rows, log) })
	if want := []batRow{row("bob@foo.com", "Bob", "Friends"), row("dora@foo.com", "Dora", "General")}; !slices.Equal(ok, want) {
		t.Errorf("exported %+v", ok)
	}
	if len(rejected) != 2 || len(logged) != 2 {
		t.Fatalf("rejected %+v, log lines %q", rejected, logged)
	}
	if r := rejected[0]; r.Row.ContactID != "bob" || r.Row.GroupName != "0xC32841" ||
		r.Reason != "Group Name stored as bytes that are neither UTF-8 nor UTF-16LE text" {
		t.Errorf("bob's row in the undecodable group: %+v", r)
	}
	if r := rejected[1]; r.Row.ContactID != "carl" || r.Row.Nickname != "0xC32841" || r.Row.GroupName != "General" ||
		r.Reason != "Nickname stored as bytes that are neither UTF-8 nor UTF-16LE text" {
		t.Errorf("carl's row: %+v", r)
	}
}
