package run

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
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

func TestRemoveIfEmpty(t *testing.T) {
	tr := startTest(t, context.Background(), func(o *Options) {
		o.Extra = []runlog.FileSpec{{Prefix: "Rejected", Ext: ".csv"}, {Prefix: "Contacts", Ext: ".csv"}}
	})
	if err := os.WriteFile(tr.s.Path("Contacts"), []byte("x\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"Rejected", "Contacts", "Rejected"} {
		if err := tr.s.RemoveIfEmpty(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if _, err := os.Stat(tr.s.Path("Rejected")); !os.IsNotExist(err) {
		t.Errorf("empty file kept: %v", err)
	}
	if _, err := os.Stat(tr.s.Path("Contacts")); err != nil {
		t.Errorf("file with data removed: %v", err)
	}
	if err := tr.s.RemoveIfEmpty("Nope"); err == nil {
		t.Error("unknown prefix: want an error")
	}
}
