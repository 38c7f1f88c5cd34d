package rtcsim

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// A schema file is plain T-SQL — CREATE TYPE (alias types), CREATE TABLE and
// CREATE INDEX statements ending with ';' — plus structured comments that
// declare the stored procedures rtcsim serves over RPC:
//
//	-- PROCEDURE dbo.RtcpDeleteHomedResourceTransaction (@_ResourceId ResourceId)
//	-- TOUCHES Contact(OwnerId), ContactGroup(OwnerId)
//	-- DEFINITION
//	-- | CREATE PROCEDURE dbo.RtcpDeleteHomedResourceTransaction @_ResourceId ResourceId AS
//	-- | DELETE FROM dbo.Contact WHERE OwnerId = @_ResourceId …
//
// TOUCHES lines (any number) belong to the PROCEDURE line above them, in the
// same comment block, and name each table the procedure deletes from with
// the column that holds the procedure's first argument. A parameter may be
// followed by OUTPUT (INFORMATION_SCHEMA.PARAMETERS shows it INOUT).
// DEFINITION declares the text OBJECT_DEFINITION and ROUTINES.ROUTINE_DEFINITION
// return: the lines that follow starting "-- |" ("-- | " removed, lines joined
// with CRLF). "-- DEFINITION ENCRYPTED" (created WITH ENCRYPTION) or no
// DEFINITION line at all (as for a login without VIEW DEFINITION) makes them NULL.
//
// "-- INCLUDE other.sql" (a file next to this one, or a short schema name)
// is replaced by that file's text when the schema is read (SchemaText);
// "-- EXTEND PROCEDURE dbo.Name" opens an included procedure again: the
// TOUCHES lines below it are added to it, a DEFINITION below it replaces its
// own. So a variant is a few lines, not a copy. Other comments are free text.

// Schema is a parsed schema file; it keeps the declared SQL Server types
// that SQLite loses.
type Schema struct {
	Types   []*AliasType
	Tables  []*Table
	Indexes []*Index
	Procs   []*Procedure
}

// AliasType is a CREATE TYPE dbo.Name FROM base [NOT NULL].
type AliasType struct {
	Name     string
	Base     SQLType
	Nullable bool
}

// Table is a CREATE TABLE.
type Table struct {
	Name       string
	Columns    []*Column
	PrimaryKey []string
	Unique     [][]string
}

// Column is one column definition.
type Column struct {
	Name     string
	Type     SQLType
	Nullable bool
	Default  string // T-SQL literal as written (1, N'x', -1), "" for none

	Identity           bool   // IDENTITY(seed, increment): generated on INSERT unless IDENTITY_INSERT is ON
	IdentitySeed, Incr int64  // IDENTITY's seed and (positive) increment; 1, 1 by default
	Computed           string // T-SQL expression of a computed column (Name AS (expr)), "" for a stored column
	Persisted          bool   // PERSISTED computed column

	computedSQL string // Computed in SQLite's spelling
}

// RowVersion reports a rowversion/timestamp column: written by the server on every INSERT and UPDATE.
func (c *Column) RowVersion() bool { return c.Type.Name == "timestamp" }

// Writable reports whether an INSERT may name the column without SET IDENTITY_INSERT:
// not identity, rowversion or computed.
func (c *Column) Writable() bool { return !c.Identity && !c.RowVersion() && c.Computed == "" }

// Index is a CREATE [UNIQUE] INDEX.
type Index struct {
	Name, Table string
	Columns     []string
	Unique      bool
}

// Procedure is a declared stored procedure.
type Procedure struct {
	Name       string // without schema
	Params     []Param
	Touches    []Touch
	Definition string // its text, when Readable
	Readable   bool   // false: OBJECT_DEFINITION returns NULL (encrypted, or no DEFINITION declared)
}

// Param is a procedure parameter; Name includes the @.
type Param struct {
	Name   string
	Type   SQLType
	Output bool
}

// Touch is a table a procedure deletes from and the column keyed by its first argument.
type Touch struct{ Table, Key string }

// Type returns the alias type named name (case-insensitive, schema prefix ignored), or nil.
func (s *Schema) Type(name string) *AliasType {
	for _, t := range s.Types {
		if strings.EqualFold(t.Name, name) {
			return t
		}
	}
	return nil
}

