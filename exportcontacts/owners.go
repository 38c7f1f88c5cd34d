package exportcontacts

import (
	"hash/fnv"
	"strings"
)

// ownerHash is the 64-bit FNV-1a hash of a lower-cased owner address; a variable
// so that a test can force collisions.
var ownerHash = func(key string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(key))
	return h.Sum64()
}

// ownerKey is how owners of an export file compare: case-insensitive user@host.
func ownerKey(owner string) string { return strings.ToLower(StripSIP(strings.TrimSpace(owner))) }

// ownerSet finds the repeated owners of an -f ALL export file without keeping the
// addresses, so that the run's memory stays flat in the number of owners (SPEC 8):
// each owner costs one map entry, its 8-byte hash and the 4-byte position of its
// list. A list whose hash was met before is a repeat candidate: a duplicate, or
// (about one chance in 10^9 for 100,000 owners) another owner with the same hash.
// Candidates are settled exactly, afterwards, by repeatsCheck: no list is dropped
// on a hash alone.
type ownerSet struct {
	first map[uint64]int32 // hash -> position (1-based) of the first list with it
	hits  []ownerHit       // later lists with a hash met before, in file order
}

// ownerHit is one repeat candidate; the owner's address is kept (hits are rare).
type ownerHit struct {
	pos int32
	uri string
}

func newOwnerSet() *ownerSet { return &ownerSet{first: map[uint64]int32{}} }

// add records the list at pos (1-based) of owner key; it returns false when the
// list is a repeat candidate, to be settled by repeatsCheck.
func (s *ownerSet) add(key, uri string, pos int32) bool {
	h := ownerHash(key)
	if _, ok := s.first[h]; ok {
		s.hits = append(s.hits, ownerHit{pos: pos, uri: uri})
		return false
	}
	s.first[h] = pos
	return true
}

// repeatsCheck settles the candidates in one more pass over the file, comparing
// addresses exactly: the lists of every hash that has a candidate are looked at,
// in file order; a list whose owner came before in that pass is a duplicate,
// another is a collision, to be exported.
type repeatsCheck struct {
	firsts map[int32]bool   // positions of the first lists of the candidates' hashes
	hits   map[int32]string // candidate positions -> owner URI
	met    map[string]int32 // owner key -> position, for the lists looked at so far
	done   map[int32]bool   // candidates settled
}

func (s *ownerSet) check() *repeatsCheck {
	c := &repeatsCheck{firsts: map[int32]bool{}, hits: map[int32]string{}, met: map[string]int32{}, done: map[int32]bool{}}
	for _, h := range s.hits {
		c.hits[h.pos] = h.uri
		c.firsts[s.first[ownerHash(ownerKey(h.uri))]] = true
	}
	return c
}

// list looks at the list at pos with owner key: it returns whether it is a
// candidate, and if so the position of the earlier list of the same owner (0: a
// collision, not a duplicate).
func (c *repeatsCheck) list(key string, pos int32) (candidate bool, firstPos int32) {
	if c.firsts[pos] {
		c.met[key] = pos
		return false, 0
	}
	if _, ok := c.hits[pos]; !ok {
		return false, 0
	}
	c.done[pos] = true
	if p, ok := c.met[key]; ok {
		return true, p
	}
	c.met[key] = pos
	return true, 0
}

// unsettled are the candidates the pass did not reach (interrupted), in file order.
func (s *ownerSet) unsettled(c *repeatsCheck) []ownerHit {
	var out []ownerHit
	for _, h := range s.hits {
		if c == nil || !c.done[h.pos] {
			out = append(out, h)
		}
	}
	return out
}
