package exportcontacts

import (
	"strings"
	"sync"
	"testing"
)

func TestDistinctContacts(t *testing.T) {
	r := func(id, dom, group string) batRow { return batRow{ContactID: id, ContactDomain: dom, GroupName: group} }
	cases := []struct {
		rows []batRow
		want int
	}{
		{nil, 0},
		{[]batRow{r("bob", "foo.com", "A")}, 1},
		{[]batRow{r("bob", "foo.com", "A"), r("bob", "foo.com", "B"), r("BOB", "Foo.com", "C")}, 1}, // one contact, three groups
		{[]batRow{r("bob", "foo.com", "A"), r("bob", "bar.com", "A"), r("eve", "foo.com", "A")}, 3},
	}
	for _, c := range cases {
		if got := distinctContacts(c.rows); got != c.want {
			t.Errorf("distinctContacts(%v) = %d, want %d", c.rows, got, c.want)
		}
	}
}

func TestStats(t *testing.T) {
	var s contactStats
	if u, l, tot, avg := s.Values(); u != 0 || l != 0 || tot != 0 || avg != 0 {
		t.Errorf("empty stats = %d %d %d %v", u, l, tot, avg)
	}
	var wg sync.WaitGroup
	for _, n := range []int{3, 0, 12, 5} { // the Run may add from its workers
		wg.Go(func() { s.Add(n) })
	}
	wg.Wait()
	if u, l, tot, avg := s.Values(); u != 4 || l != 12 || tot != 20 || avg != 5 {
		t.Errorf("stats = users %d largest %d total %d average %v; want 4 12 20 5", u, l, tot, avg)
	}
	if r := s.Result(); r.Largest != 12 || r.Total != 20 || r.Average != 5 {
		t.Errorf("Result() = %+v", r)
	}
}

func TestWarnListSize(t *testing.T) {
	cases := []struct {
		size, max int
		want      string // "" = no WARN
	}{
		{0, 200, "sip:ann@foo.com has no contacts to export. On Lync 2013 and later the contacts may be in the Exchange Unified Contact Store: roll the user back with Invoke-CsUcsRollback"},
		{1, 200, ""},
		{200, 200, ""},
		{201, 200, "sip:ann@foo.com has 201 contacts, more than --max-contacts 200"},
		{5000, 0, ""}, // no limit
	}
	for _, c := range cases {
		logged := userLines(func(log userLog) { warnListSize(log, "sip:ann@foo.com", c.size, c.max) })
		switch {
		case c.want == "" && len(logged) != 0:
			t.Errorf("size %d max %d: lines %v, want none", c.size, c.max, logged)
		case c.want != "" && (len(logged) != 1 || !strings.HasPrefix(logged[0], "[WARN]  "+c.want)):
			t.Errorf("size %d max %d: lines %v, want one WARN starting %q", c.size, c.max, logged, c.want)
		}
	}
	if DefaultMaxContacts != 200 {
		t.Errorf("DefaultMaxContacts = %d, SPEC 4 says 200", DefaultMaxContacts)
	}
}