// Table returns the table named name (case-insensitive), or nil.
func (s *Schema) Table(name string) *Table {
	for _, t := range s.Tables {
		if strings.EqualFold(t.Name, name) {
			return t
		}
	}
	return nil
}

// Proc returns the procedure named name (case-insensitive, schema prefix and brackets ignored), or nil.
func (s *Schema) Proc(name string) *Procedure {
	for _, p := range s.Procs {
		if strings.EqualFold(p.Name, name) {
			return p
		}
	}
	return nil
}

// Column returns the column named name (case-insensitive), or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}

// ParseSchema parses a schema file (INCLUDE lines already replaced: SchemaText).
func ParseSchema(text string) (*Schema, error) {
	s := &Schema{}
	toks, err := lex(text)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	for len(toks) > 0 {
		end := 0
		for end < len(toks) && !toks[end].op(";") {
			end++
		}
		if end == len(toks) {
			return nil, fmt.Errorf("schema: statement without ';' near offset %d", toks[0].pos)
		}
		if err := s.parseStatement(&parser{toks: toks[:end], schema: s}); err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
		toks = toks[end+1:]
	}
	// After the statements: procedure parameters may have alias types.
	if err := s.parseProcComments(text); err != nil {
		return nil, err
	}
	return s, s.validate()
}

