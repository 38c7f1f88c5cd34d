package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

func TestCheckCRLF(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"ok.txt": "a\r\nb\r\n", "empty.csv": "", "lf.ldif": "a\r\nb\nc\n"}
	s := &step{name: "x", dir: dir}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		s.files = append(s.files, p)
	}
	bad := checkCRLF([]*step{s})
	if len(bad) != 1 || !strings.Contains(bad[0], "lf.ldif: 2 of 3 lines do not end CRLF") {
		t.Errorf("checkCRLF = %q, want one problem naming lf.ldif", bad)
	}
}

// The offline export must give the rtc export's rows, in any order; one changed row is reported.
func TestSameExport(t *testing.T) {
	export := func(name string, lines ...string) *step {
		dir := t.TempDir()
		p := filepath.Join(dir, "ExportedContacts20260101_000000.csv")
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return &step{name: name, dir: dir, files: []string{p}}
	}
	const header = "User ID,User Domain,Contact ID,Contact Domain,Nickname,Group Name"
	rtc := export("rtc", header, "ann,x.com,bob,x.com,Bob,General", "ann,x.com,cy,x.com,Cy,Team")
	if d := sameExport(rtc, export("offline", header, "ann,x.com,cy,x.com,Cy,Team", "ann,x.com,bob,x.com,Bob,General")); d != "" {
		t.Errorf("same rows in another order: %s", d)
	}
	d := sameExport(rtc, export("offline", header, "ann,x.com,bob,x.com,Bob,General", "ann,x.com,cy,x.com,Cy,Friends"))
	if !strings.Contains(d, "Team") || !strings.Contains(d, "Friends") {
		t.Errorf("a changed group: %q, want both rows named", d)
	}
	if d := sameExport(rtc, &step{name: "offline"}); !strings.Contains(d, "offline wrote no ExportedContacts CSV") {
		t.Errorf("no CSV: %q", d)
	}
}

func TestWinePath(t *testing.T) {
	if got, want := lab.WinePath("/tmp/a b/./ca.pem"), `Z:\tmp\a b\ca.pem`; got != want {
		t.Errorf("WinePath = %q, want %q", got, want)
	}
}
