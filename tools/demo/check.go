package main

import (
	"fmt"
	"slices"
	"strings"
)

// adUser is what the demo reads of a person's AD object.
type adUser struct {
	DN         string
	SIP        string // msRTCSIP-PrimaryUserAddress
	Enabled    string // msRTCSIP-UserEnabled ("" when absent)
	Home       string // msRTCSIP-PrimaryHomeServer
	TargetHome string // msRTCSIP-TargetHomeServer
}

// rtcState is what the demo reads of the rtc database.
type rtcState struct {
	IDs map[string]int64 // lower-case UserAtHost -> ResourceId (the Resource rows)
	// Owned lists each ResourceId's rows in the tables of the delete plan keyed by it (its homed
	// data), as "Table: v1 | v2 …", sorted.
	Owned map[int64][]string
	// Buddies lists the Contact rows whose BuddyId is the ResourceId, as "owner: row", sorted.
	Buddies map[int64][]string
}

// state is a snapshot of both servers.
type state struct {
	AD  map[string]adUser // by login
	RTC rtcState
}

// checkEndState compares the servers after the migration with before: every migrating person
// disabled in AD (msRTCSIP-UserEnabled FALSE, no home server, address kept) and without homed
// data in rtc (Resource row kept), the Contact rows of people staying on Lync that point at
// them intact, and the people staying untouched on both servers. userList is the export's
// UserList. It returns every violation (none: the end state holds).
func checkEndState(before, after state, people []person, domain string, userList []string) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }

	migratingIDs := map[int64]bool{}
	var wantList []string
	for _, p := range people {
		if p.Migrates {
			migratingIDs[before.RTC.IDs[strings.ToLower(p.Login+"@"+domain)]] = true
			wantList = append(wantList, strings.ToLower(p.SIP(domain)))
		}
	}
	gotList := make([]string, len(userList))
	for i, u := range userList {
		gotList[i] = strings.ToLower(u)
	}
	slices.Sort(wantList)
	slices.Sort(gotList)
	if !slices.Equal(gotList, wantList) {
		fail("UserList holds %d users %v, want the %d migrating ones", len(gotList), gotList, len(wantList))
	}

	keptBuddies := 0
	for _, p := range people {
		uah := strings.ToLower(p.Login + "@" + domain)
		b, a := before.AD[p.Login], after.AD[p.Login]
		id, ok := before.RTC.IDs[uah]
		if !ok {
			fail("%s: not in the rtc database before the run (fixture)", p.Login)
			continue
		}
		if aid, ok := after.RTC.IDs[uah]; !ok || aid != id {
			fail("%s: Resource row %d gone or changed (after: %d, %v); it must stay", p.Login, id, aid, ok)
		}
		if !p.Migrates {
			if a != b {
				fail("%s stays on Lync but AD changed: %+v -> %+v", p.Login, b, a)
			}
			if !slices.Equal(before.RTC.Owned[id], after.RTC.Owned[id]) {
				fail("%s stays on Lync but its rtc rows changed: %s", p.Login, diff(before.RTC.Owned[id], after.RTC.Owned[id]))
			}
			continue
		}
		switch {
		case a.DN == "":
			fail("%s: AD object gone", p.Login)
		case a.Enabled != "FALSE":
			fail("%s: msRTCSIP-UserEnabled is %q, want FALSE", p.Login, a.Enabled)
		case a.Home != "" || a.TargetHome != "":
			fail("%s: still has a home server (%q, %q)", p.Login, a.Home, a.TargetHome)
		}
		if a.DN != "" && a.SIP != b.SIP {
			fail("%s: msRTCSIP-PrimaryUserAddress changed from %q to %q; it must be kept", p.Login, b.SIP, a.SIP)
		}
		if len(before.RTC.Owned[id]) == 0 {
			fail("%s: no homed data before the run (fixture): the check would prove nothing", p.Login)
		}
		if rows := after.RTC.Owned[id]; len(rows) > 0 {
			fail("%s: %d rows of homed data left in rtc, first %q", p.Login, len(rows), rows[0])
		}
		// other people's contact rows naming this person: those of people who stay must all be there
		want := staying(before.RTC.Buddies[id], migratingIDs)
		got := staying(after.RTC.Buddies[id], migratingIDs)
		if !slices.Equal(want, got) {
			fail("%s: contact rows of people staying on Lync that point at them changed: %s", p.Login, diff(want, got))
		}
		keptBuddies += len(want)
	}
	if keptBuddies == 0 && len(migratingIDs) > 0 {
		fail("no staying person had a migrating one on their list before the run (fixture): the check would prove nothing")
	}
	return bad
}

// staying keeps the "owner: row" entries whose owner is not migrating.
func staying(rows []string, migrating map[int64]bool) []string {
	var out []string
	for _, r := range rows {
		var owner int64
		if _, err := fmt.Sscanf(r, "%d:", &owner); err == nil && !migrating[owner] {
			out = append(out, r)
		}
	}
	return out
}

// diff says which rows went and which appeared.
func diff(before, after []string) string {
	var gone, added []string
	for _, r := range before {
		if !slices.Contains(after, r) {
			gone = append(gone, r)
		}
	}
	for _, r := range after {
		if !slices.Contains(before, r) {
			added = append(added, r)
		}
	}
	return fmt.Sprintf("gone %q, added %q", gone, added)
}
