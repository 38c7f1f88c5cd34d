package exportcontacts

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

func TestSplitAddress(t *testing.T) {
	cases := []struct{ in, id, dom string }{
		{"ann@foo.com", "ann", "foo.com"},
		{"bjones@usa@example.com", "bjones@usa", "example.com"}, // BAT: split at the LAST @
		{"nodomain", "nodomain", ""},
		{"@foo.com", "", "foo.com"},
		{"ann@", "ann", ""},
	}
	for _, c := range cases {
		id, dom := splitAddress(c.in)
		if id != c.id || dom != c.dom {
			t.Errorf("splitAddress(%q) = %q, %q; want %q, %q", c.in, id, dom, c.id, c.dom)
		}
	}
}

func TestStripSIP(t *testing.T) {
	for in, want := range map[string]string{
		"sip:a@b.com": "a@b.com", "SIP:a@b.com": "a@b.com", "Sip:a@b.com": "a@b.com",
		"a@b.com": "a@b.com", "sip": "sip", "tel:+1": "tel:+1", "sipx@b.com": "sipx@b.com",
	} {
		if got := stripSIP(in); got != want {
			t.Errorf("stripSIP(%q) = %q, want %q", in, got, want)
		}
	}
}

// row builds an expected row of owner ann@foo.com.
func row(contact, nick, group string) batRow {
	id, dom := splitAddress(contact)
	return batRow{UserID: "ann", UserDomain: "foo.com", ContactID: id, ContactDomain: dom, Nickname: nick, GroupName: group}
}

func TestMapRows(t *testing.T) {
	std := []contactGroup{{Number: 1, Name: "~"}, {Number: 2, Name: "Work"}, {Number: 11, Name: "Eleven"},
		{Number: 4, Name: "Sales DL", ExternalURI: "sip:sales@foo.com"}, {Number: 6, Name: " "}}
	cases := []struct {
		name     string
		contacts []contactEntry
		opts     mapOptions
		want     []batRow
		events   []string // substrings that must appear, in any event
	}{
		{"default group ~", []contactEntry{{Buddy: "bob@foo.com", Nickname: "Bob", Groups: []int{1}}}, mapOptions{},
			[]batRow{row("bob@foo.com", "Bob", "General")},
			[]string{"Found contact: SIPURI : [sip:bob@foo.com] with GroupId: [1]", "Found group: groupName : [~] with GroupId: [1]"}},
		{"no group", []contactEntry{{Buddy: "bob@foo.com"}}, mapOptions{},
			[]batRow{row("bob@foo.com", "", "General")}, []string{"Found contact: SIPURI : [sip:bob@foo.com] with GroupId: []"}},
		{"custom default group", []contactEntry{{Buddy: "bob@foo.com", Groups: []int{1}}, {Buddy: "eve@foo.com"}},
			mapOptions{DefaultGroup: "Other Contacts"},
			[]batRow{row("bob@foo.com", "", "Other Contacts"), row("eve@foo.com", "", "Other Contacts")}, nil},
		{"group 1 is not group 11", []contactEntry{{Buddy: "bob@foo.com", Groups: []int{11}}}, mapOptions{},
			[]batRow{row("bob@foo.com", "", "Eleven")}, nil},
		{"one row per group", []contactEntry{{Buddy: "bob@foo.com", Groups: []int{2, 1, 11}}}, mapOptions{},
			[]batRow{row("bob@foo.com", "", "Work"), row("bob@foo.com", "", "General"), row("bob@foo.com", "", "Eleven")}, nil},
		{"sip prefix any case", []contactEntry{{Buddy: "SIP:Bob@Foo.com", Groups: []int{2}}}, mapOptions{},
			[]batRow{row("Bob@Foo.com", "", "Work")}, []string{"SIPURI : [sip:Bob@Foo.com]"}},
		{"self dropped", []contactEntry{{Buddy: "sip:ANN@foo.COM", Groups: []int{1}}, {Buddy: " ann@foo.com "}}, mapOptions{},
			[]batRow{}, []string{"Skipped contact: SIPURI : [sip:ANN@foo.COM] is the owner"}},
		{"unknown group", []contactEntry{{Buddy: "bob@foo.com", Groups: []int{9}}}, mapOptions{},
			[]batRow{row("bob@foo.com", "", "General")}, []string{"GroupId: [9], which does not exist: exported to group [General]"}},
		{"distribution group", []contactEntry{{Buddy: "bob@foo.com", Groups: []int{4}}}, mapOptions{},
			[]batRow{row("bob@foo.com", "", "General")},
			[]string{"Distribution group [Sales DL] (sip:sales@foo.com) with GroupId: [4] of sip:ann@foo.com not exported",
				"sip:bob@foo.com is in distribution group [Sales DL]"}},
		{"group without a name", []contactEntry{{Buddy: "bob@foo.com", Groups: []int{6}}}, mapOptions{},
			[]batRow{row("bob@foo.com", "", "General")}, []string{"which has no name"}},
		{"duplicates collapse", []contactEntry{
			{Buddy: "bob@foo.com", Nickname: "Bob", Groups: []int{2, 2}},
			{Buddy: "BOB@FOO.COM", Nickname: "Bobby", Groups: []int{2}},
			{Buddy: "eve@foo.com", Groups: []int{1, 9}}, // both go to General
		}, mapOptions{},
			[]batRow{row("bob@foo.com", "Bob", "Work"), row("eve@foo.com", "", "General")},
			[]string{"Duplicate contact: SIPURI : [sip:bob@foo.com] in group [Work] collapsed"}},
		{"same contact two group names", []contactEntry{{Buddy: "bob@foo.com", Groups: []int{2}}, {Buddy: "bob@foo.com", Groups: []int{11}}}, mapOptions{},
			[]batRow{row("bob@foo.com", "", "Work"), row("bob@foo.com", "", "Eleven")}, nil},
		{"state column", []contactEntry{{Buddy: "bob@foo.com", Groups: []int{2}}}, mapOptions{StateColumn: true},
			[]batRow{{UserID: "ann", UserDomain: "foo.com", ContactID: "bob", ContactDomain: "foo.com", GroupName: "Work", State: "0"}}, nil},
		{"no domain kept for the BAT rules", []contactEntry{{Buddy: "bob", Groups: []int{2}}}, mapOptions{},
			[]batRow{row("bob", "", "Work")}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := c.opts
			opts.Debug = true
			var rows []batRow
			logged := userLines(func(log userLog) {
				rows = mapRows(&contactList{Owner: "sip:ann@foo.com", Groups: std, Contacts: c.contacts}, opts, log)
			})
			if !slices.Equal(rows, c.want) {
				t.Errorf("rows\n%+v\nwant\n%+v", rows, c.want)
			}
			for _, sub := range c.events {
				if !slices.ContainsFunc(logged, func(l string) bool { return strings.Contains(l, sub) }) {
					t.Errorf("no log line contains %q; lines:\n%v", sub, logged)
				}
			}
		})
	}
}

