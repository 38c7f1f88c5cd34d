package rtcsim

import (
	"fmt"
	"strconv"
	"strings"
)

// The T-SQL subset of SPEC 7 — what SQL Server 2005 and rtcsim both accept —
// and its translation to SQLite. Everything else is refused with error 156
// "rtcsim: unsupported T-SQL: …", never passed through, so a test catches
// any product statement outside it.
//
// Accepted: one SELECT, INSERT, UPDATE or DELETE per batch or
// sp_executesql (a trailing ';' is allowed); @pN and named parameters (at
// most 2,100, SQL Server's limit); TOP n / TOP (n) / TOP (@p) on SELECT
// (moved to LIMIT); joins, WHERE, GROUP BY, HAVING, ORDER BY, DISTINCT,
// subqueries, IN, EXISTS, LIKE, BETWEEN, CASE; COUNT, COUNT_BIG, MIN, MAX,
// SUM, AVG, COALESCE, ISNULL, LOWER, UPPER, GETDATE(), GETUTCDATE(),
// DB_NAME(), @@VERSION, @@SERVERNAME, @@SPID, @@TRANCOUNT; [bracketed] and
// "quoted" names; rtc.dbo. / dbo. / rtc.. prefixes; WITH (NOLOCK); N'…'
// and 0x… literals; INSERT … VALUES (one or more rows) and INSERT … SELECT;
// plain UPDATE … SET … WHERE (decided: it is plain DML); DELETE [FROM] T
// and the T-SQL join form DELETE a FROM T a JOIN … (rewritten with rowid);
// sysobjects, INFORMATION_SCHEMA.TABLES/COLUMNS/ROUTINES/PARAMETERS/
// TABLE_CONSTRAINTS/KEY_COLUMN_USAGE and sys.index_columns;
// the catalog functions OBJECT_ID('[db.][dbo.]Name'[, 'U'|'P']) (its
// argument may concatenate strings and columns with '+', e.g.
// OBJECT_ID(QUOTENAME(TABLE_SCHEMA) + '.' + QUOTENAME(TABLE_NAME))),
// QUOTENAME(x), COLUMNPROPERTY(id, column, 'IsIdentity' | 'IsComputed' |
// 'ColumnId'), OBJECT_NAME(id), COL_NAME(id, column_id) and
// OBJECT_DEFINITION(id); SET IDENTITY_INSERT
// [[db.]dbo.]Table ON | OFF, alone in its batch.
//
// Refused, among others: more than one statement, EXEC in a batch (call
// procedures over RPC), MERGE, OUTPUT, CTEs, UNION, temp tables, SELECT …
// INTO, SET other than IDENTITY_INSERT, DECLARE, transaction statements in SQL text (BeginTx uses the
// TDS transaction manager), OFFSET/FETCH, STRING_SPLIT, OPENJSON, CAST,
// CONVERT, window functions, APPLY, other table hints, other databases,
// sys.* views, unknown functions, COLUMNPROPERTY properties other than the
// three, '+' next to a string literal outside OBJECT_ID's argument (T-SQL
// concatenation, arithmetic in SQLite), and SQLite-only syntax (LIMIT,
// ||, GLOB, REPLACE, rowid…).

type stmtKind int

const (
	stmtSelect stmtKind = iota + 1
	stmtInsert
	stmtUpdate
	stmtDelete
	stmtSetIdentityInsert
)

func (k stmtKind) verb() string {
	return [...]string{"", "SELECT", "INSERT", "UPDATE", "DELETE", "SET"}[k]
}

// maxParams is SQL Server's limit of parameters per request.
const maxParams = 2100

// Translation is a statement rewritten for SQLite.
type Translation struct {
	SQL    string   // SQLite text; parameters are ?1, ?2, …
	Params []string // T-SQL parameter names, lower case with @ (or @@version…), in ?N order
	Kind   stmtKind

	// INSERT, UPDATE, DELETE and SET IDENTITY_INSERT: the target table
	// (plain name) and, for INSERT and UPDATE, the columns written; ColumnList
	// tells INSERT T (a, b) … from INSERT T VALUES/SELECT ….
	Target     string
	Columns    []string
	ColumnList bool
	On         bool // SET IDENTITY_INSERT … ON

	// Hints are the types of result columns that are catalog function calls
	// (OBJECT_DEFINITION is nvarchar(max) even when every value is NULL).
	Hints []SQLType
}

