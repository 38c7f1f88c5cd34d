package rtcsim

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// SQLType is a column or parameter type in SQL Server's spelling, kept from
// the schema file because SQLite forgets it.
type SQLType struct {
	Name  string // lower case: int, bigint, smallint, tinyint, bit, float, real, nvarchar, nchar, varchar, char, varbinary, binary, datetime, datetime2, smalldatetime, uniqueidentifier, timestamp (rowversion)
	Len   int    // characters (n…char) or bytes (binary); -1 = MAX; 0 = no length
	Scale int    // fractional-second digits of datetime2
	Alias string // user-defined alias type (CREATE TYPE dbo.ResourceId FROM int) whose base type Name is; "" for a system type
}

var typeNames = map[string]bool{
	"int": true, "bigint": true, "smallint": true, "tinyint": true, "bit": true,
	"float": true, "real": true,
	"nvarchar": true, "nchar": true, "varchar": true, "char": true,
	"varbinary": true, "binary": true,
	"datetime": true, "datetime2": true, "smalldatetime": true, "uniqueidentifier": true,
	"timestamp": true, "rowversion": true,
}

// ParseSQLType parses "NVARCHAR(454)", "nvarchar(max)", "VARBINARY(-1)" (the
// SQLite spelling of MAX), "DATETIME2(3)", "INT".
func ParseSQLType(s string) (SQLType, error) {
	s = strings.TrimSpace(s)
	name, arg := s, ""
	if i := strings.IndexByte(s, '('); i >= 0 {
		if !strings.HasSuffix(s, ")") {
			return SQLType{}, fmt.Errorf("type %q: missing )", s)
		}
		name, arg = strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:len(s)-1])
	}
	t := SQLType{Name: strings.ToLower(name)}
	if !typeNames[t.Name] {
		return SQLType{}, fmt.Errorf("type %q is not supported by rtcsim", s)
	}
	if t.Name == "rowversion" { // the synonym SQL Server's catalog never shows
		t.Name = "timestamp"
	}
	switch t.Name {
	case "nvarchar", "nchar", "varchar", "char", "varbinary", "binary":
		switch {
		case arg == "":
			t.Len = 1 // SQL Server's default length in a declaration
		case strings.EqualFold(arg, "max") || arg == "-1":
			if t.Name == "nchar" || t.Name == "char" || t.Name == "binary" {
				return SQLType{}, fmt.Errorf("type %q: MAX needs a var type", s)
			}
			t.Len = -1
		default:
			n, err := strconv.Atoi(arg)
			limit := 8000
			if t.Name[0] == 'n' {
				limit = 4000
			}
			if err != nil || n < 1 || n > limit {
				return SQLType{}, fmt.Errorf("type %q: bad length", s)
			}
			t.Len = n
		}
	case "datetime2":
		t.Scale = 7
		if arg != "" {
			n, err := strconv.Atoi(arg)
			if err != nil || n < 0 || n > 7 {
				return SQLType{}, fmt.Errorf("type %q: bad scale", s)
			}
			t.Scale = n
		}
	default:
		if arg != "" {
			return SQLType{}, fmt.Errorf("type %q takes no length", s)
		}
	}
	return t, nil
}

// String is the T-SQL spelling: nvarchar(454), varbinary(max), int; an
// alias type by its name.
func (t SQLType) String() string {
	switch {
	case t.Alias != "":
		return t.Alias
	case t.Len == -1:
		return t.Name + "(max)"
	case t.Len > 0:
		return fmt.Sprintf("%s(%d)", t.Name, t.Len)
	case t.Name == "datetime2" && t.Scale != 7:
		return fmt.Sprintf("datetime2(%d)", t.Scale)
	}
	return t.Name
}

// sqliteDecl is the type written into the SQLite DDL: upper-case T-SQL with
// MAX as -1, so that sqlite3_column_decltype hands it back to the result writer.
// An alias type is written as its base type; timestamp as the binary(8) it
// goes on the wire as.
func (t SQLType) sqliteDecl() string {
	switch {
	case t.Name == "timestamp":
		return "BINARY(8)"
	case t.Len != 0:
		return fmt.Sprintf("%s(%d)", strings.ToUpper(t.Name), t.Len)
	case t.Name == "datetime2":
		return fmt.Sprintf("DATETIME2(%d)", t.Scale)
	}
	return strings.ToUpper(t.Name)
}

func (t SQLType) isText() bool {
	switch t.Name {
	case "nvarchar", "nchar", "varchar", "char":
		return true
	}
	return false
}

func (t SQLType) isBinary() bool { return t.Name == "varbinary" || t.Name == "binary" }

func (t SQLType) isInteger() bool {
	switch t.Name {
	case "int", "bigint", "smallint", "tinyint", "bit":
		return true
	}
	return false
}

