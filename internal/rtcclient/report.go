package rtcclient

import (
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// Report is what --check prints and logs for one checked server (SPEC 7.1):
// the version and how it was told apart, the delete plan when withPlan, and
// every fact the product relies on with its grade, next to what the server
// has, so that an administrator sees what rests on evidence and what does not.
func Report(s *rtcschema.Schema, n rtcschema.Needs, cat *Catalog, withPlan bool) []string {
	lines := []string{
		fmt.Sprintf("version: %s (%s)", s.Version, s.Name),
		fmt.Sprintf("  told apart by Cisco's sysobjects probes: %s", s.Detected),
	}
	if withPlan {
		lines = append(lines, s.PlanLines()...)
	}
	lines = append(lines, "tables and columns the product's statements name, all the check requires (no column type is",
		"confirmed anywhere: a column needs a type family, any length; columns: name, type on this server, family, grade):")
	have := func(c rtcschema.Column) string {
		if ci, ok := cat.Column(c); ok && ci.Alias != "" {
			return ci.Type() + " (alias " + ci.Alias + ")"
		} else if ok {
			return ci.Type()
		}
		return "missing"
	}
	nameW, typeW, famW := 0, 0, 0
	for _, c := range n.Columns {
		nameW, typeW, famW = max(nameW, len(c.Name)), max(typeW, len(have(c))), max(famW, len(c.Family))
	}
	for _, t := range n.Tables {
		table := "table"
		if !cat.HasTable(t.Name) {
			table = "table missing"
		}
		lines = append(lines, fmt.Sprintf("  %s (%s): %s", t.Name, table, t.Fact))
		for _, c := range n.Columns {
			if strings.EqualFold(c.Table, t.Name) {
				lines = append(lines, fmt.Sprintf("    %-*s  %-*s  %-*s  %s", nameW, c.Name, typeW, have(c), famW, c.Family, c.Fact))
			}
		}
	}
	if len(n.Procedures) == 0 {
		return lines
	}
	lines = append(lines, "procedures, each called with the user's ResourceId as its one integer input parameter, by position:")
	for _, p := range n.Procedures {
		param := "parameter not found"
		if pi, ok := cat.Param(p); ok {
			param = pi.Name + " " + pi.Type()
		}
		lines = append(lines, fmt.Sprintf("  %s (%s): %s", p.Name, param, p.Fact))
	}
	return lines
}
