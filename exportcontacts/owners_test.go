package exportcontacts

import (
	"fmt"
	"strings"
	"testing"
)

// dupExport is a DBImpExp file whose owners a and b have a second list each
// (other case, sip: prefix): five lists, three owners.
func dupExport(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\r\n" + `<HomedResources xmlns="http://schemas.microsoft.com/RtcServer/2002/11/dbimpexp">` + "\r\n")
	for _, o := range []struct{ owner, buddy string }{
		{"a@foo.com", "x@foo.com"}, {"B@foo.com", "y@foo.com"}, {"sip:A@FOO.com", "z@foo.com"},
		{"c@foo.com", "x@foo.com"}, {"b@foo.com", "z@foo.com"},
	} {
		fmt.Fprintf(&b, `<HomedResource UserAtHost=%q><ContactGroups><ContactGroup Number="1" DisplayName="~" /></ContactGroups>`+
			`<Contacts><Contact Buddy=%q DisplayName="X" Groups="1" SubscribePresence="1" /></Contacts></HomedResource>`+"\r\n", o.owner, o.buddy)
	}
	b.WriteString("</HomedResources>\r\n")
	return writeUsers(t, b.String())
}

// -f ALL exports each owner of the file once: a second list of an owner (other
// case, sip: prefix) is a duplicate, WARNed with the position of the first.
func TestRunOfflineAllRepeatedOwners(t *testing.T) {
	cfg := baseConfig(t, "ALL")
	cfg.FromExport = dupExport(t)
	r := runExport(t, cfg)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stderr, r.log)
	}
	if s := r.summary; s.Processed != 3 || s.Users() != 3 || s.Duplicates != 2 {
		t.Errorf("summary = %+v, want 3 processed, 2 duplicates", s)
	}
	users := lines(readText(t, file(t, r.dir, UserListPrefix, ".txt")))
	if got := strings.ToLower(strings.Join(users, " ")); len(users) != 3 ||
		!strings.Contains(got, "a@foo.com") || !strings.Contains(got, "b@foo.com") || !strings.Contains(got, "c@foo.com") {
		t.Errorf("user list = %q, want a, B and c once each", users)
	}
	// The first list of a owner is the one exported: z@foo.com only came in second lists.
	if csv := readText(t, file(t, r.dir, ContactsPrefix, ".csv")); strings.Contains(csv, "z,") || strings.Count(csv, "\n") != 4 {
		t.Errorf("contacts CSV:\n%s", csv)
	}
	for _, want := range []string{
		"[WARN]  Duplicate user sip:A@FOO.com (a second contact list in the export file) ignored: first from contact list 1 of the file",
		"[WARN]  Duplicate user sip:b@foo.com (a second contact list in the export file) ignored: first from contact list 2 of the file",
	} {
		if !strings.Contains(r.log, want) {
			t.Errorf("log lacks %q\n%s", want, r.log)
		}
	}
}