// catalogTables maps the emulated system views to their SQLite tables.
var catalogTables = map[string]string{
	"sysobjects":                           "rtcsim_sysobjects",
	"information_schema.tables":            "rtcsim_is_tables",
	"information_schema.columns":           "rtcsim_is_columns",
	"information_schema.routines":          "rtcsim_is_routines",
	"information_schema.parameters":        "rtcsim_is_parameters",
	"sys.index_columns":                    "rtcsim_index_columns",
	"information_schema.table_constraints": "rtcsim_is_table_constraints",
	"information_schema.key_column_usage":  "rtcsim_is_key_column_usage",
}

// Words the subset uses; emitted upper case.
var keywords = set("SELECT DISTINCT ALL TOP FROM WHERE AND OR NOT IN IS NULL LIKE ESCAPE BETWEEN EXISTS AS " +
	"JOIN INNER LEFT RIGHT FULL OUTER CROSS ON GROUP BY HAVING ORDER ASC DESC INSERT INTO VALUES " +
	"DELETE UPDATE SET CASE WHEN THEN ELSE END DEFAULT WITH")

// Functions of the subset, with their SQLite spelling.
var functions = map[string]string{
	"COUNT": "COUNT", "COUNT_BIG": "COUNT", "MIN": "MIN", "MAX": "MAX", "SUM": "SUM", "AVG": "AVG",
	"COALESCE": "COALESCE", "ISNULL": "IFNULL", "LOWER": "LOWER", "UPPER": "UPPER",
}

// Niladic functions, replaced by an expression or a session value.
var niladic = map[string]string{
	"GETDATE":    "strftime('%Y-%m-%d %H:%M:%f', 'now', 'localtime')",
	"GETUTCDATE": "strftime('%Y-%m-%d %H:%M:%f', 'now')",
	"DB_NAME":    "@@db_name",
}

// System variables served from the session.
var sysVars = set("VERSION SERVERNAME SPID TRANCOUNT")