func TestMapRowsLevels(t *testing.T) {
	cl := &contactList{Owner: "ann@foo.com",
		Groups:   []contactGroup{{Number: 1, Name: "~"}, {Number: 4, Name: "DL", ExternalURI: "sip:dl@foo.com"}, {Number: 1, Name: "again"}},
		Contacts: []contactEntry{{Buddy: "bob@foo.com", Groups: []int{1}}}}
	logged := userLines(func(log userLog) { mapRows(cl, mapOptions{Debug: true}, log) })
	levels := map[string]string{} // first word of the message -> the line's level prefix
	for _, l := range logged {
		level, msg, _ := strings.Cut(l, "] ")
		levels[strings.Fields(msg)[0]] = level + "]"
	}
	want := map[string]string{"Found": "[DEBUG]", "Distribution": "[WARN]", "Group": "[WARN]"}
	for k, l := range want {
		if levels[k] != l {
			t.Errorf("line %q… level %v, want %v (lines %v)", k, levels[k], l, logged)
		}
	}
}

func TestMapRowsOwnerError(t *testing.T) {
	var rows []batRow
	logged := userLines(func(log userLog) {
		rows = mapRows(&contactList{Owner: "ann@foo.com", Err: errors.New("bad base64")}, mapOptions{}, log)
	})
	if rows != nil || len(logged) != 1 || !strings.HasPrefix(logged[0], "[ERROR] ") ||
		!strings.Contains(logged[0], "sip:ann@foo.com") || !strings.Contains(logged[0], "bad base64") {
		t.Errorf("rows %v lines %v", rows, logged)
	}
}

func TestMapRowsOwnerSplit(t *testing.T) {
	rows := mapRows(&contactList{Owner: "bjones@usa@example.com", Contacts: []contactEntry{{Buddy: "x@y.com"}}}, mapOptions{}, discard())
	if len(rows) != 1 || rows[0].UserID != "bjones@usa" || rows[0].UserDomain != "example.com" {
		t.Errorf("rows %+v", rows)
	}
}

// Without Debug, only the WARN/ERROR lines are formatted (the trace lines cost time).
func TestMapRowsNoDebug(t *testing.T) {
	cl := &contactList{Owner: "ann@foo.com",
		Groups:   []contactGroup{{Number: 1, Name: "~"}, {Number: 4, Name: "DL", ExternalURI: "sip:dl@foo.com"}},
		Contacts: []contactEntry{{Buddy: "bob@foo.com", Groups: []int{1, 1}}, {Buddy: "ann@foo.com"}, {Buddy: "eve@foo.com", Groups: []int{8}}}}
	var rows []batRow
	logged := userLines(func(log userLog) { rows = mapRows(cl, mapOptions{}, log) })
	if len(rows) != 2 {
		t.Errorf("rows %+v", rows)
	}
	if len(logged) != 2 || !strings.HasPrefix(logged[0], "[WARN]  Distribution group [DL]") ||
		!strings.HasPrefix(logged[1], "[WARN]  ") || !strings.Contains(logged[1], "GroupId: [8]") {
		t.Errorf("lines %v", logged)
	}
}

// userLines runs fn with one user's block of a run log at debug level and
// returns the lines it wrote, as the log shows them ("[WARN]  …").
func userLines(fn func(userLog)) []string {
	var buf bytes.Buffer
	l := runlog.New(&buf, runlog.Options{Level: runlog.LevelDebug})
	start := buf.Len() // after the opening banner
	b := l.Block()
	fn(b)
	b.Commit()
	out := strings.TrimSuffix(buf.String()[start:], "\r\n")
	if out == "" {
		return nil
	}
	return strings.Split(out, "\r\n")
}

// discard is a user's block whose lines go nowhere.
func discard() userLog {
	return runlog.New(io.Discard, runlog.Options{}).Block()
}
