package exportcontacts

import (
	"strings"
	"testing"
)

func TestCheckRow(t *testing.T) {
	good := batRow{UserID: "ann", UserDomain: "foo.com", ContactID: "bob", ContactDomain: "foo.com", Nickname: "Bob", GroupName: "General"}
	with := func(f func(*batRow)) batRow { r := good; f(&r); return r }
	rep := strings.Repeat
	label63 := rep("a", 63)
	cases := []struct {
		name string
		row  batRow
		want string // "" = passes; else a substring of the reason
	}{
		{"good", good, ""},
		{"empty nickname is optional", with(func(r *batRow) { r.Nickname = "" }), ""},
		{"user id 132", with(func(r *batRow) { r.UserID = rep("u", 132) }), ""},
		{"user id 133", with(func(r *batRow) { r.UserID = rep("u", 133) }), "User ID is 133 characters long, more than 132"},
		{"user id 132 runes of 2 bytes", with(func(r *batRow) { r.UserID = rep("é", 132) }), ""},
		{"user id 133 runes", with(func(r *batRow) { r.UserID = rep("é", 133) }), "User ID is 133 characters"},
		{"user domain 128", with(func(r *batRow) { r.UserDomain = rep("d", 128) }), ""},
		{"user domain 129", with(func(r *batRow) { r.UserDomain = rep("d", 129) }), "User Domain is 129 characters long, more than 128"},
		{"contact id 132", with(func(r *batRow) { r.ContactID = rep("日", 132) }), ""},
		{"contact id 133", with(func(r *batRow) { r.ContactID = rep("c", 133) }), "Contact ID is 133 characters long, more than 132"},
		{"nickname 255", with(func(r *batRow) { r.Nickname = rep("山", 255) }), ""},
		{"nickname 256", with(func(r *batRow) { r.Nickname = rep("n", 256) }), "Nickname is 256 characters long, more than 255"},
		{"group 255", with(func(r *batRow) { r.GroupName = rep("g", 255) }), ""},
		{"group 256", with(func(r *batRow) { r.GroupName = rep("g", 256) }), "Group Name is 256 characters long, more than 255"},
		{"empty user id", with(func(r *batRow) { r.UserID = "" }), "User ID is empty"},
		{"empty user domain", with(func(r *batRow) { r.UserDomain = "" }), "User Domain is empty"},
		{"empty contact id", with(func(r *batRow) { r.ContactID = "" }), "Contact ID is empty"},
		{"empty contact domain", with(func(r *batRow) { r.ContactDomain = "" }), "Contact Domain is empty"},
		{"empty group", with(func(r *batRow) { r.GroupName = "" }), "Group Name is empty"},
		{"line break in nickname", with(func(r *batRow) { r.Nickname = "a\nb" }), "Nickname contains a control character"},
		// Contact Domain syntax
		{"hyphens inside", with(func(r *batRow) { r.ContactDomain = "a-b.ex-ample.co" }), ""},
		{"digits in labels", with(func(r *batRow) { r.ContactDomain = "1and1.com" }), ""},
		{"single label", with(func(r *batRow) { r.ContactDomain = "corp" }), ""},
		{"label 63", with(func(r *batRow) { r.ContactDomain = label63 + ".com" }), ""},
		{"label 64", with(func(r *batRow) { r.ContactDomain = label63 + "a.com" }), "label longer than 63"},
		{"domain 128", with(func(r *batRow) { r.ContactDomain = label63 + "." + rep("b", 61) + ".ab" }), ""},
		{"domain 129", with(func(r *batRow) { r.ContactDomain = label63 + "." + rep("b", 62) + ".ab" }), "Contact Domain is 129 characters long, more than 128"},
		{"starts with hyphen", with(func(r *batRow) { r.ContactDomain = "-foo.com" }), `label "-foo" starts or ends with a hyphen`},
		{"label ends with hyphen", with(func(r *batRow) { r.ContactDomain = "foo-.com" }), "starts or ends with a hyphen"},
		{"ends with hyphen", with(func(r *batRow) { r.ContactDomain = "foo.com-" }), "starts or ends with a hyphen"},
		{"underscore", with(func(r *batRow) { r.ContactDomain = "bad_domain.com" }), `Contact Domain "bad_domain.com" contains '_'`},
		{"non-ascii letter", with(func(r *batRow) { r.ContactDomain = "exämple.com" }), "contains 'ä'"},
		{"empty label", with(func(r *batRow) { r.ContactDomain = "foo..com" }), "empty label"},
		{"trailing dot", with(func(r *batRow) { r.ContactDomain = "foo.com." }), "empty label"},
		{"tld one letter", with(func(r *batRow) { r.ContactDomain = "foo.c" }), "top-level domain shorter than 2"},
		{"tld with digit", with(func(r *batRow) { r.ContactDomain = "foo.c0m" }), `top-level domain "c0m" that is not letters only`},
		{"ip address", with(func(r *batRow) { r.ContactDomain = "10.0.0.12" }), `top-level domain "12" that is not letters only`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := checkRow(c.row)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("checkRow = %v, want nil", err)
			case c.want != "" && err == nil:
				t.Errorf("checkRow = nil, want %q", c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Errorf("checkRow = %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestCheckRowAllProblems(t *testing.T) {
	err := checkRow(batRow{UserID: "ann", UserDomain: "foo.com", ContactID: "", ContactDomain: "x_y.com", GroupName: ""})
	want := `Contact ID is empty; Contact Domain "x_y.com" contains '_': only letters, digits and hyphens are allowed; Group Name is empty`
	if err == nil || err.Error() != want {
		t.Errorf("checkRow = %v\nwant %s", err, want)
	}
}

func TestSplitRows(t *testing.T) {
	a := batRow{UserID: "ann", UserDomain: "foo.com", ContactID: "bob", ContactDomain: "foo.com", GroupName: "General"}
	b := a
	b.ContactDomain = "bad_domain.com"
	c := a
	c.ContactID = "carol"
	var ok []batRow
	var rej []rejectedRow
	logged := userLines(func(log userLog) { ok, rej = splitRows([]batRow{a, b, c}, log) })
	if len(ok) != 2 || ok[0] != a || ok[1] != c {
		t.Errorf("ok = %+v", ok)
	}
	if len(rej) != 1 || rej[0].Row != b || !strings.Contains(rej[0].Reason, "bad_domain.com") {
		t.Errorf("rejected = %+v", rej)
	}
	if len(logged) != 1 ||
		logged[0] != `[WARN]  Contact sip:bob@bad_domain.com of sip:ann@foo.com in group [General] rejected: Contact Domain "bad_domain.com" contains '_': only letters, digits and hyphens are allowed` {
		t.Errorf("log lines = %q", logged)
	}
}
