// Package rtcschema holds ALL the product's knowledge of the Lync/OCS rtc
// database: the names of the tables and columns it reads or deletes from
// (names.go, the one home of every name, with SQL templates in sql.go), the
// type families it needs of them (family.go), each version's delete plan (one
// file per version: ocs2007.go, lync2010.go, lync2013.go), the columns that
// hold a user's ResourceId (userkeys.go) and the version detection (detect.go).
//
// Microsoft never documented the rtc schema. Every fact carries its grade
// (grade.go): confirmed, with the public source, or reconstructed
// (SPEC 7.1; research/rtc-evidence.md). --check prints them.
package rtcschema

import (
	"fmt"
	"slices"
	"strings"
)

// Version is an rtc schema generation, as the sysobjects probe tells them apart.
type Version string

const (
	OCS2007  Version = "ocs2007"  // OCS 2007 and OCS 2007 R2
	Lync2010 Version = "lync2010" // Lync Server 2010
	Lync2013 Version = "lync2013" // Lync Server 2013, Skype for Business Server 2015/2019/SE
)

// Versions lists the known versions, oldest first.
var Versions = []Version{OCS2007, Lync2010, Lync2013}

// ParseVersion accepts the short names above (case-insensitive).
func ParseVersion(s string) (Version, error) {
	for _, v := range Versions {
		if strings.EqualFold(s, string(v)) {
			return v, nil
		}
	}
	return "", fmt.Errorf("unknown rtc schema version %q (want ocs2007, lync2010 or lync2013)", s)
}

// Procedure is a stored procedure a plan calls over RPC. Its parameter is
// not declared here: the check reads it from INFORMATION_SCHEMA.PARAMETERS
// (exactly one integer input parameter, whatever its name), and the delete
// passes the user's ResourceId to it by position.
type Procedure struct {
	Name     string // as called and logged, e.g. "dbo.RtcpDeleteHomedResourceTransaction"
	Fact     Fact   // the name
	Argument Fact   // that its one parameter takes the user's ResourceId
	// Touches are the tables it is believed to delete from (reconstructed).
	// The check does not need them; until the delete measures what vanished
	// (SPEC 6.1) its backup and counts read them.
	Touches []Touch
}

// RoutineName is the routine name without its schema prefix, as
// INFORMATION_SCHEMA.ROUTINES.ROUTINE_NAME has it.
func (p Procedure) RoutineName() string {
	if i := strings.LastIndexByte(p.Name, '.'); i >= 0 {
		return p.Name[i+1:]
	}
	return p.Name
}

// Touch is a table a plan step deletes from, and the column that holds the
// user's ResourceId there.
type Touch struct {
	Table  string
	Column string
}

func touch(c Column) Touch { return Touch{Table: c.Table, Column: c.Name} }

// StepKind says how a plan step runs.
type StepKind int

const (
	StepProcedure StepKind = iota + 1 // a stored procedure called by name over RPC
	StepDelete                        // DELETE FROM Delete.Table WHERE Delete.Name = ResourceId
)

// Step is one statement of a delete plan.
type Step struct {
	Kind      StepKind
	Procedure string // StepProcedure: the Procedure's Name
	Delete    Column // StepDelete: the table and the column holding the ResourceId
}

// String is the plan line --check prints.
func (s Step) String() string {
	if s.Kind == StepProcedure {
		return "run " + s.Procedure + " (ResourceId)"
	}
	return "delete " + s.Delete.Table + " where " + s.Delete.Name + " = ResourceId"
}

// Schema is everything the product knows about one version.
type Schema struct {
	Version    Version
	Name       string // for people: "Lync Server 2013 / Skype for Business Server"
	Detected   Fact   // how detection tells this version apart
	Procedures []Procedure
	Plan       []Step
	PlanFact   Fact // the steps and their order
}

// For returns the schema of v, or nil for an unknown version.
func For(v Version) *Schema {
	switch v {
	case OCS2007:
		return ocs2007()
	case Lync2010:
		return lync2010()
	case Lync2013:
		return lync2013()
	}
	return nil
}

