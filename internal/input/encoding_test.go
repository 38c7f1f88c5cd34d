package input

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fixtures hold the same seven lines in the encodings Windows tools write:
//
//	1 # exported by Get-CsUser — Müller's pool
//	2 sip:ann@foo.com
//	3 SIP:Bob@Foo.com
//	4 (blank)
//	5 sip@chuck@cisco.com
//	6 sip:ann@FOO.com
//	7 sip:zoë@foo.com
//
// powershell51_utf16le.txt is what Windows PowerShell 5.1's `>` and Out-File
// write: FF FE, UTF-16LE, CRLF after every line.
func TestEncodings(t *testing.T) {
	files := []struct {
		name  string
		magic []byte // the first bytes, checked so that a fixture cannot silently change
	}{
		{"powershell51_utf16le.txt", []byte{0xFF, 0xFE, '#', 0, ' ', 0}},
		{"utf16be_bom.txt", []byte{0xFE, 0xFF, 0, '#', 0, ' '}},
		{"utf8_bom.txt", []byte{0xEF, 0xBB, 0xBF, '#', ' '}},
		{"utf8_lf.txt", []byte("# exported")},
	}
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			path := filepath.Join("testdata", f.name)
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(raw, f.magic) {
				t.Fatalf("fixture starts % x, want % x", raw[:len(f.magic)], f.magic)
			}
			if strings.HasPrefix(f.name, "powershell51") && !bytes.HasSuffix(raw, []byte{'\r', 0, '\n', 0}) {
				t.Fatalf("fixture does not end in a UTF-16LE CRLF")
			}
			l, err := Load(path, nil, Options{Command: Disable})
			if err != nil {
				t.Fatal(err)
			}
			want := []Entry{
				{Line: 2, Raw: "sip:ann@foo.com", Kind: KindSIP, URI: "sip:ann@foo.com", UserAtHost: "ann@foo.com"},
				{Line: 3, Raw: "SIP:Bob@Foo.com", Kind: KindSIP, URI: "sip:Bob@Foo.com", UserAtHost: "Bob@Foo.com"},
			}
			if fmt.Sprint(l.Entries) != fmt.Sprint(want) {
				t.Errorf("entries\n got %+v\nwant %+v", l.Entries, want)
			}
			if len(l.Duplicates) != 1 || l.Duplicates[0] != (Duplicate{Line: 6, FirstLine: 2, Value: "sip:ann@FOO.com"}) {
				t.Errorf("duplicates %+v", l.Duplicates)
			}
			if len(l.Invalid) != 2 || l.Invalid[0].Line != 5 || l.Invalid[1].Line != 7 {
				t.Fatalf("invalid %+v", l.Invalid)
			}
			// Decoded right, ë is one character; decoded wrong it would be two, or NULs.
			if !strings.Contains(l.Invalid[1].Reason, "non-ASCII character 'ë'") || l.Invalid[1].Text != "sip:zoë@foo.com" {
				t.Errorf("line 7 decoded as %q: %s", l.Invalid[1].Text, l.Invalid[1].Reason)
			}
			if l.Lines != 7 || l.Ignored != 2 || l.File != path {
				t.Errorf("Lines %d Ignored %d File %q", l.Lines, l.Ignored, l.File)
			}
		})
	}
}

func TestUTF16WithoutBOMIsRefused(t *testing.T) {
	_, err := Load(filepath.Join("testdata", "utf16le_nobom.txt"), nil, Options{Command: Delete})
	if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "UTF-16 text without a byte-order mark") {
		t.Errorf("error %v", err)
	}
}

func TestBrokenUTF16(t *testing.T) {
	le := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return b
	}
	data := append([]byte{0xFF, 0xFE}, le("sip:ann@foo.com\r\nsip:b")...)
	data = append(data, 0x00, 0xD8) // a lone high surrogate
	data = append(data, le("b@foo.com\r\nsip:c@foo.com")...)
	data = append(data, 'x') // an odd byte at the end
	l, err := Parse(bytes.NewReader(data), "u.txt", Options{Command: Disable})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(entryLines(l)) != "[1]" || fmt.Sprint(invalidLines(l)) != "[2 3]" {
		t.Fatalf("entries %v invalid %v", entryLines(l), invalidLines(l))
	}
	for _, e := range l.Invalid {
		if !strings.Contains(e.Reason, "undecodable character") {
			t.Errorf("line %d: %s", e.Line, e.Reason)
		}
	}
}

func TestExportCsvOutput(t *testing.T) {
	// Windows PowerShell 5.1: Get-CsUser | Select-Object SipAddress | Export-Csv users.csv
	l, err := Load(filepath.Join("testdata", "exportcsv.csv"), nil, Options{Command: Delete})
	if err != nil {
		t.Fatal(err)
	}
	var uris []string
	for _, e := range l.Entries {
		uris = append(uris, fmt.Sprintf("%d:%s", e.Line, e.URI))
	}
	if got := strings.Join(uris, " "); got != "3:sip:ann@foo.com 4:sip:bob@foo.com 6:sip:carol@foo.com" {
		t.Errorf("entries %s", got)
	}
	if len(l.Invalid) != 1 || l.Invalid[0].Line != 5 || l.Invalid[0].Reason != "is an empty quoted value" {
		t.Errorf("invalid %+v", l.Invalid)
	}
	if l.Ignored != 2 { // #TYPE and the "SipAddress" header
		t.Errorf("ignored %d", l.Ignored)
	}
}

func TestIMPFixture(t *testing.T) {
	path := filepath.Join("testdata", "imp_users.csv")
	l, err := Load(path, nil, Options{Command: Export, Domain: "cup.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range l.Entries {
		got = append(got, fmt.Sprintf("%d:%s", e.Line, e.URI))
	}
	if strings.Join(got, " ") != "2:sip:ann@cup.example.com 3:sip:bob@cup.example.com 7:sip:carol@cup.example.com" {
		t.Errorf("entries %v", got)
	}
	if len(l.Invalid) != 1 || l.Invalid[0].Line != 5 || l.Invalid[0].Reason != "contains a space" {
		t.Errorf("invalid %+v", l.Invalid)
	}
	if len(l.Duplicates) != 1 || l.Duplicates[0] != (Duplicate{Line: 4, FirstLine: 2, Value: "sip:ANN@cup.example.com"}) {
		t.Errorf("duplicates %+v", l.Duplicates)
	}
	if _, err := Load(path, nil, Options{Command: Export}); !errors.Is(err, ErrDomainRequired) {
		t.Errorf("without --domain: %v", err)
	}
}

func TestDNFixture(t *testing.T) {
	l, err := Load(filepath.Join("testdata", "dn_list.txt"), nil, Options{Command: Export})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Entries) != 2 || l.Entries[0].DN != "OU=OrgUnit1,OU=OrgUnit2,DC=DomainComp1,DC=DomainComp2" || l.Entries[1].Kind != KindDN {
		t.Errorf("entries %+v", l.Entries)
	}
	if len(l.Duplicates) != 1 || l.Duplicates[0].Line != 3 || l.Duplicates[0].FirstLine != 2 {
		t.Errorf("duplicates %+v", l.Duplicates)
	}
	if len(l.Invalid) != 1 || l.Invalid[0].Line != 4 {
		t.Errorf("invalid %+v", l.Invalid)
	}
	l, err = Load(filepath.Join("testdata", "dn_list.txt"), nil, Options{Command: Disable})
	if err != nil || len(l.Entries) != 0 || len(l.Invalid) != 4 {
		t.Errorf("disable: %v %+v", err, l)
	}
}
