package rtcsim

import (
	"database/sql/driver"
	"strings"

	"modernc.org/sqlite"
)

// The catalog functions of the subset (SPEC 7: what a product reading the
// catalog of SQL Server 2005 may send): OBJECT_ID, OBJECT_NAME, COL_NAME,
// QUOTENAME, COLUMNPROPERTY and OBJECT_DEFINITION. They are rewritten into subqueries
// on the catalog tables before the statement is checked, so that the
// string concatenation ('+') they need is accepted inside OBJECT_ID's
// argument and nowhere else.

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("rtcsim_object_name", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		s, ok := args[0].(string)
		db, _ := args[1].(string)
		if !ok {
			return nil, nil
		}
		if name, ok := objectName(s, db); ok {
			return name, nil
		}
		return nil, nil
	})
	sqlite.MustRegisterDeterministicScalarFunction("rtcsim_quotename", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		s, ok := args[0].(string)
		if !ok || len([]rune(s)) > 128 { // SQL Server: NULL for input longer than 128 characters
			return nil, nil
		}
		return "[" + strings.ReplaceAll(s, "]", "]]") + "]", nil
	})
}

// objectName parses OBJECT_ID's argument — Name, dbo.Name, [dbo].[Name],
// "dbo"."Name", db.dbo.Name, db..Name — and returns the object name when it
// can be an object of database db (schema dbo).
func objectName(s, db string) (string, bool) {
	var parts []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '[' || c == '"':
			closing := byte(']')
			if c == '"' {
				closing = '"'
			}
			text, n, ok := quoted(s[i:], c, closing)
			if !ok {
				return "", false
			}
			b.WriteString(text)
			i += n - 1
		case c == '.':
			parts = append(parts, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	parts = append(parts, b.String())
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	name := parts[len(parts)-1]
	switch {
	case name == "" || len(parts) > 3:
		return "", false
	case len(parts) >= 2 && parts[len(parts)-2] != "" && !strings.EqualFold(parts[len(parts)-2], "dbo"):
		return "", false
	case len(parts) == 3 && !strings.EqualFold(parts[0], db):
		return "", false
	case len(parts) == 2 && parts[0] == "":
		return "", false
	}
	return name, true
}

// catalogFunction is the result type of each rewritten function.
var catalogFunctions = map[string]SQLType{
	"OBJECT_ID":         {Name: "int"},
	"OBJECT_DEFINITION": {Name: "nvarchar", Len: -1},
	"COLUMNPROPERTY":    {Name: "int"},
	"QUOTENAME":         {Name: "nvarchar", Len: 258},
	"OBJECT_NAME":       {Name: "nvarchar", Len: 128},
	"COL_NAME":          {Name: "nvarchar", Len: 128},
}

// COLUMNPROPERTY properties served, and their catalog column.
var columnProperties = map[string]string{"isidentity": "is_identity", "iscomputed": "is_computed", "columnid": "column_id"}

// rewriteFunctions replaces the catalog function calls in toks by SQLite
// text (tRaw tokens) around their rewritten arguments.
func (tr *translator) rewriteFunctions(toks []token) ([]token, error) {
	var out []token
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		_, isFunc := catalogFunctions[strings.ToUpper(t.text)]
		if t.kind != tWord || !isFunc || i+1 >= len(toks) || !toks[i+1].op("(") {
			out = append(out, t)
			continue
		}
		end := matchingParen(toks, i+1)
		if end < 0 {
			return nil, newError(ErrSyntax, "Incorrect syntax near '%s'.", t.text)
		}
		var args [][]token
		for _, a := range splitArgs(toks[i+2 : end]) {
			ra, err := tr.rewriteFunctions(a)
			if err != nil {
				return nil, err
			}
			args = append(args, ra)
		}
		call, err := tr.catalogCall(strings.ToUpper(t.text), args)
		if err != nil {
			return nil, err
		}
		out = append(out, call...)
		i = end
	}
	return out, nil
}