// Reserved T-SQL words outside the subset, plus words SQLite would give a
// meaning T-SQL does not have. A bracketed identifier is never refused.
var refused = set("ADD ALTER ANY AUTHORIZATION BACKUP BEGIN BREAK BROWSE BULK CASCADE CHECK CHECKPOINT CLOSE " +
	"CLUSTERED COLLATE COLUMN COMMIT COMPUTE CONSTRAINT CONTAINS CONTAINSTABLE CONTINUE CONVERT CREATE " +
	"CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR DATABASE DBCC DEALLOCATE " +
	"DECLARE DENY DISK DISTRIBUTED DOUBLE DROP DUMP ERRLVL EXCEPT EXEC EXECUTE EXIT EXTERNAL FETCH FILE " +
	"FILLFACTOR FOR FOREIGN FREETEXT FREETEXTTABLE FUNCTION GOTO GRANT HOLDLOCK IDENTITY IDENTITY_INSERT " +
	"IDENTITYCOL IF INDEX INTERSECT KEY KILL LINENO LOAD MERGE NATIONAL NOCHECK NONCLUSTERED NULLIF OF OFF " +
	"OFFSETS OPEN OPENDATASOURCE OPENQUERY OPENROWSET OPENXML OPTION OVER PERCENT PIVOT PLAN PRECISION " +
	"PRIMARY PRINT PROC PROCEDURE PUBLIC RAISERROR READ READTEXT RECONFIGURE REFERENCES REPLICATION RESTORE " +
	"RESTRICT RETURN REVERT REVOKE ROLLBACK ROWCOUNT ROWGUIDCOL RULE SAVE SCHEMA SECURITYAUDIT " +
	"SESSION_USER SETUSER SHUTDOWN SOME STATISTICS SYSTEM_USER TABLE TABLESAMPLE TEXTSIZE TO TRAN " +
	"TRANSACTION TRIGGER TRUNCATE TRY_CONVERT TSEQUAL UNION UNIQUE UNPIVOT UPDATETEXT USE USER VARYING VIEW " +
	"WAITFOR WHILE WITHIN WRITETEXT " +
	// newer than SQL Server 2005, or not in the subset
	"OUTPUT OFFSET APPLY STRING_SPLIT STRING_AGG OPENJSON JSON_VALUE CAST TRY_CAST IIF CHOOSE CONCAT FORMAT " +
	"THROW TRY CATCH GO NEXT ROW_NUMBER RANK DENSE_RANK NEWID NOLOCK " +
	// SQLite-only meanings
	"LIMIT GLOB REGEXP MATCH PRAGMA ATTACH DETACH RETURNING REPLACE NOTNULL ROWID OID _ROWID_ VACUUM " +
	"EXPLAIN ANALYZE REINDEX INDEXED CONFLICT IGNORE ABORT FAIL")

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// Translate rewrites one T-SQL statement of the subset for SQLite; db is the
// session's database, the only one a three-part name may name.
func Translate(src, db string) (*Translation, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	if n := len(toks); n > 0 && toks[n-1].op(";") {
		toks = toks[:n-1]
	}
	if len(toks) == 0 {
		return nil, unsupported("empty statement")
	}
	for _, t := range toks {
		if t.op(";") {
			return nil, unsupported("more than one statement in a batch (;)")
		}
	}
	if toks[0].is("SET") {
		return translateSet(toks, db)
	}
	tr := &translator{db: db, index: map[string]int{}}
	res := &Translation{}
	if toks[0].is("SELECT") {
		res.Hints = selectListHints(toks)
	}
	if toks, err = tr.rewriteFunctions(toks); err != nil {
		return nil, err
	}
	tr.toks = toks
	if err := tr.check(); err != nil {
		return nil, err
	}
	if err := tr.statement(); err != nil {
		return nil, err
	}
	if len(tr.params) > maxParams {
		return nil, newError(ErrTooManyParams, "The incoming request has too many parameters. The server supports a maximum of %d parameters. Reduce the number of parameters and resend the request.", maxParams)
	}
	res.SQL, res.Params, res.Kind = strings.Join(tr.out, " "), tr.params, tr.kind
	res.Target, res.Columns, res.ColumnList = tr.target, tr.columns, tr.columnList
	return res, nil
}

// translateSet accepts SET IDENTITY_INSERT [[db.]dbo.]Table ON|OFF; the
// session keeps the setting (executeSet).
func translateSet(toks []token, db string) (*Translation, error) {
	if len(toks) < 2 || !toks[1].is("IDENTITY_INSERT") {
		w := "with nothing after it"
		if len(toks) > 1 {
			w = strings.ToUpper(toks[1].text)
		}
		return nil, unsupported("SET %s (only SET IDENTITY_INSERT)", w)
	}
	chain, end := chainAt(toks, 2)
	if chain == nil || end != len(toks)-1 || !(toks[end].is("ON") || toks[end].is("OFF")) {
		return nil, newError(ErrSyntax, "Incorrect syntax near 'IDENTITY_INSERT'.")
	}
	names := compactDots(chain)
	if len(names) > 3 {
		return nil, newError(ErrSyntax, "Incorrect syntax near '.'.")
	}
	if len(names) == 3 && !strings.EqualFold(names[0], db) {
		return nil, unsupported("reference to another database (%s)", names[0])
	}
	tr := &Translation{Kind: stmtSetIdentityInsert, Target: names[len(names)-1], On: toks[end].is("ON")}
	if len(names) >= 2 && names[len(names)-2] != "" && !strings.EqualFold(names[len(names)-2], "dbo") {
		tr.Target = names[len(names)-2] + "." + tr.Target // no such schema: the session reports the object missing
	}
	return tr, nil
}

type translator struct {
	db     string
	toks   []token
	kind   stmtKind
	out    []string
	params []string
	index  map[string]int

	target     string   // INSERT/UPDATE/DELETE target table
	columns    []string // INSERT column list, UPDATE SET columns
	columnList bool
}

