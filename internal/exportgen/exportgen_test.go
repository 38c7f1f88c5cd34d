package exportgen

import (
	"archive/zip"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

func TestCSVRows(t *testing.T) {
	tests := []struct {
		name            string
		users, contacts int
		want            int
	}{
		// per user: contacts 0, 3, 6 are in groups "2 3" (two rows), the other five in one
		{"groups 2 3 count twice", 10, 8, 10 * (3*2 + 5)},
		{"owners on their own lists", 5, 8, -1},
		{"no contacts", 4, 0, 0},
	}
	for _, tt := range tests {
		if got := CSVRows(tt.users, tt.contacts); got != tt.want {
			t.Errorf("%s: CSVRows(%d, %d) = %d, want %d", tt.name, tt.users, tt.contacts, got, tt.want)
		}
	}
}

// The zip holds one DocItemSet.xml with an hcd and an lcd item per user and the contacts counted.
func TestWriteZip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "e.zip")
	total, err := WriteZip(p, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	if total != 6 {
		t.Errorf("total = %d, want 6", total)
	}
	zr, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 1 || zr.File[0].Name != "DocItemSet.xml" {
		t.Fatalf("zip files = %v, want only DocItemSet.xml", zr.File)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, want := range []string{`urn:hcd:user0@example.com`, `urn:lcd:user2@example.com`, `<Contact Buddy="user1@example.com"`, "</DocItemSet>\r\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("DocItemSet.xml lacks %q", want)
		}
	}
	if n := strings.Count(s, "<Contact "); n != 6 {
		t.Errorf("%d Contact elements, want 6", n)
	}
}
