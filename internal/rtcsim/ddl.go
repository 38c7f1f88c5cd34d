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
			switch {
			case c.Type.Name == "uniqueidentifier" && c.Computed == "":
				out = append(out, guidTriggers(t.Name, c.Name)...)
			case c.Identity:
				out = append(out, identityTriggers(t.Name, c)...)
			case c.RowVersion():
				out = append(out, rowversionTriggers(t, c)...)
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
		if c.Computed != "" {
			kind := "VIRTUAL"
			if c.Persisted {
				kind = "STORED"
			}
			lines = append(lines, l+" GENERATED ALWAYS AS ("+c.computedSQL+") "+kind)
			continue
		}
		// IDENTITY and rowversion columns are filled by a trigger after the
		// row is in: SQLite must accept the NULL the INSERT leaves there.
		if !c.Nullable && !c.Identity && !c.RowVersion() {
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

// Counters in rtcsim_counters (kept when the catalog is rebuilt): the
// database's last rowversion (SQL Server's @@DBTS) and each IDENTITY
// column's last value ("identity:<table>").
const (
	countersDDL = `CREATE TABLE IF NOT EXISTS rtcsim_counters (name TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL)`
	dbtsCounter = "dbts"
	firstDBTS   = 2000 // @@DBTS of a new SQL Server database is a small number too
)

func identityCounter(table string) string { return "identity:" + table }

// identityTriggers give a row inserted without a value for the IDENTITY
// column the next value, and move the counter past an explicit value (SET
// IDENTITY_INSERT ON), as SQL Server does.
func identityTriggers(table string, c *Column) []string {
	q, col := quoteIdent(table), quoteIdent(c.Name)
	key := sqlString(identityCounter(table))
	name := func(op string) string { return quoteIdent("rtcsim_identity__" + table + "__" + op) }
	return []string{
		fmt.Sprintf("CREATE TRIGGER %s AFTER INSERT ON %s WHEN NEW.%s IS NULL BEGIN "+
			"UPDATE rtcsim_counters SET value = value + %d WHERE name = %s; "+
			"UPDATE %s SET %s = (SELECT value FROM rtcsim_counters WHERE name = %s) WHERE rowid = NEW.rowid; END",
			name("new"), q, col, c.Incr, key, q, col, key),
		fmt.Sprintf("CREATE TRIGGER %s AFTER INSERT ON %s WHEN NEW.%s IS NOT NULL BEGIN "+
			"UPDATE rtcsim_counters SET value = NEW.%s WHERE name = %s AND value < NEW.%s; END",
			name("explicit"), q, col, col, key, col),
	}
}

// rowversionTriggers stamp a row with the next database-wide rowversion (8
// bytes, big-endian, increasing) when it is inserted and whenever another
// of its stored columns is updated.
func rowversionTriggers(t *Table, c *Column) []string {
	q, col := quoteIdent(t.Name), quoteIdent(c.Name)
	var others []string
	for _, o := range t.Columns {
		if o != c && o.Computed == "" {
			others = append(others, o.Name)
		}
	}
	body := fmt.Sprintf("BEGIN UPDATE rtcsim_counters SET value = value + 1 WHERE name = '%s'; "+
		"UPDATE %s SET %s = unhex(printf('%%016X', (SELECT value FROM rtcsim_counters WHERE name = '%s'))) WHERE rowid = NEW.rowid; END",
		dbtsCounter, q, col, dbtsCounter)
	name := func(op string) string { return quoteIdent("rtcsim_rowversion__" + t.Name + "__" + op) }
	out := []string{fmt.Sprintf("CREATE TRIGGER %s AFTER INSERT ON %s %s", name("ins"), q, body)}
	if len(others) > 0 {
		out = append(out, fmt.Sprintf("CREATE TRIGGER %s AFTER UPDATE OF %s ON %s %s", name("upd"), quoteList(others), q, body))
	}
	return out
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// sqliteLiteral turns a T-SQL default (N'x', 1, getutcdate()) into SQLite's spelling.
func sqliteLiteral(lit string) string {
	switch {
	case strings.HasPrefix(lit, "N'"):
		return lit[1:]
	case lit == "getdate()":
		return "(" + niladic["GETDATE"] + ")"
	case lit == "getutcdate()":
		return "(" + niladic["GETUTCDATE"] + ")"
	}
	return lit
}

// columnDefault is COLUMN_DEFAULT as SQL Server shows it: ((1)), (N'x'), (getutcdate()).
func columnDefault(lit string) sql.NullString {
	switch {
	case lit == "":
		return sql.NullString{}
	case strings.HasPrefix(lit, "N'") || strings.HasSuffix(lit, "()"):
		return sql.NullString{String: "(" + lit + ")", Valid: true}
	}
	return sql.NullString{String: "((" + lit + "))", Valid: true}
}

// metaSchema holds what a database keeps across rtcsim versions: the schema
// text it was created with and the database name.
const metaSchema = `CREATE TABLE rtcsim_meta (name NVARCHAR(128) NOT NULL PRIMARY KEY, value NVARCHAR(MAX) NULL);`

// catalogSchema declares the tables behind sysobjects, the INFORMATION_SCHEMA
// views (SQL Server 2005's columns, in its order, minus the character set and
// collation columns; TABLE_CONSTRAINTS and KEY_COLUMN_USAGE for the PRIMARY KEY
// and UNIQUE constraints, named PK_<table> and UQ_<table>_<n>), sys.index_columns (its 2005 columns; index_id 1 the
// primary key, then the UNIQUE constraints, then the CREATE INDEXes in file
// order), COLUMNPROPERTY, COL_NAME, OBJECT_NAME and OBJECT_DEFINITION, with
// SQL Server's column types. rtcsim_names serves OBJECT_NAME (column id 0)
// and COL_NAME: its column names cannot be those of the query around the call,
// so that an argument naming an outer column is never taken for its own. They are derived from the schema text, so rtcsim rebuilds
// them whenever it opens a database: an old database file gets today's catalog.
const catalogSchema = `
CREATE TABLE rtcsim_sysobjects (id INT NOT NULL PRIMARY KEY, name NVARCHAR(128) NOT NULL, xtype CHAR(2) NOT NULL,
  type CHAR(2) NOT NULL, uid SMALLINT NOT NULL, parent_obj INT NOT NULL, crdate DATETIME NOT NULL);
CREATE TABLE rtcsim_is_tables (TABLE_CATALOG NVARCHAR(128) NULL, TABLE_SCHEMA NVARCHAR(128) NULL,
  TABLE_NAME NVARCHAR(128) NOT NULL, TABLE_TYPE VARCHAR(10) NULL);
CREATE TABLE rtcsim_is_columns (TABLE_CATALOG NVARCHAR(128) NULL, TABLE_SCHEMA NVARCHAR(128) NULL,
  TABLE_NAME NVARCHAR(128) NOT NULL, COLUMN_NAME NVARCHAR(128) NULL, ORDINAL_POSITION INT NULL,
  COLUMN_DEFAULT NVARCHAR(4000) NULL, IS_NULLABLE VARCHAR(3) NULL, DATA_TYPE NVARCHAR(128) NULL,
  CHARACTER_MAXIMUM_LENGTH INT NULL, CHARACTER_OCTET_LENGTH INT NULL, NUMERIC_PRECISION TINYINT NULL,
  NUMERIC_PRECISION_RADIX SMALLINT NULL, NUMERIC_SCALE INT NULL, DATETIME_PRECISION SMALLINT NULL,
  DOMAIN_CATALOG NVARCHAR(128) NULL, DOMAIN_SCHEMA NVARCHAR(128) NULL, DOMAIN_NAME NVARCHAR(128) NULL);
CREATE TABLE rtcsim_is_routines (SPECIFIC_CATALOG NVARCHAR(128) NULL, SPECIFIC_SCHEMA NVARCHAR(128) NULL,
  SPECIFIC_NAME NVARCHAR(128) NOT NULL, ROUTINE_CATALOG NVARCHAR(128) NULL, ROUTINE_SCHEMA NVARCHAR(128) NULL,
  ROUTINE_NAME NVARCHAR(128) NOT NULL, ROUTINE_TYPE NVARCHAR(20) NULL, DATA_TYPE NVARCHAR(128) NULL,
  ROUTINE_BODY NVARCHAR(30) NULL, ROUTINE_DEFINITION NVARCHAR(4000) NULL);
CREATE TABLE rtcsim_is_parameters (SPECIFIC_CATALOG NVARCHAR(128) NULL, SPECIFIC_SCHEMA NVARCHAR(128) NULL,
  SPECIFIC_NAME NVARCHAR(128) NOT NULL, ORDINAL_POSITION INT NOT NULL, PARAMETER_MODE NVARCHAR(10) NULL,
  IS_RESULT NVARCHAR(10) NULL, AS_LOCATOR NVARCHAR(10) NULL, PARAMETER_NAME NVARCHAR(128) NULL,
  DATA_TYPE NVARCHAR(128) NULL, CHARACTER_MAXIMUM_LENGTH INT NULL, CHARACTER_OCTET_LENGTH INT NULL,
  NUMERIC_PRECISION TINYINT NULL, NUMERIC_PRECISION_RADIX SMALLINT NULL, NUMERIC_SCALE INT NULL,
  DATETIME_PRECISION SMALLINT NULL, USER_DEFINED_TYPE_CATALOG NVARCHAR(128) NULL,
  USER_DEFINED_TYPE_SCHEMA NVARCHAR(128) NULL, USER_DEFINED_TYPE_NAME NVARCHAR(128) NULL);
CREATE TABLE rtcsim_columns (object_id INT NOT NULL, name NVARCHAR(128) NOT NULL, column_id INT NOT NULL,
  is_identity BIT NOT NULL, is_computed BIT NOT NULL, PRIMARY KEY (object_id, name));
CREATE TABLE rtcsim_sql_modules (object_id INT NOT NULL PRIMARY KEY, definition NVARCHAR(MAX) NULL);
CREATE TABLE rtcsim_is_table_constraints (CONSTRAINT_CATALOG NVARCHAR(128) NULL, CONSTRAINT_SCHEMA NVARCHAR(128) NULL,
  CONSTRAINT_NAME NVARCHAR(128) NOT NULL, TABLE_CATALOG NVARCHAR(128) NULL, TABLE_SCHEMA NVARCHAR(128) NULL,
  TABLE_NAME NVARCHAR(128) NOT NULL, CONSTRAINT_TYPE VARCHAR(11) NULL, IS_DEFERRABLE VARCHAR(2) NULL,
  INITIALLY_DEFERRED VARCHAR(2) NULL);
CREATE TABLE rtcsim_is_key_column_usage (CONSTRAINT_CATALOG NVARCHAR(128) NULL, CONSTRAINT_SCHEMA NVARCHAR(128) NULL,
  CONSTRAINT_NAME NVARCHAR(128) NOT NULL, TABLE_CATALOG NVARCHAR(128) NULL, TABLE_SCHEMA NVARCHAR(128) NULL,
  TABLE_NAME NVARCHAR(128) NOT NULL, COLUMN_NAME NVARCHAR(128) NULL, ORDINAL_POSITION INT NOT NULL);
CREATE TABLE rtcsim_names (rtcsim_oid INT NOT NULL, rtcsim_cid INT NOT NULL, rtcsim_name NVARCHAR(128) NOT NULL,
  PRIMARY KEY (rtcsim_oid, rtcsim_cid));
CREATE TABLE rtcsim_index_columns (object_id INT NOT NULL, index_id INT NOT NULL, index_column_id INT NOT NULL,
  column_id INT NOT NULL, key_ordinal TINYINT NOT NULL, partition_ordinal TINYINT NOT NULL,
  is_descending_key BIT NOT NULL, is_included_column BIT NOT NULL, PRIMARY KEY (object_id, index_id, index_column_id));
`

// Object ids are deterministic so that a probe log reads the same every run.
const firstObjectID = 245575913

// createSchema creates s, the counters and the catalog in an empty database, in one transaction.
func createSchema(ctx context.Context, db *sql.DB, s *Schema, dbName, schemaName, schemaText string) error {
	meta, err := ParseSchema(metaSchema)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range append(append(meta.sqliteDDL(), countersDDL), s.sqliteDDL()...) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w in\n%s", err, stmt)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO rtcsim_meta VALUES ('schema', ?), ('schema_text', ?), ('database', ?)`, schemaName, schemaText, dbName); err != nil {
		return err
	}
	if err := buildCatalog(ctx, tx, s, dbName); err != nil {
		return err
	}
	return tx.Commit()
}

// buildCatalog (re)creates the catalog tables from s and makes sure every
// counter exists (an IDENTITY counter starts at the table's largest value,
// or seed - increment).
func buildCatalog(ctx context.Context, tx *sql.Tx, s *Schema, dbName string) error {
	cat, err := ParseSchema(catalogSchema)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	stmts := []string{countersDDL}
	for _, t := range cat.Tables {
		stmts = append(stmts, "DROP TABLE IF EXISTS "+quoteIdent(t.Name))
	}
	for _, stmt := range append(stmts, cat.sqliteDDL()...) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w in\n%s", err, stmt)
		}
	}
	exec := func(q string, args ...any) {
		if err == nil {
			_, err = tx.ExecContext(ctx, q, args...)
		}
	}
	exec(`INSERT OR IGNORE INTO rtcsim_counters VALUES (?, ?)`, dbtsCounter, firstDBTS)
	id := firstObjectID
	const crdate = "2013-02-14 10:00:00"
	for _, t := range s.Tables {
		exec(`INSERT INTO rtcsim_sysobjects VALUES (?, ?, 'U', 'U', 1, 0, ?)`, id, t.Name, crdate)
		exec(`INSERT INTO rtcsim_names VALUES (?, 0, ?)`, id, t.Name)
		exec(`INSERT INTO rtcsim_is_tables VALUES (?, 'dbo', ?, 'BASE TABLE')`, dbName, t.Name)
		for i, c := range t.Columns {
			ti := c.Type.infoSchema()
			nullable := "NO"
			if c.Nullable {
				nullable = "YES"
			}
			domCat, domSchema := ti.domainOwner(dbName)
			exec(`INSERT INTO rtcsim_is_columns VALUES (?, 'dbo', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				dbName, t.Name, c.Name, i+1, columnDefault(c.Default), nullable, ti.dataType, ti.charMax, ti.octets,
				ti.numPrec, ti.radix, ti.numScale, ti.dtPrec, domCat, domSchema, ti.domain)
			exec(`INSERT INTO rtcsim_columns VALUES (?, ?, ?, ?, ?)`, id, c.Name, i+1, c.Identity, c.Computed != "")
			exec(`INSERT INTO rtcsim_names VALUES (?, ?, ?)`, id, i+1, c.Name)
			if c.Identity {
				exec(fmt.Sprintf(`INSERT OR IGNORE INTO rtcsim_counters VALUES (?, (SELECT COALESCE(MAX(%s), ?) FROM %s))`,
					quoteIdent(c.Name), quoteIdent(t.Name)), identityCounter(t.Name), c.IdentitySeed-c.Incr)
			}
		}
		constraint := func(name, kind string, cols []string) {
			exec(`INSERT INTO rtcsim_is_table_constraints VALUES (?, 'dbo', ?, ?, 'dbo', ?, ?, 'NO', 'NO')`, dbName, name, dbName, t.Name, kind)
			for k, c := range cols {
				exec(`INSERT INTO rtcsim_is_key_column_usage VALUES (?, 'dbo', ?, ?, 'dbo', ?, ?, ?)`, dbName, name, dbName, t.Name, c, k+1)
			}
		}
		if len(t.PrimaryKey) > 0 {
			constraint("PK_"+t.Name, "PRIMARY KEY", t.PrimaryKey)
		}
		for n, cols := range t.Unique {
			constraint(fmt.Sprintf("UQ_%s_%d", t.Name, n+1), "UNIQUE", cols)
		}
		indexes := [][]string{}
		if len(t.PrimaryKey) > 0 {
			indexes = append(indexes, t.PrimaryKey)
		}
		indexes = append(indexes, t.Unique...)
		for _, ix := range s.Indexes {
			if strings.EqualFold(ix.Table, t.Name) {
				indexes = append(indexes, ix.Columns)
			}
		}
		for n, cols := range indexes {
			for k, c := range cols {
				exec(`INSERT INTO rtcsim_index_columns VALUES (?, ?, ?, (SELECT column_id FROM rtcsim_columns WHERE object_id = ? AND name = ? COLLATE NOCASE), ?, 0, 0, 0)`,
					id, n+1, k+1, id, c, k+1)
			}
		}
		id += 16
	}
	for _, p := range s.Procs {
		exec(`INSERT INTO rtcsim_sysobjects VALUES (?, ?, 'P', 'P', 1, 0, ?)`, id, p.Name, crdate)
		exec(`INSERT INTO rtcsim_names VALUES (?, 0, ?)`, id, p.Name)
		var def, routineDef sql.NullString
		if p.Readable {
			def = sql.NullString{String: p.Definition, Valid: true}
			routineDef = def
			if r := []rune(p.Definition); len(r) > 4000 { // ROUTINE_DEFINITION holds the first 4,000 characters
				routineDef.String = string(r[:4000])
			}
		}
		exec(`INSERT INTO rtcsim_sql_modules VALUES (?, ?)`, id, def)
		exec(`INSERT INTO rtcsim_is_routines VALUES (?, 'dbo', ?, ?, 'dbo', ?, 'PROCEDURE', NULL, 'SQL', ?)`, dbName, p.Name, dbName, p.Name, routineDef)
		for i, prm := range p.Params {
			ti := prm.Type.infoSchema()
			mode := "IN"
			if prm.Output {
				mode = "INOUT"
			}
			udtCat, udtSchema := ti.domainOwner(dbName)
			exec(`INSERT INTO rtcsim_is_parameters VALUES (?, 'dbo', ?, ?, ?, 'NO', 'NO', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				dbName, p.Name, i+1, mode, prm.Name, ti.dataType, ti.charMax, ti.octets, ti.numPrec, ti.radix, ti.numScale,
				ti.dtPrec, udtCat, udtSchema, ti.domain)
		}
		id += 16
	}
	return err
}