// check refuses statements and words outside the subset before any rewrite.
func (tr *translator) check() error {
	first := tr.toks[0]
	switch {
	case first.is("SELECT"):
		tr.kind = stmtSelect
	case first.is("INSERT"):
		tr.kind = stmtInsert
	case first.is("UPDATE"):
		tr.kind = stmtUpdate
	case first.is("DELETE"):
		tr.kind = stmtDelete
	case first.is("WITH"):
		return unsupported("common table expressions (WITH …)")
	case first.is("EXEC") || first.is("EXECUTE"):
		return unsupported("EXEC in a batch (call procedures by name over RPC)")
	case first.kind == tWord:
		return unsupported("%s statements", strings.ToUpper(first.text))
	default:
		return unsupported("statement starting with %q", first.text)
	}
	for i := 0; i < len(tr.toks); i++ {
		t := tr.toks[i]
		if t.op("+") && ((i > 0 && tr.toks[i-1].kind == tString) || (i+1 < len(tr.toks) && tr.toks[i+1].kind == tString)) {
			return unsupported("'+' on a string (T-SQL concatenation)")
		}
		if t.kind != tWord {
			continue
		}
		w := strings.ToUpper(t.text)
		next := token{}
		if i+1 < len(tr.toks) {
			next = tr.toks[i+1]
		}
		if w == "WITH" && next.op("(") && i > 0 && tr.toks[i-1].ident() {
			i = skipHint(tr.toks, i) - 1 // hint words are checked when emitted
			continue
		}
		switch {
		case refused[w]:
			return unsupported("%s", w)
		case w == "WITH":
			return unsupported("WITH other than a table hint")
		case w == "SET" && tr.kind != stmtUpdate:
			return unsupported("SET outside UPDATE")
		case w == "INTO" && !(tr.kind == stmtInsert && i == 1):
			return unsupported("INTO outside INSERT INTO (SELECT … INTO)")
		case next.op("(") && !keywords[w] && functions[w] == "" && niladic[w] == "" && !tr.insertTarget(i):
			return unsupported("function %s", w)
		}
	}
	return nil
}

// insertTarget reports whether word i ends the target name of INSERT [INTO] T (…).
func (tr *translator) insertTarget(i int) bool {
	if tr.kind != stmtInsert {
		return false
	}
	j := i
	for j >= 2 && tr.toks[j-1].op(".") {
		j -= 2
	}
	return j == 1 || (j == 2 && tr.toks[1].is("INTO"))
}

func (tr *translator) statement() error {
	switch tr.kind {
	case stmtDelete:
		return tr.deleteStmt()
	case stmtUpdate:
		if tr.toks[1].is("TOP") {
			return unsupported("UPDATE TOP")
		}
		if tr.topLevelIndex(2, "FROM") >= 0 {
			return unsupported("UPDATE … FROM")
		}
		tr.recordUpdateTarget()
	case stmtInsert:
		if len(tr.toks) > 1 && tr.toks[1].is("TOP") {
			return unsupported("INSERT TOP")
		}
		if len(tr.toks) < 2 || !tr.toks[1].is("INTO") {
			toks := append([]token{tr.toks[0], {kind: tWord, text: "INTO"}}, tr.toks[1:]...)
			tr.toks = toks
		}
		tr.recordInsertTarget()
	}
	return tr.emit(tr.toks)
}

// lastName is the table name of a chain [db.][dbo.]Table.
func lastName(chain []token) string {
	names := compactDots(chain)
	return names[len(names)-1]
}

// recordInsertTarget records INSERT INTO T [(a, b, …)]'s table and column list.
func (tr *translator) recordInsertTarget() {
	chain, end := chainAt(tr.toks, 2)
	if chain == nil {
		return
	}
	tr.target = lastName(chain)
	if end >= len(tr.toks) || !tr.toks[end].op("(") {
		return
	}
	tr.columnList = true
	for i := end + 1; i < len(tr.toks) && !tr.toks[i].op(")"); i++ {
		if c, next := chainAt(tr.toks, i); c != nil {
			tr.columns = append(tr.columns, lastName(c))
			i = next - 1
		}
	}
}

