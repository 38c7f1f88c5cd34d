// Package rtcschema holds ALL the product's knowledge of the Lync/OCS rtc
// database, one file per version (ocs2007.go, lync2010.go, lync2013.go), plus
// the contact tables of SPEC 7 that every version shares (contact.go) and the
// version-detection decision table (detect.go).
//
// Much of it is reconstructed: Microsoft never documented the rtc schema, and
// Cisco's DeleteAccount log names only the Lync 2013 plan. Every guess is marked
// "(reconstructed)" next to it so that it is easy to correct in one place.
package rtcschema

import (
	"fmt"
	"strconv"
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

// Column is one column as INFORMATION_SCHEMA.COLUMNS describes it.
type Column struct {
	Name     string
	Type     string // SQL Server type as written in DDL: "int", "bit", "nvarchar(454)", "nvarchar(max)"
	Nullable bool
}

// DataType splits Type into INFORMATION_SCHEMA's DATA_TYPE and
// CHARACTER_MAXIMUM_LENGTH: "nvarchar(454)" -> ("nvarchar", 454); "max" is -1;
// types without a length give 0.
func (c Column) DataType() (name string, length int) {
	t := strings.ToLower(strings.TrimSpace(c.Type))
	open := strings.IndexByte(t, '(')
	if open < 0 || !strings.HasSuffix(t, ")") {
		return t, 0
	}
	arg := strings.TrimSpace(t[open+1 : len(t)-1])
	if arg == "max" {
		return t[:open], -1
	}
	n, err := strconv.Atoi(arg)
	if err != nil {
		return t, 0
	}
	return t[:open], n
}

// Table is a table the product reads or deletes from. Columns lists the
// columns the product relies on (it checks them, names and types); the real
// table may have more, and the backup keeps all of them.
type Table struct {
	Name    string
	Key     []string // primary key: how --undo recognises a row that is already back
	Columns []Column
}

// Column returns the named column (case-insensitive, as the rtc collation is).
func (t Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return Column{}, false
}

// Param is a stored-procedure parameter, named as INFORMATION_SCHEMA.PARAMETERS
// names it (with the leading @).
type Param struct {
	Name string
	Type string
}

// Touch is a table a plan step deletes from, and the column that holds the
// user's ResourceId there: the step deletes exactly the rows with
// Column = ResourceId. The backup, the dry-run counts and the "nothing left"
// test all read these rows.
type Touch struct {
	Table  string
	Column string
}

// Procedure is a stored procedure a plan calls over RPC. Every parameter
// receives the user's ResourceId (reconstructed: the plans' procedures take
// one parameter each).
type Procedure struct {
	Name    string // as called and logged, e.g. "dbo.RtcpDeleteHomedResourceTransaction"
	Params  []Param
	Touches []Touch // the tables it is believed to delete from (reconstructed)
}

// RoutineName is the routine name without its schema prefix, as
// INFORMATION_SCHEMA.ROUTINES.ROUTINE_NAME has it.
func (p Procedure) RoutineName() string {
	if i := strings.LastIndexByte(p.Name, '.'); i >= 0 {
		return p.Name[i+1:]
	}
	return p.Name
}

// StepKind says how a plan step runs.
type StepKind int

const (
	StepProcedure StepKind = iota + 1 // a stored procedure called by name over RPC
	StepDelete                        // DELETE FROM Table WHERE Column = ResourceId
)

// Step is one statement of a delete plan.
type Step struct {
	Kind      StepKind
	Procedure string // StepProcedure: the Procedure's Name
	Delete    Touch  // StepDelete: table and the column holding the ResourceId
}

// String is the plan line --check prints.
func (s Step) String() string {
	if s.Kind == StepProcedure {
		return "run " + s.Procedure
	}
	return "delete " + s.Delete.Table + " where " + s.Delete.Column + " = ResourceId"
}

// Schema is everything the product knows about one version.
type Schema struct {
	Version    Version
	Name       string // for people: "Lync Server 2013 / Skype for Business Server"
	Tables     []Table
	Procedures []Procedure
	Plan       []Step
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

// Table returns the named table of the schema (case-insensitive).
func (s *Schema) Table(name string) (Table, bool) {
	for _, t := range s.Tables {
		if strings.EqualFold(t.Name, name) {
			return t, true
		}
	}
	return Table{}, false
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

// Touches lists the tables one step deletes from.
func (s *Schema) Touches(st Step) []Touch {
	if st.Kind == StepDelete {
		return []Touch{st.Delete}
	}
	p, _ := s.Procedure(st.Procedure)
	return p.Touches
}

// Touched lists every table the whole plan deletes from, in plan order, each
// once: the rows of a user that a run backs up and counts.
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

// Validate checks the schema's own consistency: every step names a known
// procedure or table, every touched table and column is declared, and the
// Resource table is never deleted from (SPEC 6 invariant).
func (s *Schema) Validate() error {
	var errs []string
	for i, st := range s.Plan {
		switch st.Kind {
		case StepProcedure:
			if _, ok := s.Procedure(st.Procedure); !ok {
				errs = append(errs, fmt.Sprintf("step %d: procedure %s not declared", i+1, st.Procedure))
			}
		case StepDelete:
		default:
			errs = append(errs, fmt.Sprintf("step %d: unknown kind", i+1))
		}
		for _, tc := range s.Touches(st) {
			if strings.EqualFold(tc.Table, "Resource") {
				errs = append(errs, fmt.Sprintf("step %d deletes from Resource", i+1))
			}
			t, ok := s.Table(tc.Table)
			if !ok {
				errs = append(errs, fmt.Sprintf("step %d: table %s not declared", i+1, tc.Table))
				continue
			}
			if _, ok := t.Column(tc.Column); !ok {
				errs = append(errs, fmt.Sprintf("step %d: column %s.%s not declared", i+1, tc.Table, tc.Column))
			}
		}
	}
	for _, t := range s.Tables {
		if len(t.Key) == 0 {
			errs = append(errs, fmt.Sprintf("table %s has no key", t.Name))
		}
		for _, k := range t.Key {
			if _, ok := t.Column(k); !ok {
				errs = append(errs, fmt.Sprintf("table %s: key column %s not declared", t.Name, k))
			}
		}
	}
	for _, p := range s.Procedures {
		if len(p.Params) == 0 {
			errs = append(errs, fmt.Sprintf("procedure %s has no parameter for the ResourceId", p.Name))
		}
		for _, pa := range p.Params {
			if !strings.HasPrefix(pa.Name, "@") {
				errs = append(errs, fmt.Sprintf("procedure %s: parameter %s lacks @", p.Name, pa.Name))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("rtcschema %s: %s", s.Version, strings.Join(errs, "; "))
	}
	return nil
}

// Describe is what --check prints for a server: the version and the plan.
func (s *Schema) Describe() []string {
	lines := []string{fmt.Sprintf("version: %s (%s)", s.Version, s.Name), "plan:"}
	for i, st := range s.Plan {
		line := fmt.Sprintf("  %2d. %s", i+1, st)
		if st.Kind == StepProcedure {
			var ts []string
			for _, t := range s.Touches(st) {
				ts = append(ts, t.Table+"."+t.Column)
			}
			line += " (deletes from " + strings.Join(ts, ", ") + ")"
		}
		lines = append(lines, line)
	}
	return lines
}
