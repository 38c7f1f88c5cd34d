package rtcschema

import "strings"

// Touched lists every table the whole plan is believed to delete from, in
// plan order, each once (reconstructed: Touches). The delete uses it only to
// order and count tables in a dry run; its backup, counts and --undo measure
// what a transaction really removed and read the keys from the live catalog
// (SPEC 6.1), so they need none of it.
func (s *Schema) Touched() []Touch {
	var out []Touch
	seen := map[string]bool{}
	for _, st := range s.Plan {
		for _, t := range s.Touches(st) {
			k := strings.ToLower(t.Table)
			if !seen[k] {
				seen[k] = true
				out = append(out, t)
			}
		}
	}
	return out
}
