package rtcsim

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// sqliteDDL returns the SQLite statements that create the tables and
// indexes of s. Declared types are kept as SQLite type names, text columns
// compare case-insensitively (COLLATE NOCASE, like the rtc collation), and
// CHECK constraints refuse what SQL Server's types would refuse.
func (s *Schema) sqliteDDL() []string {
	var out []string
	for _, t := range s.Tables {
		out = append(out, t.sqliteDDL())
	}
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			if c.Type.Name == "uniqueidentifier" {
				out = append(out, guidTriggers(t.Name, c.Name)...)
			}
		}
	}
	for _, ix := range s.Indexes {
		u := ""
		if ix.Unique {
			u = "UNIQUE "
		}
		out = append(out, fmt.Sprintf("CREATE %sINDEX %s ON %s (%s)", u, quoteIdent(ix.Name), quoteIdent(ix.Table), quoteList(ix.Columns)))
	}
	return out
}

func (t *Table) sqliteDDL() string {
	var lines, checks []string
	for _, c := range t.Columns {
		l := quoteIdent(c.Name) + " " + c.Type.sqliteDecl()
		if !c.Nullable {
			l += " NOT NULL"
		}
		if c.Default != "" {
			l += " DEFAULT " + sqliteLiteral(c.Default)
		}
		if c.Type.isText() || c.Type.Name == "uniqueidentifier" {
			l += " COLLATE NOCASE"
		}
		lines = append(lines, l)
		checks = append(checks, c.Type.sqliteCheck(t.Name, c.Name)...)
	}
	lines = append(lines, checks...)
	if len(t.PrimaryKey) > 0 {
		lines = append(lines, "PRIMARY KEY ("+quoteList(t.PrimaryKey)+")")
	}
	for _, u := range t.Unique {
		lines = append(lines, "UNIQUE ("+quoteList(u)+")")
	}
	return "CREATE TABLE " + quoteIdent(t.Name) + " (\n  " + strings.Join(lines, ",\n  ") + "\n)"
}

