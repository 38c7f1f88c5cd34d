package main

import (
	"strings"
	"testing"
	"time"
)

func TestWriteTable(t *testing.T) {
	plain := &row{name: "plain", measures: "m", unit: perUser, cisco: true, users: 2000, wall: 10 * time.Second, rssKB: 20480, trips: 14}
	cmd := &row{name: "cmd", measures: "m", unit: perUser, plain: plain, cisco: true, users: 2000, wall: 12500 * time.Millisecond, rssKB: 31 * 1024, trips: 15.125}
	exp := &row{name: "exp", measures: "m", unit: perContact, cisco: true, users: 100000, contacts: 5000000, wall: 20 * time.Second, rssKB: 100 * 1024}
	stub := &row{name: "stub", measures: "m", unit: perUser, plain: plain, status: "not implemented"}
	orphan := &row{name: "orphan", measures: "m", unit: perUser, plain: stub, users: 10, wall: time.Second}
	var b strings.Builder
	writeTable(&b, []*row{plain, cmd, exp, stub, orphan})
	want := `| run | measures | users | contacts | seconds | users/s | contacts/s | vs plain loop | vs Cisco | peak RSS | SQL round trips/user |
|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|
| plain | m | 2,000 | — | 10.00 | 200 | — | — | × 15 | 20 MiB | 14.00 |
| cmd | m | 2,000 | — | 12.50 | 160 | — | 80 % | × 12 | 31 MiB | 15.12 (+1.12) |
| exp | m | 100,000 | 5,000,000 | 20.00 | 5,000 | 250,000 | — | × 312 | 100 MiB | — |
| stub | m | — | — | not implemented |  |  |  |  |  |  |
| orphan | m | 10 | — | 1.00 | 10 | — | no plain run | — | — | — |
`
	if got := b.String(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}

func TestGroup(t *testing.T) {
	for in, want := range map[string]string{"1": "1", "999": "999", "1000": "1,000", "123456": "123,456", "1234567": "1,234,567"} {
		if got := group(in); got != want {
			t.Errorf("group(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"disableaccount --dry-run":                     "disableaccount-dry-run",
		"exportcontacts --from-export (100,000 users)": "exportcontacts-from-export-100-000-users",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