// recordUpdateTarget records UPDATE T SET a = …, b = …'s table and columns.
func (tr *translator) recordUpdateTarget() {
	chain, _ := chainAt(tr.toks, 1)
	if chain == nil {
		return
	}
	tr.target = lastName(chain)
	set := tr.topLevelIndex(1, "SET")
	where := tr.topLevelIndex(1, "WHERE")
	if set < 0 {
		return
	}
	if where < 0 {
		where = len(tr.toks)
	}
	for _, item := range splitArgs(tr.toks[set+1 : where]) {
		if c, _ := chainAt(item, 0); c != nil {
			tr.columns = append(tr.columns, lastName(c))
		}
	}
}

// topLevelIndex finds the first word kw at parenthesis depth 0 from index from.
func (tr *translator) topLevelIndex(from int, kw string) int {
	depth := 0
	for i := from; i < len(tr.toks); i++ {
		t := tr.toks[i]
		switch {
		case t.op("("):
			depth++
		case t.op(")"):
			depth--
		case depth == 0 && t.is(kw):
			return i
		}
	}
	return -1
}

// deleteStmt handles DELETE [FROM] T [WHERE …] and the T-SQL join form
// DELETE a FROM T a JOIN … WHERE …, which SQLite lacks: it becomes
// DELETE FROM T WHERE rowid IN (SELECT a.rowid FROM T a JOIN … WHERE …).
func (tr *translator) deleteStmt() error {
	toks := tr.toks
	i := 1
	if i < len(toks) && toks[i].is("TOP") {
		return unsupported("DELETE TOP")
	}
	if i < len(toks) && toks[i].is("FROM") {
		i++
	}
	target, end := chainAt(toks, i)
	if target == nil {
		return newError(ErrSyntax, "Incorrect syntax near 'DELETE'.")
	}
	tr.target = lastName(target)
	end = skipHint(toks, end)
	head := []token{toks[0], {kind: tWord, text: "FROM"}}
	if end >= len(toks) || toks[end].is("WHERE") {
		return tr.emit(append(append(head, toks[i:end]...), toks[end:]...))
	}
	if !toks[end].is("FROM") {
		return newError(ErrSyntax, "Incorrect syntax near '%s'.", toks[end].text)
	}
	from := end + 1
	where := tr.topLevelIndex(from, "WHERE")
	sources := toks[from:]
	if where >= 0 {
		sources = toks[from:where]
	}
	alias := target[len(target)-1]
	real := findAliased(sources, alias.text)
	if real == nil {
		real = target
	}
	tr.target = lastName(real)
	var out []token
	out = append(out, head...)
	out = append(out, real...)
	out = append(out, raw("WHERE rowid IN ("), token{kind: tWord, text: "SELECT"})
	out = append(out, alias, raw(".rowid"), token{kind: tWord, text: "FROM"})
	out = append(out, toks[from:]...)
	out = append(out, token{kind: tOp, text: ")"})
	return tr.emit(out)
}

// tRaw tokens carry SQLite text the translator itself wrote.
const tRaw tokKind = 100

func raw(s string) token { return token{kind: tRaw, text: s} }

// chainAt returns the identifier chain a.b.c starting at i and the index after it.
func chainAt(toks []token, i int) ([]token, int) {
	if i >= len(toks) || !toks[i].ident() {
		return nil, i
	}
	j := i + 1
	for j+1 < len(toks) && toks[j].op(".") && (toks[j+1].ident() || toks[j+1].op(".")) {
		j += 2
		if toks[j-1].op(".") { // db..table
			j--
		}
	}
	return toks[i:j], j
}

// skipHint skips a WITH (NOLOCK) table hint at i.
func skipHint(toks []token, i int) int {
	if i+1 < len(toks) && toks[i].is("WITH") && toks[i+1].op("(") {
		for j := i + 2; j < len(toks); j++ {
			if toks[j].op(")") {
				return j + 1
			}
		}
	}
	return i
}

