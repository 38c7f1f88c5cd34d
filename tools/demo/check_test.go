package main

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

const testDomain = "d.example"

var testPeople = []person{
	{Login: "ann", DisplayName: "Ann", Migrates: true},
	{Login: "bob", DisplayName: "Bob", Migrates: true},
	{Login: "dave", DisplayName: "Dave"},
}

const pool = "CN=Lc Services,CN=Pools"

// beforeState: everyone Lync-enabled and homed; dave has ann and bob on his list, ann has bob.
func beforeState() state {
	return state{
		AD: map[string]adUser{
			"ann":  {DN: "CN=ann", SIP: "sip:ann@d.example", Enabled: "TRUE", Home: pool},
			"bob":  {DN: "CN=bob", SIP: "sip:bob@d.example", Enabled: "TRUE", Home: pool, TargetHome: pool},
			"dave": {DN: "CN=dave", SIP: "sip:dave@d.example", Enabled: "TRUE", Home: pool},
		},
		RTC: rtcState{
			IDs: map[string]int64{"ann@d.example": 1, "bob@d.example": 2, "dave@d.example": 3},
			Owned: map[int64][]string{
				1: {"Contact: 1 | 2 | Bob | 1", "UserPolicy: 1 | 1"},
				2: {"ResourcePhone: 2 | 1 | tel:+1"},
				3: {"Contact: 3 | 1 | Ann | 1", "Contact: 3 | 2 | Bob | 1", "Delegate: 3 | 1 | 1"},
			},
			Buddies: map[int64][]string{
				1: {"3: Contact: 3 | 1 | Ann | 1"},
				2: {"1: Contact: 1 | 2 | Bob | 1", "3: Contact: 3 | 2 | Bob | 1"},
			},
		},
	}
}

// afterState is the correct end state: ann and bob disabled and without homed data; ann's own
// contact row naming bob went with her data; dave untouched.
func afterState() state {
	s := beforeState()
	s.AD = maps.Clone(s.AD)
	s.AD["ann"] = adUser{DN: "CN=ann", SIP: "sip:ann@d.example", Enabled: "FALSE"}
	s.AD["bob"] = adUser{DN: "CN=bob", SIP: "sip:bob@d.example", Enabled: "FALSE"}
	s.RTC.Owned = map[int64][]string{3: slices.Clone(s.RTC.Owned[3])}
	s.RTC.Buddies = map[int64][]string{1: {"3: Contact: 3 | 1 | Ann | 1"}, 2: {"3: Contact: 3 | 2 | Bob | 1"}}
	return s
}

var goodList = []string{"sip:ann@d.example", "SIP:Bob@d.example"}

func TestCheckEndState(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(b, a *state, list *[]string)
		want   []string // a substring of each problem, in order; none: the end state holds
	}{
		{name: "holds", break_: func(*state, *state, *[]string) {}},
		{name: "delete skipped", break_: func(b, a *state, _ *[]string) {
			a.RTC.Owned, a.RTC.Buddies = b.RTC.Owned, b.RTC.Buddies
		}, want: []string{"ann: 2 rows of homed data left", "bob: 1 rows of homed data left"}},
		{name: "disable skipped", break_: func(b, a *state, _ *[]string) { a.AD = b.AD },
			want: []string{`ann: msRTCSIP-UserEnabled is "TRUE"`, `bob: msRTCSIP-UserEnabled is "TRUE"`}},
		{name: "home server left", break_: func(_, a *state, _ *[]string) {
			a.AD["bob"] = adUser{DN: "CN=bob", SIP: "sip:bob@d.example", Enabled: "FALSE", TargetHome: pool}
		}, want: []string{"bob: still has a home server"}},
		{name: "address cleared", break_: func(_, a *state, _ *[]string) {
			a.AD["ann"] = adUser{DN: "CN=ann", Enabled: "FALSE"}
		}, want: []string{"ann: msRTCSIP-PrimaryUserAddress changed"}},
		{name: "AD object deleted", break_: func(_, a *state, _ *[]string) { delete(a.AD, "bob") },
			want: []string{"bob: AD object gone"}},
		{name: "staying user's contact row naming a migrating one deleted", break_: func(_, a *state, _ *[]string) {
			a.RTC.Owned[3] = []string{"Contact: 3 | 2 | Bob | 1", "Delegate: 3 | 1 | 1"}
			a.RTC.Buddies[1] = nil
		}, want: []string{"ann: contact rows of people staying on Lync that point at them changed", "dave stays on Lync but its rtc rows changed"}},
		{name: "Resource row deleted", break_: func(_, a *state, _ *[]string) {
			a.RTC.IDs = map[string]int64{"ann@d.example": 1, "dave@d.example": 3}
		}, want: []string{"bob: Resource row 2 gone"}},
		{name: "staying user disabled", break_: func(_, a *state, _ *[]string) {
			a.AD["dave"] = adUser{DN: "CN=dave", SIP: "sip:dave@d.example", Enabled: "FALSE"}
		}, want: []string{"dave stays on Lync but AD changed"}},
		{name: "UserList short", break_: func(_, _ *state, l *[]string) { *l = (*l)[:1] },
			want: []string{"UserList holds 1 users"}},
		{name: "fixture without homed data", break_: func(b, _ *state, _ *[]string) { b.RTC.Owned[2] = nil },
			want: []string{"bob: no homed data before the run"}},
		{name: "fixture without staying contacts", break_: func(b, a *state, _ *[]string) {
			b.RTC.Buddies, a.RTC.Buddies = nil, nil
		}, want: []string{"no staying person had a migrating one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, a, list := beforeState(), afterState(), slices.Clone(goodList)
			tt.break_(&b, &a, &list)
			got := checkEndState(b, a, testPeople, testDomain, list)
			if len(got) != len(tt.want) {
				t.Fatalf("problems:\n%s\nwant %d: %q", strings.Join(got, "\n"), len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}