// Procedure returns the named procedure of the schema (case-insensitive).
func (s *Schema) Procedure(name string) (Procedure, bool) {
	for _, p := range s.Procedures {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Procedure{}, false
}

// Needs is what the product requires of a server, and all the schema check
// verifies (SPEC 7.1): the tables and columns its statements name, each column
// of its family, and the procedures it calls, each with one integer input
// parameter. Extra tables, columns, other lengths are fine.
type Needs struct {
	Tables     []Table
	Columns    []Column
	Procedures []Procedure
}

// With adds what the statements name.
func (n Needs) With(stmts ...Statement) Needs {
	out := Needs{Tables: slices.Clone(n.Tables), Columns: slices.Clone(n.Columns), Procedures: slices.Clone(n.Procedures)}
	for _, st := range stmts {
		var acc Statement
		acc.Tables, acc.Columns = out.Tables, out.Columns
		for _, t := range st.Tables {
			acc.addTable(t)
		}
		for _, c := range st.Columns {
			acc.addColumn(c)
		}
		out.Tables, out.Columns = acc.Tables, acc.Columns
	}
	return out
}

// Needs is what the plan requires: the tables of its DELETE steps with the
// column each matches, and its procedures. The tables a procedure is
// believed to touch are not needed: the delete discovers what vanishes.
func (s *Schema) Needs() Needs {
	var acc Statement
	var n Needs
	for _, st := range s.Plan {
		switch st.Kind {
		case StepDelete:
			acc.addColumn(st.Delete)
		case StepProcedure:
			if p, ok := s.Procedure(st.Procedure); ok {
				n.Procedures = append(n.Procedures, p)
			}
		}
	}
	n.Tables, n.Columns = acc.Tables, acc.Columns
	return n
}

// Validate checks the schema's own consistency: every step names a known
// procedure or a declared column, and the Resource table is never deleted
// from (SPEC 6 invariant).
func (s *Schema) Validate() error {
	var errs []string
	for i, st := range s.Plan {
		switch st.Kind {
		case StepProcedure:
			if _, ok := s.Procedure(st.Procedure); !ok {
				errs = append(errs, fmt.Sprintf("step %d: procedure %s not declared", i+1, st.Procedure))
			}
		case StepDelete:
			if st.Delete.Table == "" || st.Delete.Family != Integer {
				errs = append(errs, fmt.Sprintf("step %d: %s is not a declared integer column", i+1, st.Delete))
			}
		default:
			errs = append(errs, fmt.Sprintf("step %d: unknown kind", i+1))
		}
		for _, tc := range s.Touches(st) {
			if strings.EqualFold(tc.Table, Resource.Name) {
				errs = append(errs, fmt.Sprintf("step %d deletes from Resource", i+1))
			}
		}
	}
	for _, p := range s.Procedures {
		if p.Fact.Grade == "" || p.Argument.Grade == "" {
			errs = append(errs, fmt.Sprintf("procedure %s has no grade", p.Name))
		}
		for _, tc := range p.Touches {
			if tc.Table == "" || tc.Column == "" {
				errs = append(errs, fmt.Sprintf("procedure %s touches an undeclared column", p.Name))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("rtcschema %s: %s", s.Version, strings.Join(errs, "; "))
	}
	return nil
}

// Touches lists the tables one step deletes from: a DELETE's table, or the
// tables a procedure is believed to touch.
func (s *Schema) Touches(st Step) []Touch {
	if st.Kind == StepDelete {
		return []Touch{touch(st.Delete)}
	}
	p, _ := s.Procedure(st.Procedure)
	return p.Touches
}

// PlanLines are the plan as --check prints it, each step with its grade.
func (s *Schema) PlanLines() []string {
	lines := []string{fmt.Sprintf("plan, one transaction per user (%s):", s.PlanFact)}
	for i, st := range s.Plan {
		lines = append(lines, fmt.Sprintf("  %2d. %s", i+1, st))
		if st.Kind != StepProcedure {
			continue
		}
		p, _ := s.Procedure(st.Procedure)
		var ts []string
		for _, t := range p.Touches {
			ts = append(ts, t.Table)
		}
		lines = append(lines,
			fmt.Sprintf("      its one parameter takes the ResourceId: %s", p.Argument),
			fmt.Sprintf("      believed to delete from %s: reconstructed (the check does not need these tables)", strings.Join(ts, ", ")))
	}
	return lines
}
