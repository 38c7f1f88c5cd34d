package disableaccount

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

var goldenRecords = []ldifRecord{
	{Line: 7, User: "sip:ann@foo.com", DN: "CN=Ann,OU=Sales,DC=x", Mods: []replaceMod{
		{Attr: "msRTCSIP-UserEnabled", Values: []string{"TRUE"}},
		{Attr: "msRTCSIP-PrimaryHomeServer", Values: []string{"CN=Lc Services,CN=Microsoft,CN=1:1,CN=Pools,DC=x"}},
		{Attr: "msRTCSIP-TargetHomeServer"},
	}},
	{Line: 19, User: "sip:zoe@foo.com", DN: "CN=Zoë,OU=Sales,DC=x", Mods: []replaceMod{
		{Attr: "msRTCSIP-Line", Values: []string{" lead"}},
		{Attr: "description", Values: []string{"Zoë", "plain"}},
	}},
}

// The writer produces exactly the hand-written golden file.
func TestFormatBackupGolden(t *testing.T) {
	want, err := os.ReadFile("testdata/backup.ldif")
	if err != nil {
		t.Fatal(err)
	}
	got := ldifHeader("1.2.3", "2024-01-05T10:15:00+01:00")
	for _, r := range goldenRecords {
		got += formatRecord(r)
	}
	if got != string(want) {
		t.Errorf("backup text\n got %q\nwant %q", got, want)
	}
}

func TestParseBackup(t *testing.T) {
	f, err := os.Open("testdata/backup.ldif")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := parseLDIF(f, "backup.ldif")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, goldenRecords) {
		t.Errorf("parsed\n got %+v\nwant %+v", got, goldenRecords)
	}
	f2, err := os.Open("testdata/edited.ldif")
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	got, err = parseLDIF(f2, "edited.ldif")
	want := []ldifRecord{{Line: 4, User: "CN=Ann,OU=Sales,DC=x", DN: "CN=Ann,OU=Sales,DC=x",
		Mods: []replaceMod{{Attr: "msRTCSIP-UserEnabled", Values: []string{"TRUE"}}}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("hand-edited file: %+v, %v; want %+v", got, err, want)
	}
}

func TestParseBackupErrors(t *testing.T) {
	rec := "dn: CN=a,DC=x\nchangetype: modify\n"
	tests := []struct {
		name, text, errHas string
	}{
		{"add record", "dn: CN=a,DC=x\nchangetype: add\ncn: a\n", "line 2: changetype add"},
		{"delete operation", rec + "delete: description\n-\n", "line 3: delete: description: --undo applies only replace"},
		{"add operation", rec + "add: description\ndescription: x\n-\n", "only replace"},
		{"unterminated replace", rec + "replace: description\ndescription: x\n\n", `not ended by "-"`},
		{"unterminated at end of file", rec + "replace: description\n", `not ended by "-"`},
		{"foreign value", rec + "replace: description\ninfo: x\n-\n", "line 4: value of info inside the replace of description"},
		{"URL value", rec + "replace: jpegPhoto\njpegPhoto:< file:///etc/passwd\n-\n", "URL values are not supported"},
		{"bad base64", rec + "replace: description\ndescription:: ***\n-\n", "bad base64"},
		{"version 2", "version: 2\n" + rec, "version"},
		{"no dn", "changetype: modify\n", "expected dn:"},
		{"no changes", "dn: CN=a,DC=x\nchangetype: modify\n\n", "has no changes"},
		{"dash outside", "dn: CN=a,DC=x\n-\n", `"-" outside a replace`},
		{"not a line", rec + "garbage\n", "not name: value"},
	}
	for _, tt := range tests {
		_, err := parseLDIF(strings.NewReader(tt.text), "b.ldif")
		if err == nil || !strings.Contains(err.Error(), tt.errHas) || !strings.Contains(err.Error(), "b.ldif line") {
			t.Errorf("%s: %v; want an error naming the line and %q", tt.name, err, tt.errHas)
		}
	}
}

func TestSafeString(t *testing.T) {
	for _, tt := range []struct {
		s    string
		safe bool
	}{
		{"", true}, {"TRUE", true}, {"CN=Lc Services,CN=x", true}, {"tel:+1555;ext=1", true},
		{" lead", false}, {"trail ", false}, {":colon", false}, {"<lt", false},
		{"a\nb", false}, {"a\rb", false}, {"nul\x00", false}, {"Zoë", false},
	} {
		if got := safeString(tt.s); got != tt.safe {
			t.Errorf("safeString(%q) = %v; want %v", tt.s, got, tt.safe)
		}
	}
}
