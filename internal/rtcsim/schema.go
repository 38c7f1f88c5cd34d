package rtcsim

import (
	"bufio"
	"fmt"
	"strings"
)

// A schema file is plain T-SQL CREATE TABLE / CREATE INDEX text, statements
// ending with ';', plus structured comments that declare the stored
// procedures rtcsim serves over RPC:
//
//	-- PROCEDURE dbo.RtcpDeleteHomedResourceTransaction (@_ResourceId INT)
//	-- TOUCHES Contact(OwnerId), ContactGroup(OwnerId)
//
// TOUCHES lines (any number) belong to the PROCEDURE line above them and
// name each table the procedure deletes from, with the column that holds the
// procedure's first argument. Other comments are free text.

// Schema is a parsed schema file; it keeps the declared SQL Server types
// that SQLite loses.
type Schema struct {
	Tables  []*Table
	Indexes []*Index
	Procs   []*Procedure
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
}

// Index is a CREATE [UNIQUE] INDEX.
type Index struct {
	Name, Table string
	Columns     []string
	Unique      bool
}

// Procedure is a declared stored procedure.
type Procedure struct {
	Name    string // without schema
	Params  []Param
	Touches []Touch
}

// Param is a procedure parameter; Name includes the @.
type Param struct {
	Name string
	Type SQLType
}

// Touch is a table a procedure deletes from and the column keyed by its first argument.
type Touch struct{ Table, Key string }

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

// ParseSchema parses a schema file.
func ParseSchema(text string) (*Schema, error) {
	s := &Schema{}
	if err := s.parseProcComments(text); err != nil {
		return nil, err
	}
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
		if err := s.parseStatement(&parser{toks: toks[:end]}); err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
		toks = toks[end+1:]
	}
	return s, s.validate()
}

func (s *Schema) parseProcComments(text string) error {
	var cur *Procedure
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(l, "--") {
			cur = nil
			continue
		}
		body := strings.TrimSpace(strings.TrimPrefix(l, "--"))
		word, rest, _ := strings.Cut(body, " ")
		switch word {
		case "PROCEDURE":
			p, err := parseProcDecl(rest)
			if err != nil {
				return fmt.Errorf("schema line %d: %w", line, err)
			}
			s.Procs = append(s.Procs, p)
			cur = p
		case "TOUCHES":
			if cur == nil {
				return fmt.Errorf("schema line %d: TOUCHES without a PROCEDURE line above it", line)
			}
			ts, err := parseTouches(rest)
			if err != nil {
				return fmt.Errorf("schema line %d: %w", line, err)
			}
			cur.Touches = append(cur.Touches, ts...)
		}
	}
	return sc.Err()
}

// parseProcDecl parses "dbo.Name (@a INT, @b NVARCHAR(10))".
func parseProcDecl(text string) (*Procedure, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
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
		proc.Params = append(proc.Params, Param{Name: "@" + t.text, Type: typ})
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
	if c.Type, err = p.sqlType(); err != nil {
		return fmt.Errorf("column %s: %w", c.Name, err)
	}
	for !p.done() && !p.peekOp(",") && !p.peekOp(")") {
		switch {
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

// parser walks the tokens of one schema statement.
type parser struct {
	toks []token
	i    int
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

// sqlType reads INT, NVARCHAR(454), VARBINARY(MAX), DATETIME2(3).
func (p *parser) sqlType() (SQLType, error) {
	t := p.next()
	if !t.ident() {
		return SQLType{}, fmt.Errorf("want a type, got %q", t.text)
	}
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

// literal reads a DEFAULT value: 1, -1, N'x', (1), ((1)).
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
		if !t.is("NULL") {
			return "", fmt.Errorf("DEFAULT %s is not supported (literals only)", t.text)
		}
		lit = "NULL"
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