// findAliased finds "Table [AS] alias" at depth 0 in a FROM clause.
func findAliased(sources []token, alias string) []token {
	depth := 0
	for i := 0; i < len(sources); i++ {
		switch {
		case sources[i].op("("):
			depth++
			continue
		case sources[i].op(")"):
			depth--
			continue
		}
		if depth != 0 || !sources[i].ident() || (i > 0 && sources[i-1].op(".")) {
			continue
		}
		chain, end := chainAt(sources, i)
		if chain == nil {
			continue
		}
		j := end
		if j < len(sources) && sources[j].is("AS") {
			j++
		}
		if j < len(sources) && sources[j].ident() && strings.EqualFold(sources[j].text, alias) && !keywords[strings.ToUpper(sources[j].text)] {
			return chain
		}
		i = end - 1
	}
	return nil
}

// emit writes the SQLite text of toks: names resolved, parameters
// numbered, TOP moved to LIMIT, hints dropped.
func (tr *translator) emit(toks []token) error {
	type pendingLimit struct {
		depth int
		expr  string
	}
	var limits []pendingLimit
	depth := 0
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.kind {
		case tRaw:
			tr.out = append(tr.out, t.text)
		case tString:
			tr.out = append(tr.out, "'"+strings.ReplaceAll(t.text, "'", "''")+"'")
		case tNumber:
			tr.out = append(tr.out, t.text)
		case tHex:
			h := t.text
			if len(h)%2 == 1 {
				h = "0" + h
			}
			tr.out = append(tr.out, "X'"+h+"'")
		case tParam:
			tr.out = append(tr.out, tr.param("@"+strings.ToLower(t.text)))
		case tSysVar:
			w := strings.ToUpper(t.text)
			if !sysVars[w] {
				return unsupported("@@%s", w)
			}
			tr.out = append(tr.out, tr.param("@@"+strings.ToLower(w)))
		case tOp:
			switch t.text {
			case "(":
				depth++
			case ")":
				depth--
				for len(limits) > 0 && limits[len(limits)-1].depth > depth {
					tr.out = append(tr.out, "LIMIT "+limits[len(limits)-1].expr)
					limits = limits[:len(limits)-1]
				}
			}
			tr.out = append(tr.out, t.text)
		case tWord, tQuoted:
			w := strings.ToUpper(t.text)
			next := token{}
			if i+1 < len(toks) {
				next = toks[i+1]
			}
			if t.kind == tWord {
				if e, ok := niladic[w]; ok && next.op("(") {
					if i+2 >= len(toks) || !toks[i+2].op(")") {
						return unsupported("arguments to %s", w)
					}
					if strings.HasPrefix(e, "@@") {
						e = tr.param(e)
					}
					tr.out = append(tr.out, e)
					i += 2
					continue
				}
				if f := functions[w]; f != "" && next.op("(") {
					tr.out = append(tr.out, f)
					continue
				}
				if w == "SELECT" {
					tr.out = append(tr.out, w)
					j := i + 1
					if j < len(toks) && (toks[j].is("DISTINCT") || toks[j].is("ALL")) {
						tr.out = append(tr.out, strings.ToUpper(toks[j].text))
						j++
					}
					if j < len(toks) && toks[j].is("TOP") {
						expr, end, err := topExpr(toks, j+1)
						if err != nil {
							return err
						}
						limits = append(limits, pendingLimit{depth: depth, expr: tr.limitText(expr)})
						j = end
					}
					i = j - 1
					continue
				}
				if w == "WITH" {
					end := skipHint(toks, i)
					for k := i + 2; k < end-1; k++ {
						h := toks[k]
						if !(h.op(",") || h.is("NOLOCK") || h.is("READUNCOMMITTED")) {
							return unsupported("table hint %s", h.text)
						}
					}
					i = end - 1
					continue
				}
				if keywords[w] {
					tr.out = append(tr.out, w)
					continue
				}
			}
			chain, end := chainAt(toks, i)
			name, err := tr.resolve(chain)
			if err != nil {
				return err
			}
			if end < len(toks)-1 && toks[end].op(".") && toks[end+1].op("*") {
				name += ".*"
				end += 2
			}
			tr.out = append(tr.out, name)
			i = end - 1
		default:
			return newError(ErrSyntax, "Incorrect syntax near '%s'.", t.text)
		}
	}
	for len(limits) > 0 {
		tr.out = append(tr.out, "LIMIT "+limits[len(limits)-1].expr)
		limits = limits[:len(limits)-1]
	}
	return nil
}

