package exportcontacts

import (
	"errors"
	"slices"
	"strings"
	"testing"
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
			rows, events := mapRows(&contactList{Owner: "sip:ann@foo.com", Groups: std, Contacts: c.contacts}, opts)
			if !slices.Equal(rows, c.want) {
				t.Errorf("rows\n%+v\nwant\n%+v", rows, c.want)
			}
			for _, sub := range c.events {
				if !slices.ContainsFunc(events, func(e logEvent) bool { return strings.Contains(e.Message, sub) }) {
					t.Errorf("no event contains %q; events:\n%v", sub, events)
				}
			}
		})
	}
}

func TestMapRowsLevels(t *testing.T) {
	cl := &contactList{Owner: "ann@foo.com",
		Groups:   []contactGroup{{Number: 1, Name: "~"}, {Number: 4, Name: "DL", ExternalURI: "sip:dl@foo.com"}, {Number: 1, Name: "again"}},
		Contacts: []contactEntry{{Buddy: "bob@foo.com", Groups: []int{1}}}}
	_, events := mapRows(cl, mapOptions{Debug: true})
	levels := map[string]eventLevel{}
	for _, e := range events {
		levels[strings.SplitN(e.Message, " ", 2)[0]] = e.Level
	}
	want := map[string]eventLevel{"Found": eventDebug, "Distribution": eventWarn, "Group": eventWarn}
	for k, l := range want {
		if levels[k] != l {
			t.Errorf("event %q… level %v, want %v (events %v)", k, levels[k], l, events)
		}
	}
}

func TestMapRowsOwnerError(t *testing.T) {
	rows, events := mapRows(&contactList{Owner: "ann@foo.com", Err: errors.New("bad base64")}, mapOptions{})
	if rows != nil || len(events) != 1 || events[0].Level != eventError ||
		!strings.Contains(events[0].Message, "sip:ann@foo.com") || !strings.Contains(events[0].Message, "bad base64") {
		t.Errorf("rows %v events %v", rows, events)
	}
}

func TestMapRowsOwnerSplit(t *testing.T) {
	rows, _ := mapRows(&contactList{Owner: "bjones@usa@example.com", Contacts: []contactEntry{{Buddy: "x@y.com"}}}, mapOptions{})
	if len(rows) != 1 || rows[0].UserID != "bjones@usa" || rows[0].UserDomain != "example.com" {
		t.Errorf("rows %+v", rows)
	}
}

// Without Debug, only the WARN/ERROR events are produced (the trace lines cost time).
func TestMapRowsNoDebug(t *testing.T) {
	cl := &contactList{Owner: "ann@foo.com",
		Groups:   []contactGroup{{Number: 1, Name: "~"}, {Number: 4, Name: "DL", ExternalURI: "sip:dl@foo.com"}},
		Contacts: []contactEntry{{Buddy: "bob@foo.com", Groups: []int{1, 1}}, {Buddy: "ann@foo.com"}, {Buddy: "eve@foo.com", Groups: []int{8}}}}
	rows, events := mapRows(cl, mapOptions{})
	if len(rows) != 2 {
		t.Errorf("rows %+v", rows)
	}
	if len(events) != 2 || events[0].Level != eventWarn || events[1].Level != eventWarn ||
		!strings.HasPrefix(events[0].Message, "Distribution group [DL]") || !strings.Contains(events[1].Message, "GroupId: [8]") {
		t.Errorf("events %v", events)
	}
}
