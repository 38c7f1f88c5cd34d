package rtcsim

import (
	"fmt"
	"math"
	"strings"
)

// Computed columns (Name AS (expr) in a schema file) become SQLite generated
// columns. rtcsim serves the small expression language a schema needs to
// have one: integer literals and columns, + - * / %, parentheses,
// DATALENGTH(column) and ISNULL(a, b). The column's type is the type SQL
// Server would give the expression: DATALENGTH is int (bigint for a MAX
// column), arithmetic is int unless an operand is bigint.

// compileComputed returns the SQLite expression and the SQL Server type of
// the computed column expression expr of table t.
func compileComputed(t *Table, expr string) (string, SQLType, error) {
	toks, err := lex(expr)
	if err != nil {
		return "", SQLType{}, err
	}
	c := &computedCompiler{t: t, toks: toks}
	out, typ, err := c.expr()
	if err != nil {
		return "", SQLType{}, err
	}
	if c.i < len(c.toks) {
		return "", SQLType{}, fmt.Errorf("unexpected %q", c.toks[c.i].text)
	}
	return out, typ, nil
}

type computedCompiler struct {
	t    *Table
	toks []token
	i    int
}

func (c *computedCompiler) peek() token {
	if c.i >= len(c.toks) {
		return token{text: "end of expression"}
	}
	return c.toks[c.i]
}

func (c *computedCompiler) expect(op string) error {
	if t := c.peek(); !t.op(op) {
		return fmt.Errorf("want %q, got %q", op, t.text)
	}
	c.i++
	return nil
}

func (c *computedCompiler) expr() (string, SQLType, error) {
	return c.binary([]string{"+", "-"}, c.term)
}

func (c *computedCompiler) term() (string, SQLType, error) {
	return c.binary([]string{"*", "/", "%"}, c.unary)
}

func (c *computedCompiler) binary(ops []string, operand func() (string, SQLType, error)) (string, SQLType, error) {
	out, typ, err := operand()
	if err != nil {
		return "", typ, err
	}
	for c.i < len(c.toks) && c.peek().kind == tOp && slicesContainFold(ops, c.peek().text) {
		op := c.toks[c.i].text
		c.i++
		right, rt, err := operand()
		if err != nil {
			return "", typ, err
		}
		if !typ.isInteger() || !rt.isInteger() {
			return "", typ, fmt.Errorf("%s on a non-integer operand (rtcsim computes integer arithmetic only)", op)
		}
		out = "(" + out + " " + op + " " + right + ")"
		typ = widerInteger(typ, rt)
	}
	return out, typ, nil
}

// widerInteger is the type of integer arithmetic: int, or bigint when either side is.
func widerInteger(a, b SQLType) SQLType {
	if a.Name == "bigint" || b.Name == "bigint" {
		return SQLType{Name: "bigint"}
	}
	return SQLType{Name: "int"}
}

func (c *computedCompiler) unary() (string, SQLType, error) {
	if c.peek().op("-") {
		c.i++
		out, typ, err := c.unary()
		if err == nil && !typ.isInteger() {
			err = fmt.Errorf("- on a non-integer operand")
		}
		return "(-" + out + ")", widerInteger(typ, typ), err
	}
	return c.primary()
}

func (c *computedCompiler) primary() (string, SQLType, error) {
	t := c.peek()
	c.i++
	switch {
	case t.op("("):
		out, typ, err := c.expr()
		if err != nil {
			return "", typ, err
		}
		return "(" + out + ")", typ, c.expect(")")
	case t.kind == tNumber:
		var n float64
		if _, err := fmt.Sscan(t.text, &n); err != nil || n != math.Trunc(n) || strings.ContainsAny(t.text, ".eE") {
			return "", SQLType{}, fmt.Errorf("literal %s: integers only", t.text)
		}
		if n > math.MaxInt32 || n < math.MinInt32 {
			return t.text, SQLType{Name: "bigint"}, nil
		}
		return t.text, SQLType{Name: "int"}, nil
	case t.is("DATALENGTH"):
		col, err := c.columnArg()
		if err != nil {
			return "", SQLType{}, fmt.Errorf("DATALENGTH: %w", err)
		}
		typ := SQLType{Name: "int"}
		if col.Type.Len == -1 {
			typ.Name = "bigint"
		}
		q := quoteIdent(col.Name)
		switch {
		case col.Type.Name == "nvarchar" || col.Type.Name == "nchar":
			return "(2 * length(" + q + "))", typ, nil
		case col.Type.isText():
			return "length(CAST(" + q + " AS BLOB))", typ, nil
		case col.Type.isBinary():
			return "length(" + q + ")", typ, nil
		}
		return "", typ, fmt.Errorf("DATALENGTH of %s (%s): string or binary columns only", col.Name, col.Type)
	case t.is("ISNULL"):
		if err := c.expect("("); err != nil {
			return "", SQLType{}, err
		}
		a, at, err := c.expr()
		if err != nil {
			return "", at, err
		}
		if err := c.expect(","); err != nil {
			return "", at, err
		}
		b, _, err := c.expr()
		if err != nil {
			return "", at, err
		}
		return "IFNULL(" + a + ", " + b + ")", at, c.expect(")")
	case t.ident():
		col := c.t.Column(t.text)
		if col == nil {
			return "", SQLType{}, fmt.Errorf("no column %s", t.text)
		}
		if col.Computed != "" {
			return "", SQLType{}, fmt.Errorf("column %s is computed itself", col.Name)
		}
		typ := col.Type
		typ.Alias = ""
		return quoteIdent(col.Name), typ, nil
	}
	return "", SQLType{}, fmt.Errorf("%q is not served in a computed column (integers, columns, + - * / %%, DATALENGTH, ISNULL)", t.text)
}

func (c *computedCompiler) columnArg() (*Column, error) {
	if err := c.expect("("); err != nil {
		return nil, err
	}
	t := c.peek()
	c.i++
	col := c.t.Column(t.text)
	if !t.ident() || col == nil {
		return nil, fmt.Errorf("want a column of the table, got %q", t.text)
	}
	return col, c.expect(")")
}