func (tr *translator) param(name string) string {
	n, ok := tr.index[name]
	if !ok {
		tr.params = append(tr.params, name)
		n = len(tr.params)
		tr.index[name] = n
	}
	return "?" + strconv.Itoa(n)
}

// topExpr reads TOP n / TOP (n) / TOP (@p) starting after TOP.
func topExpr(toks []token, i int) (token, int, error) {
	var t token
	if i < len(toks) && toks[i].op("(") {
		if i+2 >= len(toks) || !toks[i+2].op(")") {
			return t, i, unsupported("TOP with an expression")
		}
		t, i = toks[i+1], i+3
	} else if i < len(toks) {
		t, i = toks[i], i+1
	}
	if t.kind != tNumber && t.kind != tParam {
		return t, i, newError(ErrSyntax, "Incorrect syntax near 'TOP'.")
	}
	if i < len(toks) && (toks[i].is("PERCENT") || toks[i].is("WITH")) {
		return t, i, unsupported("TOP … %s", strings.ToUpper(toks[i].text))
	}
	return t, i, nil
}

func (tr *translator) limitText(t token) string {
	if t.kind == tParam {
		return tr.param("@" + strings.ToLower(t.text))
	}
	return t.text
}

// resolve maps a dotted name: [db.][dbo.]Table[.Column], alias.Column,
// [db.]INFORMATION_SCHEMA.View, [dbo.]sysobjects.
func (tr *translator) resolve(chain []token) (string, error) {
	names := compactDots(chain)
	lower := func(i int) string { return strings.ToLower(names[i]) }
	if len(names) >= 3 && (lower(1) == "dbo" || lower(1) == "" || lower(1) == "information_schema" || lower(1) == "sys") {
		if !strings.EqualFold(names[0], tr.db) {
			return "", unsupported("reference to another database (%s)", names[0])
		}
		names = names[1:]
	}
	if len(names) >= 2 && (lower(0) == "dbo" || lower(0) == "") {
		names = names[1:]
	}
	if len(names) >= 2 && (lower(0) == "information_schema" || lower(0) == "sys") {
		key := lower(0) + "." + lower(1)
		if lower(0) == "sys" && lower(1) == "sysobjects" {
			key = "sysobjects"
		}
		t, ok := catalogTables[key]
		if !ok || len(names) > 2 {
			return "", unsupported("system view %s.%s", names[0], names[1])
		}
		return tr.catalog(t)
	}
	if strings.EqualFold(names[0], "sysobjects") && len(names) == 1 {
		return tr.catalog(catalogTables["sysobjects"])
	}
	q := make([]string, len(names))
	for i, n := range names {
		if strings.HasPrefix(strings.ToLower(n), "rtcsim_") {
			return "", unsupported("name %s", n)
		}
		if n == "" {
			return "", newError(ErrSyntax, "Incorrect syntax near '.'.")
		}
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, "."), nil
}

// compactDots turns the tokens of a.b..c into names ["a","b","","c"].
func compactDots(chain []token) []string {
	var names []string
	expectName := true
	for _, t := range chain {
		if t.op(".") {
			if expectName {
				names = append(names, "")
			}
			expectName = true
			continue
		}
		names = append(names, t.text)
		expectName = false
	}
	return names
}

func (tr *translator) catalog(table string) (string, error) {
	if tr.kind != stmtSelect {
		return "", unsupported("%s on a system view", tr.kind.verb())
	}
	return table, nil
}

// String shows a translation in test failures.
func (t *Translation) String() string { return fmt.Sprintf("%s %v", t.SQL, t.Params) }