// sqliteCheck returns the CHECK constraint expressions that make SQLite
// refuse what SQL Server refuses for this type: wrong storage class and
// over-long strings. Names are decoded again by (*Server).checkError.
func (t SQLType) sqliteCheck(table, col string) []string {
	q := quoteIdent(col)
	var out []string
	typ := func(expr string) {
		out = append(out, fmt.Sprintf("CONSTRAINT ck_type__%s__%s CHECK (%s IS NULL OR %s)", table, col, q, expr))
	}
	switch {
	case t.Name == "bit":
		typ(q + " IN (0, 1)")
	case t.Name == "tinyint":
		typ(fmt.Sprintf("(typeof(%s) = 'integer' AND %s BETWEEN 0 AND 255)", q, q))
	case t.Name == "smallint":
		typ(fmt.Sprintf("(typeof(%s) = 'integer' AND %s BETWEEN -32768 AND 32767)", q, q))
	case t.Name == "int":
		typ(fmt.Sprintf("(typeof(%s) = 'integer' AND %s BETWEEN -2147483648 AND 2147483647)", q, q))
	case t.Name == "bigint":
		typ(fmt.Sprintf("typeof(%s) = 'integer'", q))
	case t.Name == "float" || t.Name == "real":
		typ(fmt.Sprintf("typeof(%s) IN ('integer', 'real')", q))
	case t.Name == "uniqueidentifier": // 16 bytes are turned into text by a trigger (guidTriggers)
		typ(fmt.Sprintf("(typeof(%s) = 'text' AND length(%s) = 36) OR (typeof(%s) = 'blob' AND length(%s) = 16)", q, q, q, q))
	case t.isText() || t.Name == "datetime" || t.Name == "datetime2" || t.Name == "smalldatetime":
		typ(fmt.Sprintf("typeof(%s) = 'text'", q))
	case t.isBinary():
		typ(fmt.Sprintf("typeof(%s) = 'blob'", q))
	case t.Name == "timestamp":
		typ(fmt.Sprintf("(typeof(%s) = 'blob' AND length(%s) = 8)", q, q))
	}
	if t.Len > 0 {
		out = append(out, fmt.Sprintf("CONSTRAINT ck_len__%s__%s CHECK (%s IS NULL OR length(%s) <= %d)", table, col, q, q, t.Len))
	}
	return out
}

// typeInfo is a type as SQL Server 2005's INFORMATION_SCHEMA views report it
// (DATA_TYPE is ISNULL(TYPE_NAME(system_type_id), …): an alias type shows its
// base type; its own name is DOMAIN_NAME).
type typeInfo struct {
	dataType                                          string
	charMax, octets, numPrec, radix, numScale, dtPrec sql.NullInt64
	domain                                            sql.NullString
}

// domainOwner is the catalog and schema of an alias type (DOMAIN_CATALOG and
// DOMAIN_SCHEMA; the USER_DEFINED_TYPE_ ones of a parameter): NULL for a system type.
func (ti typeInfo) domainOwner(db string) (catalog, schema sql.NullString) {
	if !ti.domain.Valid {
		return
	}
	return sql.NullString{String: db, Valid: true}, sql.NullString{String: "dbo", Valid: true}
}

// infoSchema returns t as INFORMATION_SCHEMA reports it.
func (t SQLType) infoSchema() typeInfo {
	var ti typeInfo
	ti.dataType = t.Name
	if t.Alias != "" {
		ti.domain = sql.NullString{String: t.Alias, Valid: true}
	}
	some := func(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: true} }
	charMax, octets, numPrec, radix, numScale, dtPrec := &ti.charMax, &ti.octets, &ti.numPrec, &ti.radix, &ti.numScale, &ti.dtPrec
	switch t.Name {
	case "nvarchar", "nchar":
		*charMax = some(int64(t.Len))
		*octets = some(int64(2 * t.Len))
		if t.Len == -1 {
			*octets = some(-1)
		}
	case "varchar", "char", "varbinary", "binary":
		*charMax, *octets = some(int64(t.Len)), some(int64(t.Len))
	case "tinyint":
		*numPrec, *radix, *numScale = some(3), some(10), some(0)
	case "smallint":
		*numPrec, *radix, *numScale = some(5), some(10), some(0)
	case "int":
		*numPrec, *radix, *numScale = some(10), some(10), some(0)
	case "bigint":
		*numPrec, *radix, *numScale = some(19), some(10), some(0)
	case "float":
		*numPrec, *radix = some(53), some(2)
	case "real":
		*numPrec, *radix = some(24), some(2)
	case "datetime":
		*dtPrec = some(3)
	case "smalldatetime":
		*dtPrec = some(0)
	case "datetime2":
		*dtPrec = some(int64(t.Scale))
	}
	return ti
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
