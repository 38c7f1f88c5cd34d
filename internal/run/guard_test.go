package run

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

func TestGuard(t *testing.T) {
	var tr *testRun
	job := func() (code int) {
		tr = startTest(t, context.Background(), nil)
		defer tr.s.Guard(&code)
		tr.s.Expect(users("sip:a@x.com"))
		var p *int
		return *p
	}
	if code := job(); code != result.ExitFatal {
		t.Errorf("exit %d, want 3", code)
	}
	log := tr.logText(t)
	if !strings.Contains(log, "[ERROR] internal error: panic: runtime error: invalid memory address") ||
		!strings.Contains(log, "[INFO]  1 users not attempted\r\n") {
		t.Errorf("log:\n%s", log)
	}

	ok := func() (code int) {
		tr = startTest(t, context.Background(), nil)
		defer tr.s.Guard(&code)
		return tr.s.Finish(nil)
	}
	if code := ok(); code != 0 {
		t.Errorf("no panic: exit %d, want 0", code)
	}
}

// Finish settles the reserved files: a record stays when it holds anything
// and goes when empty; an output stays once opened (even empty) and goes
// when never opened.
func TestFilesSettled(t *testing.T) {
	tr := startTest(t, context.Background(), func(o *Options) {
		o.Files = []File{
			{Prefix: "Backup", Ext: ".ldif"}, {Prefix: "EmptyBackup", Ext: ".ldif"},
			{Prefix: "Contacts", Ext: ".csv", Output: true}, {Prefix: "Rejected", Ext: ".csv", Output: true},
			{Prefix: "UserList", Ext: ".txt", Output: true},
		}
		o.Common.LogLevel = "debug" // the removals of unused files are debug lines
	})
	f, err := tr.s.Open("Backup")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("dn: x\r\n"); err != nil { // left open: Finish closes it
		t.Fatal(err)
	}
	if _, err := tr.s.Open("Backup"); err == nil {
		t.Error("a second Open of the same file: want an error")
	}
	if _, err := tr.s.Open("Nope"); err == nil {
		t.Error("Open of a file not reserved: want an error")
	}
	if _, err := tr.s.Open("EmptyBackup"); err != nil {
		t.Fatal(err)
	}
	u, err := tr.s.Open("UserList") // opened, nothing written: an empty user list stays
	if err != nil {
		t.Fatal(err)
	}
	u.Close()
	if code := tr.s.Finish(nil); code != 0 {
		t.Fatalf("exit %d", code)
	}
	want := []string{"Backup20240305_140709.ldif", "DisableAccountLog20240305_140709.txt", "UserList20240305_140709.txt"}
	if got := logFiles(t, tr.dir); !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	if b, _ := os.ReadFile(tr.s.Path("Backup")); string(b) != "dn: x\r\n" {
		t.Errorf("backup holds %q", b)
	}
	if !strings.Contains(tr.logText(t), "Rejected20240305_140709.csv removed: nothing was written to it") {
		t.Errorf("log:\n%s", tr.logText(t))
	}
}

// After a panic the outputs go, whatever they hold (a half-written CSV and
// a user list naming users whose rows may be missing), and the records stay.
func TestFilesAfterPanic(t *testing.T) {
	var tr *testRun
	job := func() (code int) {
		tr = startTest(t, context.Background(), func(o *Options) {
			o.Files = []File{{Prefix: "Backup", Ext: ".jsonl"}, {Prefix: "Contacts", Ext: ".csv", Output: true}}
		})
		defer tr.s.Guard(&code)
		for _, p := range []string{"Backup", "Contacts"} {
			f, err := tr.s.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("x\r\n")
		}
		panic("bug")
	}
	if code := job(); code != result.ExitFatal {
		t.Errorf("exit %d, want 3", code)
	}
	if got, want := logFiles(t, tr.dir), []string{"Backup20240305_140709.jsonl", "DisableAccountLog20240305_140709.txt"}; !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	if !strings.Contains(tr.logText(t), "[WARN]  "+tr.s.Path("Contacts")+" removed: the run stopped on an internal error") {
		t.Errorf("log:\n%s", tr.logText(t))
	}
}