func (tr *translator) catalogCall(fn string, args [][]token) ([]token, error) {
	nargs := func(min, max int) error {
		if len(args) < min || len(args) > max || (len(args) > 0 && len(args[len(args)-1]) == 0) {
			return newError(174, "The %s function requires %d argument(s).", strings.ToLower(fn), min)
		}
		return nil
	}
	var out []token
	add := func(ts ...token) { out = append(out, ts...) }
	switch fn {
	case "QUOTENAME":
		if err := nargs(1, 1); err != nil {
			return nil, err
		}
		add(raw("rtcsim_quotename("))
		add(args[0]...)
		add(raw(")"))
	case "OBJECT_ID":
		if err := nargs(1, 2); err != nil {
			return nil, err
		}
		add(raw("(SELECT id FROM rtcsim_sysobjects WHERE name = rtcsim_object_name("))
		for _, a := range args[0] {
			if a.op("+") { // T-SQL string concatenation
				a = raw("||")
			}
			add(a)
		}
		add(raw(", " + sqlString(tr.db) + ")"))
		if len(args) == 2 {
			add(raw("AND rtrim(xtype) = rtrim("))
			add(args[1]...)
			add(raw(")"))
		}
		add(raw(")"))
	case "OBJECT_NAME":
		if err := nargs(1, 1); err != nil {
			return nil, err
		}
		add(raw("(SELECT rtcsim_name FROM rtcsim_names WHERE rtcsim_cid = 0 AND rtcsim_oid = ("))
		add(args[0]...)
		add(raw("))"))
	case "COL_NAME":
		if err := nargs(2, 2); err != nil {
			return nil, err
		}
		add(raw("(SELECT rtcsim_name FROM rtcsim_names WHERE rtcsim_cid > 0 AND rtcsim_oid = ("))
		add(args[0]...)
		add(raw(") AND rtcsim_cid = ("))
		add(args[1]...)
		add(raw("))"))
	case "OBJECT_DEFINITION":
		if err := nargs(1, 1); err != nil {
			return nil, err
		}
		add(raw("(SELECT definition FROM rtcsim_sql_modules WHERE object_id = ("))
		add(args[0]...)
		add(raw("))"))
	case "COLUMNPROPERTY":
		if err := nargs(3, 3); err != nil {
			return nil, err
		}
		prop := args[2]
		if len(prop) != 1 || prop[0].kind != tString {
			return nil, unsupported("COLUMNPROPERTY with a property that is not a string literal")
		}
		col := columnProperties[strings.ToLower(prop[0].text)]
		if col == "" {
			return nil, unsupported("COLUMNPROPERTY property '%s' (served: IsIdentity, IsComputed, ColumnId)", prop[0].text)
		}
		add(raw("(SELECT " + col + " FROM rtcsim_columns WHERE object_id = ("))
		add(args[0]...)
		add(raw(") AND name = ("))
		add(args[1]...)
		add(raw("))"))
	}
	return out, nil
}

// matchingParen returns the index of the ')' closing the '(' at open, or -1.
func matchingParen(toks []token, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch {
		case toks[i].op("("):
			depth++
		case toks[i].op(")"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// splitArgs splits a call's argument tokens at the commas of depth 0.
func splitArgs(toks []token) [][]token {
	if len(toks) == 0 {
		return nil
	}
	var out [][]token
	depth, start := 0, 0
	for i, t := range toks {
		switch {
		case t.op("("):
			depth++
		case t.op(")"):
			depth--
		case depth == 0 && t.op(","):
			out = append(out, toks[start:i])
			start = i + 1
		}
	}
	return append(out, toks[start:])
}

// selectListHints returns, for each item of the outermost select list that
// is one catalog function call (with or without an alias), its type.
func selectListHints(toks []token) []SQLType {
	i := 1
	if i < len(toks) && (toks[i].is("DISTINCT") || toks[i].is("ALL")) {
		i++
	}
	if i < len(toks) && toks[i].is("TOP") {
		if _, end, err := topExpr(toks, i+1); err == nil {
			i = end
		}
	}
	end := len(toks)
	depth := 0
	for j := i; j < len(toks); j++ {
		switch {
		case toks[j].op("("):
			depth++
		case toks[j].op(")"):
			depth--
		case depth == 0 && toks[j].is("FROM"):
			end = j
		}
		if end != len(toks) {
			break
		}
	}
	var hints []SQLType
	found := false
	for _, item := range splitArgs(toks[i:end]) {
		var h SQLType
		if len(item) >= 3 && item[0].kind == tWord && item[1].op("(") {
			if typ, ok := catalogFunctions[strings.ToUpper(item[0].text)]; ok {
				close := matchingParen(item, 1)
				rest := item[close+1:]
				if len(rest) > 0 && rest[0].is("AS") {
					rest = rest[1:]
				}
				if close > 0 && (len(rest) == 0 || (len(rest) == 1 && rest[0].ident())) {
					h, found = typ, true
				}
			}
		}
		hints = append(hints, h)
	}
	if !found {
		return nil
	}
	return hints
}
