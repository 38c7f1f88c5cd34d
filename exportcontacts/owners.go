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
func ownerKey(owner string) string { return strings.ToLower(stripSIP(strings.TrimSpace(owner))) }

// ownerSet finds the repeated owners of an -f ALL export file without keeping the
// addresses, so that the run's memory stays flat in the number of owners (SPEC 8):
// each owner costs one map entry, its 8-byte hash (still O(owners), but about 10
// bytes an owner with the map's slack: 1-2 MiB for 100,000, against ~100 bytes for
// a map of addresses). A list whose hash was met before is a repeat candidate: a
// duplicate, or (about one chance in 10^9 for 100,000 owners) another owner with
// the same hash.
// Candidates are settled exactly, afterwards, by repeatsCheck: no list is dropped
// on a hash alone.
type ownerSet struct {
	met  map[uint64]struct{} // hashes of the owners met
	hits []ownerHit          // later lists with a hash met before, in file order
}

// ownerHit is one repeat candidate; the owner's address is kept (hits are rare).
type ownerHit struct {
	pos int32
	uri string
}

func newOwnerSet() *ownerSet { return &ownerSet{met: map[uint64]struct{}{}} }

// add records the list at pos (1-based) of owner key; it returns false when the
// list is a repeat candidate, to be settled by repeatsCheck.
func (s *ownerSet) add(key, uri string, pos int32) bool {
	h := ownerHash(key)
	if _, ok := s.met[h]; ok {
		s.hits = append(s.hits, ownerHit{pos: pos, uri: uri})
		return false
	}
	s.met[h] = struct{}{}
	return true
}

// repeatsCheck settles the candidates in one more pass over the file, comparing
// addresses exactly: the lists of every hash that has a candidate are looked at,
// in file order; a list whose owner came before in that pass is a duplicate,
// another is a collision, to be exported.
type repeatsCheck struct {
	hashes map[uint64]bool  // the candidates' hashes
	hits   map[int32]string // candidate positions -> owner URI
	met    map[string]int32 // owner key -> position, for the lists looked at so far
	done   map[int32]bool   // candidates settled
}

func (s *ownerSet) check() *repeatsCheck {
	c := &repeatsCheck{hashes: map[uint64]bool{}, hits: map[int32]string{}, met: map[string]int32{}, done: map[int32]bool{}}
	for _, h := range s.hits {
		c.hits[h.pos] = h.uri
		c.hashes[ownerHash(ownerKey(h.uri))] = true
	}
	return c
}

// list looks at the list at pos with owner key: it returns whether it is a
// candidate, and if so the position of the earlier list of the same owner (0: a
// collision, not a duplicate).
func (c *repeatsCheck) list(key string, pos int32) (candidate bool, firstPos int32) {
	_, candidate = c.hits[pos]
	if !candidate && !c.hashes[ownerHash(key)] {
		return false, 0
	}
	if candidate {
		c.done[pos] = true
	}
	if p, ok := c.met[key]; ok {
		return candidate, p
	}
	c.met[key] = pos
	return candidate, 0
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