// guidTriggers store a uniqueidentifier given as 16 bytes (what go-mssqldb
// returns when it reads one, so what a backup re-inserts) as the canonical
// text, the way SQL Server converts binary(16) to uniqueidentifier. Plain
// SQL, so that the sqlite3 shell can still write these tables.
func guidTriggers(table, col string) []string {
	q, c := quoteIdent(table), quoteIdent(col)
	b := "NEW." + c
	byteAt := func(i int) string { return fmt.Sprintf("substr(%s, %d, 1)", b, i) }
	text := fmt.Sprintf("hex(%s || %s || %s || %s) || '-' || hex(%s || %s) || '-' || hex(%s || %s) || '-' || hex(substr(%s, 9, 2)) || '-' || hex(substr(%s, 11, 6))",
		byteAt(4), byteAt(3), byteAt(2), byteAt(1), byteAt(6), byteAt(5), byteAt(8), byteAt(7), b, b)
	body := fmt.Sprintf("WHEN typeof(%s) = 'blob' BEGIN UPDATE %s SET %s = %s WHERE rowid = NEW.rowid; END", b, q, c, text)
	name := func(op string) string { return quoteIdent("rtcsim_guid__" + table + "__" + col + "__" + op) }
	return []string{
		fmt.Sprintf("CREATE TRIGGER %s AFTER INSERT ON %s %s", name("ins"), q, body),
		fmt.Sprintf("CREATE TRIGGER %s AFTER UPDATE OF %s ON %s %s", name("upd"), c, q, body),
	}
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// sqliteLiteral turns a T-SQL default literal (N'x', 1) into SQLite's spelling.
func sqliteLiteral(lit string) string {
	if strings.HasPrefix(lit, "N'") {
		return lit[1:]
	}
	return lit
}

// columnDefault is COLUMN_DEFAULT as SQL Server shows it: ((1)), (N'x').
func columnDefault(lit string) sql.NullString {
	switch {
	case lit == "":
		return sql.NullString{}
	case strings.HasPrefix(lit, "N'"):
		return sql.NullString{String: "(" + lit + ")", Valid: true}
	}
	return sql.NullString{String: "((" + lit + "))", Valid: true}
}

// catalogSchema declares the tables behind sysobjects and the
// INFORMATION_SCHEMA views, with SQL Server's column types.
const catalogSchema = `
CREATE TABLE rtcsim_meta (name NVARCHAR(128) NOT NULL PRIMARY KEY, value NVARCHAR(MAX) NULL);
CREATE TABLE rtcsim_sysobjects (id INT NOT NULL PRIMARY KEY, name NVARCHAR(128) NOT NULL, xtype CHAR(2) NOT NULL,
  type CHAR(2) NOT NULL, uid SMALLINT NOT NULL, parent_obj INT NOT NULL, crdate DATETIME NOT NULL);
CREATE TABLE rtcsim_is_tables (TABLE_CATALOG NVARCHAR(128) NULL, TABLE_SCHEMA NVARCHAR(128) NULL,
  TABLE_NAME NVARCHAR(128) NOT NULL, TABLE_TYPE VARCHAR(10) NULL);
CREATE TABLE rtcsim_is_columns (TABLE_CATALOG NVARCHAR(128) NULL, TABLE_SCHEMA NVARCHAR(128) NULL,
  TABLE_NAME NVARCHAR(128) NOT NULL, COLUMN_NAME NVARCHAR(128) NULL, ORDINAL_POSITION INT NULL,
  COLUMN_DEFAULT NVARCHAR(4000) NULL, IS_NULLABLE VARCHAR(3) NULL, DATA_TYPE NVARCHAR(128) NULL,
  CHARACTER_MAXIMUM_LENGTH INT NULL, CHARACTER_OCTET_LENGTH INT NULL, NUMERIC_PRECISION TINYINT NULL,
  NUMERIC_SCALE INT NULL, DATETIME_PRECISION SMALLINT NULL);
CREATE TABLE rtcsim_is_routines (SPECIFIC_CATALOG NVARCHAR(128) NULL, SPECIFIC_SCHEMA NVARCHAR(128) NULL,
  SPECIFIC_NAME NVARCHAR(128) NOT NULL, ROUTINE_CATALOG NVARCHAR(128) NULL, ROUTINE_SCHEMA NVARCHAR(128) NULL,
  ROUTINE_NAME NVARCHAR(128) NOT NULL, ROUTINE_TYPE NVARCHAR(20) NULL, DATA_TYPE NVARCHAR(128) NULL);
CREATE TABLE rtcsim_is_parameters (SPECIFIC_CATALOG NVARCHAR(128) NULL, SPECIFIC_SCHEMA NVARCHAR(128) NULL,
  SPECIFIC_NAME NVARCHAR(128) NOT NULL, ORDINAL_POSITION INT NOT NULL, PARAMETER_MODE NVARCHAR(10) NULL,
  IS_RESULT NVARCHAR(10) NULL, PARAMETER_NAME NVARCHAR(128) NULL, DATA_TYPE NVARCHAR(128) NULL,
  CHARACTER_MAXIMUM_LENGTH INT NULL, NUMERIC_PRECISION TINYINT NULL, NUMERIC_SCALE INT NULL);
`

// Object ids are deterministic so that a probe log reads the same every run.
const firstObjectID = 245575913

// createSchema creates s and the catalog in an empty database, in one transaction.
func createSchema(ctx context.Context, db *sql.DB, s *Schema, dbName, schemaName, schemaText string) error {
	cat, err := ParseSchema(catalogSchema)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range append(cat.sqliteDDL(), s.sqliteDDL()...) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w in\n%s", err, stmt)
		}
	}
	exec := func(q string, args ...any) {
		if err == nil {
			_, err = tx.ExecContext(ctx, q, args...)
		}
	}
	exec(`INSERT INTO rtcsim_meta VALUES ('schema', ?), ('schema_text', ?), ('database', ?)`, schemaName, schemaText, dbName)
	id := firstObjectID
	const crdate = "2013-02-14 10:00:00"
	for _, t := range s.Tables {
		exec(`INSERT INTO rtcsim_sysobjects VALUES (?, ?, 'U', 'U', 1, 0, ?)`, id, t.Name, crdate)
		id += 16
		exec(`INSERT INTO rtcsim_is_tables VALUES (?, 'dbo', ?, 'BASE TABLE')`, dbName, t.Name)
		for i, c := range t.Columns {
			dt, charMax, octets, prec, scale, dtPrec := c.Type.infoSchema()
			nullable := "NO"
			if c.Nullable {
				nullable = "YES"
			}
			exec(`INSERT INTO rtcsim_is_columns VALUES (?, 'dbo', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				dbName, t.Name, c.Name, i+1, columnDefault(c.Default), nullable, dt, charMax, octets, prec, scale, dtPrec)
		}
	}
	for _, p := range s.Procs {
		exec(`INSERT INTO rtcsim_sysobjects VALUES (?, ?, 'P', 'P', 1, 0, ?)`, id, p.Name, crdate)
		id += 16
		exec(`INSERT INTO rtcsim_is_routines VALUES (?, 'dbo', ?, ?, 'dbo', ?, 'PROCEDURE', NULL)`, dbName, p.Name, dbName, p.Name)
		for i, prm := range p.Params {
			dt, charMax, _, prec, scale, _ := prm.Type.infoSchema()
			exec(`INSERT INTO rtcsim_is_parameters VALUES (?, 'dbo', ?, ?, 'IN', 'NO', ?, ?, ?, ?, ?)`,
				dbName, p.Name, i+1, prm.Name, dt, charMax, prec, scale)
		}
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}