func (s *Schema) parseProcComments(text string) error {
	var cur *Procedure
	extending, defining := false, false
	textLines := map[*Procedure]int{} // "-- |" lines of each DEFINITION
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(l, "--") {
			cur, defining = nil, false
			continue
		}
		body := strings.TrimPrefix(l, "--")
		if strings.HasPrefix(strings.TrimSpace(body), "|") {
			if !defining {
				return fmt.Errorf("schema line %d: a \"-- |\" definition line without a DEFINITION line above it", line)
			}
			text := strings.TrimPrefix(strings.TrimSpace(body), "|")
			text = strings.TrimPrefix(text, " ")
			if textLines[cur] > 0 {
				cur.Definition += "\r\n"
			}
			cur.Definition += strings.TrimRight(text, " \t")
			textLines[cur]++
			continue
		}
		defining = false
		body = strings.TrimSpace(body)
		word, rest, _ := strings.Cut(body, " ")
		rest = strings.TrimSpace(rest)
		switch word {
		case "PROCEDURE":
			p, err := s.parseProcDecl(rest)
			if err != nil {
				return fmt.Errorf("schema line %d: %w", line, err)
			}
			s.Procs = append(s.Procs, p)
			cur, extending = p, false
		case "EXTEND":
			name, ok := strings.CutPrefix(rest, "PROCEDURE ")
			if !ok {
				return fmt.Errorf("schema line %d: want EXTEND PROCEDURE dbo.Name", line)
			}
			cur = s.Proc(procBaseName(name))
			if cur == nil {
				return fmt.Errorf("schema line %d: EXTEND PROCEDURE %s: no such procedure above", line, strings.TrimSpace(name))
			}
			extending = true
		case "TOUCHES":
			if cur == nil {
				return fmt.Errorf("schema line %d: TOUCHES without a PROCEDURE line above it", line)
			}
			ts, err := parseTouches(rest)
			if err != nil {
				return fmt.Errorf("schema line %d: %w", line, err)
			}
			cur.Touches = append(cur.Touches, ts...)
		case "DEFINITION":
			if cur == nil {
				return fmt.Errorf("schema line %d: DEFINITION without a PROCEDURE line above it", line)
			}
			if cur.Readable && !extending {
				return fmt.Errorf("schema line %d: procedure %s has two DEFINITIONs", line, cur.Name)
			}
			cur.Definition, cur.Readable, textLines[cur] = "", false, 0
			switch {
			case rest == "":
				defining, cur.Readable = true, true
			case strings.EqualFold(rest, "ENCRYPTED"):
			default:
				return fmt.Errorf("schema line %d: want DEFINITION or DEFINITION ENCRYPTED, got %q", line, body)
			}
		case "INCLUDE":
			return fmt.Errorf("schema line %d: INCLUDE is resolved when a schema file is read (SchemaText), not by ParseSchema", line)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	for _, p := range s.Procs {
		if p.Readable && textLines[p] == 0 {
			return fmt.Errorf("schema: procedure %s: DEFINITION without text (\"-- | …\" lines)", p.Name)
		}
	}
	return nil
}

// parseProcDecl parses "dbo.Name (@a INT, @b NVARCHAR(10) OUTPUT)".
func (s *Schema) parseProcDecl(text string) (*Procedure, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, schema: s}
	name, err := p.name()
	if err != nil {
		return nil, err
	}
	proc := &Procedure{Name: name}
	if err := p.expect("("); err != nil {
		return nil, err
	}
	for !p.peekOp(")") {
		t := p.next()
		if t.kind != tParam {
			return nil, fmt.Errorf("procedure %s: want a @parameter, got %q", name, t.text)
		}
		typ, err := p.sqlType()
		if err != nil {
			return nil, fmt.Errorf("procedure %s: %w", name, err)
		}
		prm := Param{Name: "@" + t.text, Type: typ}
		prm.Output = p.word("OUTPUT") || p.word("OUT")
		proc.Params = append(proc.Params, prm)
		if !p.peekOp(")") {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
	}
	p.next()
	if !p.done() {
		return nil, fmt.Errorf("procedure %s: unexpected %q", name, p.peek().text)
	}
	return proc, nil
}

// parseTouches parses "A(Key), B(Key)".
func parseTouches(text string) ([]Touch, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	var out []Touch
	for !p.done() {
		table, err := p.name()
		if err != nil {
			return nil, err
		}
		if err := p.expect("("); err != nil {
			return nil, fmt.Errorf("TOUCHES %s: want (KeyColumn)", table)
		}
		key := p.next()
		if !key.ident() {
			return nil, fmt.Errorf("TOUCHES %s: want a key column", table)
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		out = append(out, Touch{Table: table, Key: key.text})
		if !p.done() {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (s *Schema) parseStatement(p *parser) error {
	if !p.word("CREATE") {
		return fmt.Errorf("only CREATE TABLE and CREATE INDEX are allowed, got %q", p.peek().text)
	}
	if p.word("TABLE") {
		return s.parseTable(p)
	}
	if p.word("TYPE") {
		return s.parseType(p)
	}
	unique := p.word("UNIQUE")
	p.word("CLUSTERED")
	p.word("NONCLUSTERED")
	if !p.word("INDEX") {
		return fmt.Errorf("CREATE %s is not allowed", p.peek().text)
	}
	ix := &Index{Unique: unique}
	t := p.next()
	if !t.ident() {
		return fmt.Errorf("CREATE INDEX: want a name")
	}
	ix.Name = t.text
	if !p.word("ON") {
		return fmt.Errorf("CREATE INDEX %s: want ON", ix.Name)
	}
	var err error
	if ix.Table, err = p.name(); err != nil {
		return err
	}
	if ix.Columns, err = p.columnList(); err != nil {
		return fmt.Errorf("index %s: %w", ix.Name, err)
	}
	s.Indexes = append(s.Indexes, ix)
	return p.end()
}

// parseType parses CREATE TYPE [dbo.]Name FROM base [NULL | NOT NULL].
func (s *Schema) parseType(p *parser) error {
	name, err := p.name()
	if err != nil {
		return err
	}
	if !p.word("FROM") {
		return fmt.Errorf("CREATE TYPE %s: want FROM <base type> (alias types only)", name)
	}
	base, err := p.sqlType()
	if err != nil {
		return fmt.Errorf("CREATE TYPE %s: %w", name, err)
	}
	if base.Alias != "" || base.Name == "timestamp" {
		return fmt.Errorf("CREATE TYPE %s: the base must be a system type other than timestamp", name)
	}
	at := &AliasType{Name: name, Base: base, Nullable: true}
	switch {
	case p.word("NOT"):
		if !p.word("NULL") {
			return fmt.Errorf("CREATE TYPE %s: want NOT NULL", name)
		}
		at.Nullable = false
	case p.word("NULL"):
	}
	if s.Type(name) != nil {
		return fmt.Errorf("type %s declared twice", name)
	}
	s.Types = append(s.Types, at)
	return p.end()
}

func (s *Schema) parseTable(p *parser) error {
	name, err := p.name()
	if err != nil {
		return err
	}
	t := &Table{Name: name}
	if err := p.expect("("); err != nil {
		return err
	}
	for {
		if err := t.parseItem(p); err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		if p.peekOp(",") {
			p.next()
			continue
		}
		if err := p.expect(")"); err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		break
	}
	for _, c := range t.Columns {
		if c.Computed == "" {
			continue
		}
		var err error
		if c.computedSQL, c.Type, err = compileComputed(t, c.Computed); err != nil {
			return fmt.Errorf("table %s: computed column %s: %w", name, c.Name, err)
		}
	}
	s.Tables = append(s.Tables, t)
	return p.end()
}

func (t *Table) parseItem(p *parser) error {
	if p.word("CONSTRAINT") {
		p.next() // constraint name
	}
	switch {
	case p.word("PRIMARY"):
		if !p.word("KEY") {
			return fmt.Errorf("want PRIMARY KEY")
		}
		p.word("CLUSTERED")
		p.word("NONCLUSTERED")
		cols, err := p.columnList()
		if err != nil {
			return err
		}
		if t.PrimaryKey != nil {
			return fmt.Errorf("two primary keys")
		}
		t.PrimaryKey = cols
		return nil
	case p.word("UNIQUE"):
		p.word("CLUSTERED")
		p.word("NONCLUSTERED")
		cols, err := p.columnList()
		if err != nil {
			return err
		}
		t.Unique = append(t.Unique, cols)
		return nil
	}
	nameTok := p.next()
	if !nameTok.ident() {
		return fmt.Errorf("want a column name, got %q", nameTok.text)
	}
	c := &Column{Name: nameTok.text, Nullable: true}
	var err error
	if p.word("AS") {
		if c.Computed, err = p.parenthesized(); err != nil {
			return fmt.Errorf("computed column %s: %w", c.Name, err)
		}
		c.Persisted = p.word("PERSISTED")
	} else {
		if c.Type, err = p.sqlType(); err != nil {
			return fmt.Errorf("column %s: %w", c.Name, err)
		}
		if c.Type.Alias != "" {
			c.Nullable = p.schema.Type(c.Type.Alias).Nullable
		}
	}
	for !p.done() && !p.peekOp(",") && !p.peekOp(")") {
		switch {
		case p.word("IDENTITY"):
			if c.Identity {
				return fmt.Errorf("column %s: IDENTITY twice", c.Name)
			}
			c.Identity, c.IdentitySeed, c.Incr = true, 1, 1
			c.Nullable = false
			if p.peekOp("(") {
				p.next()
				if c.IdentitySeed, err = p.integer(); err == nil {
					if err = p.expect(","); err == nil {
						if c.Incr, err = p.integer(); err == nil {
							err = p.expect(")")
						}
					}
				}
				if err != nil {
					return fmt.Errorf("column %s: IDENTITY(seed, increment): %w", c.Name, err)
				}
			}
		case p.word("NOT"):
			if !p.word("NULL") {
				return fmt.Errorf("column %s: want NOT NULL", c.Name)
			}
			c.Nullable = false
		case p.word("NULL"):
			c.Nullable = true
		case p.word("PRIMARY"):
			if !p.word("KEY") {
				return fmt.Errorf("column %s: want PRIMARY KEY", c.Name)
			}
			p.word("CLUSTERED")
			p.word("NONCLUSTERED")
			if t.PrimaryKey != nil {
				return fmt.Errorf("two primary keys")
			}
			t.PrimaryKey = []string{c.Name}
			c.Nullable = false
		case p.word("UNIQUE"):
			t.Unique = append(t.Unique, []string{c.Name})
		case p.word("CONSTRAINT"):
			p.next()
		case p.word("DEFAULT"):
			if c.Default, err = p.literal(); err != nil {
				return fmt.Errorf("column %s: %w", c.Name, err)
			}
		default:
			return fmt.Errorf("column %s: unexpected %q", c.Name, p.peek().text)
		}
	}
	t.Columns = append(t.Columns, c)
	return nil
}

// validate checks that every key, index and TOUCHES names a real column.
func (s *Schema) validate() error {
	seen := map[string]bool{}
	for _, t := range s.Tables {
		if seen[strings.ToLower(t.Name)] {
			return fmt.Errorf("schema: table %s declared twice", t.Name)
		}
		seen[strings.ToLower(t.Name)] = true
		cols := append([][]string{t.PrimaryKey}, t.Unique...)
		for _, set := range cols {
			for _, c := range set {
				if t.Column(c) == nil {
					return fmt.Errorf("schema: table %s: key column %s does not exist", t.Name, c)
				}
			}
		}
		for _, c := range t.PrimaryKey {
			t.Column(c).Nullable = false
		}
		if err := t.validateGenerated(); err != nil {
			return fmt.Errorf("schema: table %s: %w", t.Name, err)
		}
	}
	for _, ix := range s.Indexes {
		t := s.Table(ix.Table)
		if t == nil {
			return fmt.Errorf("schema: index %s on unknown table %s", ix.Name, ix.Table)
		}
		for _, c := range ix.Columns {
			if t.Column(c) == nil {
				return fmt.Errorf("schema: index %s: column %s does not exist", ix.Name, c)
			}
		}
	}
	for _, p := range s.Procs {
		if seen[strings.ToLower(p.Name)] {
			return fmt.Errorf("schema: name %s declared twice", p.Name)
		}
		seen[strings.ToLower(p.Name)] = true
		for _, tc := range p.Touches {
			t := s.Table(tc.Table)
			if t == nil {
				return fmt.Errorf("schema: procedure %s touches unknown table %s", p.Name, tc.Table)
			}
			if t.Column(tc.Key) == nil {
				return fmt.Errorf("schema: procedure %s: %s has no column %s", p.Name, tc.Table, tc.Key)
			}
		}
		if len(p.Touches) > 0 && len(p.Params) == 0 {
			return fmt.Errorf("schema: procedure %s touches tables but takes no parameter", p.Name)
		}
	}
	return nil
}

// validateGenerated checks the IDENTITY, rowversion and computed columns
// against what SQL Server allows and rtcsim serves.
func (t *Table) validateGenerated() error {
	identities, versions := 0, 0
	for _, c := range t.Columns {
		switch {
		case c.Identity:
			identities++
			if !c.Type.isInteger() || c.Type.Name == "bit" {
				return fmt.Errorf("IDENTITY column %s must have an integer type", c.Name)
			}
			if c.Incr <= 0 {
				return fmt.Errorf("IDENTITY column %s: rtcsim serves positive increments only", c.Name)
			}
		case c.RowVersion():
			versions++
		}
		if (c.Identity || c.RowVersion() || c.Computed != "") && c.Default != "" {
			return fmt.Errorf("column %s: a DEFAULT on an IDENTITY, rowversion or computed column", c.Name)
		}
		if c.Computed != "" && (c.Identity || slicesContainFold(t.PrimaryKey, c.Name)) {
			return fmt.Errorf("computed column %s: not in IDENTITY or a PRIMARY KEY (rtcsim)", c.Name)
		}
	}
	if identities > 1 {
		return fmt.Errorf("more than one IDENTITY column")
	}
	if versions > 1 {
		return fmt.Errorf("more than one timestamp (rowversion) column")
	}
	return nil
}

func slicesContainFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// parser walks the tokens of one schema statement.
type parser struct {
	toks   []token
	i      int
	schema *Schema // the alias types declared so far
}

// integer reads an optionally negative integer literal.
func (p *parser) integer() (int64, error) {
	neg := p.peekOp("-")
	if neg {
		p.next()
	}
	t := p.next()
	n, err := strconv.ParseInt(t.text, 10, 64)
	if t.kind != tNumber || err != nil {
		return 0, fmt.Errorf("want an integer, got %q", t.text)
	}
	if neg {
		n = -n
	}
	return n, nil
}

// parenthesized reads "( … )" with nested parentheses and returns the tokens
// inside as T-SQL text (one space between tokens).
func (p *parser) parenthesized() (string, error) {
	if err := p.expect("("); err != nil {
		return "", err
	}
	depth := 1
	var parts []string
	for !p.done() {
		t := p.next()
		switch {
		case t.op("("):
			depth++
		case t.op(")"):
			depth--
			if depth == 0 {
				return strings.Join(parts, " "), nil
			}
		}
		parts = append(parts, tokenText(t))
	}
	return "", fmt.Errorf("missing )")
}

// tokenText is a token as T-SQL spells it.
func tokenText(t token) string {
	switch t.kind {
	case tQuoted:
		return "[" + strings.ReplaceAll(t.text, "]", "]]") + "]"
	case tString:
		return "N'" + strings.ReplaceAll(t.text, "'", "''") + "'"
	case tHex:
		return "0x" + t.text
	case tParam:
		return "@" + t.text
	case tSysVar:
		return "@@" + t.text
	}
	return t.text
}

func (p *parser) done() bool { return p.i >= len(p.toks) }

func (p *parser) peek() token {
	if p.done() {
		return token{text: "end of statement"}
	}
	return p.toks[p.i]
}

func (p *parser) next() token {
	t := p.peek()
	p.i++
	return t
}

func (p *parser) peekOp(op string) bool { return p.peek().op(op) }

func (p *parser) word(kw string) bool {
	if p.peek().is(kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expect(op string) error {
	if t := p.next(); !t.op(op) {
		return fmt.Errorf("want %q, got %q", op, t.text)
	}
	return nil
}

func (p *parser) end() error {
	if !p.done() {
		return fmt.Errorf("unexpected %q", p.peek().text)
	}
	return nil
}

// name reads [db.][dbo.]Name and returns Name.
func (p *parser) name() (string, error) {
	t := p.next()
	if !t.ident() {
		return "", fmt.Errorf("want a name, got %q", t.text)
	}
	name := t.text
	for p.peekOp(".") {
		p.next()
		t = p.next()
		if !t.ident() {
			return "", fmt.Errorf("want a name after '.', got %q", t.text)
		}
		name = t.text
	}
	return name, nil
}

// sqlType reads INT, NVARCHAR(454), VARBINARY(MAX), DATETIME2(3), or the
// name of an alias type declared above ([dbo.]ResourceId).
func (p *parser) sqlType() (SQLType, error) {
	t := p.peek()
	if !t.ident() {
		return SQLType{}, fmt.Errorf("want a type, got %q", t.text)
	}
	if p.schema != nil {
		save := p.i
		if name, err := p.name(); err == nil {
			if at := p.schema.Type(name); at != nil {
				typ := at.Base
				typ.Alias = at.Name
				return typ, nil
			}
		}
		p.i = save
	}
	p.next()
	text := t.text
	if p.peekOp("(") {
		p.next()
		arg := p.next()
		if err := p.expect(")"); err != nil {
			return SQLType{}, err
		}
		text += "(" + arg.text + ")"
	}
	return ParseSQLType(text)
}

// columnList reads (a, b [ASC|DESC], c).
func (p *parser) columnList() ([]string, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var cols []string
	for {
		t := p.next()
		if !t.ident() {
			return nil, fmt.Errorf("want a column name, got %q", t.text)
		}
		cols = append(cols, t.text)
		p.word("ASC")
		p.word("DESC")
		if p.peekOp(",") {
			p.next()
			continue
		}
		return cols, p.expect(")")
	}
}

// literal reads a DEFAULT value: 1, -1, N'x', (1), ((1)), GETUTCDATE().
func (p *parser) literal() (string, error) {
	depth := 0
	for p.peekOp("(") {
		p.next()
		depth++
	}
	neg := ""
	if p.peekOp("-") {
		p.next()
		neg = "-"
	}
	t := p.next()
	var lit string
	switch t.kind {
	case tNumber:
		lit = neg + t.text
	case tString:
		if neg != "" {
			return "", fmt.Errorf("bad default")
		}
		lit = "N'" + strings.ReplaceAll(t.text, "'", "''") + "'"
	case tWord:
		switch {
		case t.is("NULL"):
			lit = "NULL"
		case (t.is("GETDATE") || t.is("GETUTCDATE")) && p.peekOp("(") && neg == "":
			p.next()
			if err := p.expect(")"); err != nil {
				return "", err
			}
			lit = strings.ToLower(t.text) + "()"
		default:
			return "", fmt.Errorf("DEFAULT %s is not supported (literals, GETDATE() and GETUTCDATE() only)", t.text)
		}
	default:
		return "", fmt.Errorf("bad default %q", t.text)
	}
	for ; depth > 0; depth-- {
		if err := p.expect(")"); err != nil {
			return "", err
		}
	}
	return lit, nil
}
