package rtcschema

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Statement is product SQL whose table and column names come from this
// package, with the tables and columns it names: what the schema check
// requires of a server is exactly what the statements name (Needs.With).
type Statement struct {
	Text    string
	Tables  []Table  // in order of first mention
	Columns []Column // in order of first mention
}

func (s Statement) String() string { return s.Text }

// SQL expands a statement template: "{Contact}" becomes the table's name and
// "{Contact.DisplayName}" the column's, keyed by the Go names of names.go
// (so that correcting a name there corrects every statement). Anything else,
// such as the "%s" of an IN list, is left as it is. An unknown key is a
// programming error: SQL panics, at package initialisation where statements
// are declared, so that every test catches it.
func SQL(template string) Statement {
	var st Statement
	var b strings.Builder
	rest := template
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			panic(fmt.Sprintf("rtcschema.SQL: unclosed { in %q", template))
		}
		b.WriteString(rest[:i])
		key := rest[i+1 : i+j]
		rest = rest[i+j+1:]
		if c, ok := columnByKey[key]; ok {
			b.WriteString(c.Name)
			st.addColumn(c)
			continue
		}
		if t, ok := tableByKey[key]; ok {
			b.WriteString(t.Name)
			st.addTable(t)
			continue
		}
		panic(fmt.Sprintf("rtcschema.SQL: unknown name {%s} in %q", key, template))
	}
	st.Text = b.String()
	return st
}

func (s *Statement) addTable(t Table) {
	if !slices.ContainsFunc(s.Tables, func(x Table) bool { return x.Name == t.Name }) {
		s.Tables = append(s.Tables, t)
	}
}

func (s *Statement) addColumn(c Column) {
	if t, ok := tableNamed(c.Table); ok {
		s.addTable(t)
	}
	if !slices.ContainsFunc(s.Columns, func(x Column) bool { return x.Table == c.Table && x.Name == c.Name }) {
		s.Columns = append(s.Columns, c)
	}
}

func tableNamed(name string) (Table, bool) {
	for _, t := range tableByKey {
		if strings.EqualFold(t.Name, name) {
			return t, true
		}
	}
	return Table{}, false
}

func sortTables(ts []Table) {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
}
