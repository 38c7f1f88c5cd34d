package exportcontacts

import (
	"strings"
	"sync"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// DefaultMaxContacts is the --max-contacts default: IM and Presence's default Maximum
// Contact List Size.
const DefaultMaxContacts = 200

// distinctContacts is the contact list size of one owner as the statistics and
// --max-contacts count it: the number of DISTINCT contacts among the exported rows
// (a contact in two groups is one contact, as IM and Presence counts its roster; rejected
// rows and self-contacts are not exported, so not counted). Addresses compare
// case-insensitively.
func distinctContacts(rows []batRow) int {
	if len(rows) == 0 {
		return 0
	}
	seen := make(map[string]struct{}, len(rows))
	for _, r := range rows {
		seen[strings.ToLower(r.ContactID+"@"+r.ContactDomain)] = struct{}{}
	}
	return len(seen)
}

// contactStats accumulates the summary's contact list sizes over the processed users: largest,
// total, and average = total / processed users (users with an empty list count, with
// size 0). Safe for concurrent use.
type contactStats struct {
	mu      sync.Mutex
	users   int
	largest int
	total   int
}

// Add records the list size (distinctContacts) of one processed user.
func (s *contactStats) Add(size int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users++
	s.total += size
	s.largest = max(s.largest, size)
}

// Values returns the summary figures; the average is 0 when no user was processed.
func (s *contactStats) Values() (users, largest, total int, average float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.users > 0 {
		average = float64(s.total) / float64(s.users)
	}
	return s.users, s.largest, s.total, average
}

// Result is the summary's contact statistics (run.Session.SetContactStats).
func (s *contactStats) Result() result.ContactStats {
	_, largest, total, avg := s.Values()
	return result.ContactStats{Largest: largest, Total: total, Average: avg}
}

// warnListSize writes the WARNs SPEC 4 asks for about one processed user's list size
// (distinctContacts): an empty list, which on Lync 2013+ may mean the contacts sit in the
// Exchange Unified Contact Store, and a list over --max-contacts (maxContacts <= 0: no limit).
func warnListSize(log userLog, owner string, size, maxContacts int) {
	owner = stripSIP(owner)
	switch {
	case size == 0:
		log.Warnf("sip:%s has no contacts to export. On Lync 2013 and later the contacts may be in the Exchange Unified Contact Store: roll the user back with Invoke-CsUcsRollback (and a user services policy without UCS) first, then export again", owner)
	case maxContacts > 0 && size > maxContacts:
		log.Warnf("sip:%s has %d contacts, more than --max-contacts %d: raise Maximum Contact List Size on IM and Presence before the BAT import, or the list is cut", owner, size, maxContacts)
	}
}
