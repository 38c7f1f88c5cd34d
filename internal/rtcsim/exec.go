package rtcsim

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// runStatement runs one T-SQL statement of a batch (tok tokDone) or of an
// sp_executesql RPC (tok tokDoneProc) and returns the reply's last token.
func (sess *session) runStatement(ctx context.Context, text string, params map[string]any, tok byte) final {
	cmd, rows, e := sess.statement(ctx, text, params)
	if e != nil {
		return sess.fail(e, tok)
	}
	status := uint16(doneCount)
	if cmd == cmdSet { // SET reports no row count
		status = 0
	}
	if tok == tokDoneProc {
		sess.out.done(tokDoneInProc, status|doneMore, cmd, rows)
		sess.out.u8(tokReturnStatus)
		sess.out.u32(0)
		return final{tok: tokDoneProc}
	}
	return final{tok: tokDone, status: status, cmd: cmd, rows: rows}
}

// statement translates, binds and executes text; params are keyed by
// lower-case name with the @.
func (sess *session) statement(ctx context.Context, text string, params map[string]any) (uint16, uint64, *Error) {
	tr, err := sess.srv.translate(text)
	if err != nil {
		return 0, 0, asError(err)
	}
	sess.cur.Verb = tr.Kind.verb()
	if tr.Kind == stmtInsert || tr.Kind == stmtUpdate || tr.Kind == stmtDelete {
		sess.cur.Write = true
		sess.srv.stats.WriteRequests.Add(1)
	}
	if tr.Kind == stmtSetIdentityInsert {
		on, e := sess.srv.schema.setIdentityInsert(tr, sess.identityInsert, sess.srv.database)
		sess.identityInsert = on
		return cmdSet, 0, e
	}
	if e := sess.srv.schema.checkWrite(tr, sess.identityInsert); e != nil {
		return 0, 0, e
	}
	args := make([]any, len(tr.Params))
	for i, name := range tr.Params {
		if strings.HasPrefix(name, "@@") {
			args[i] = sess.sysVar(name)
			continue
		}
		v, ok := params[name]
		if !ok {
			return 0, 0, newError(137, "Must declare the scalar variable \"%s\".", name)
		}
		args[i] = v
	}
	f := sess.srv.fireFault("", text)
	if e := f.before(ctx); e != nil {
		return 0, 0, e
	}
	if tr.Kind == stmtSelect {
		n, e := sess.query(ctx, tr, args)
		if e == nil {
			e = f.after()
		}
		sess.cur.Rows = int64(n)
		return cmdSelect, n, e
	}
	n, e := sess.exec(ctx, tr, args, f)
	if e == nil {
		sess.wrote(int64(n))
	}
	return map[stmtKind]uint16{stmtInsert: cmdInsert, stmtUpdate: cmdUpdate, stmtDelete: cmdDelete}[tr.Kind], n, e
}

// wrote counts rows a request changed.
func (sess *session) wrote(n int64) {
	sess.cur.Rows += n
	sess.cur.Written += n
	sess.srv.stats.RowsWritten.Add(n)
}

func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return newError(ErrUserDefined, "rtcsim: %v", err)
}

func (sess *session) sysVar(name string) any {
	switch name {
	case "@@version":
		return versionString
	case "@@servername":
		return sess.srv.opts.ServerName + `\` + sess.srv.opts.Instance
	case "@@spid":
		return int64(sess.spid)
	case "@@trancount":
		if sess.tran != 0 {
			return int64(1)
		}
		return int64(0)
	case "@@db_name":
		return sess.srv.database
	}
	return nil
}

// prepare returns a cached prepared statement on the session's connection.
func (sess *session) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := sess.stmts[q]; ok {
		return st, nil
	}
	if len(sess.stmts) >= 256 {
		for k, st := range sess.stmts {
			st.Close()
			delete(sess.stmts, k)
		}
	}
	st, err := sess.conn.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	sess.stmts[q] = st
	return st, nil
}

// exec runs INSERT/UPDATE/DELETE. Outside a client transaction it takes
// the write lock first (beginWrite) so that it waits its turn and a lock
// still held after BusyTimeout becomes error 1205.
func (sess *session) exec(ctx context.Context, tr *Translation, args []any, f *firedFault) (uint64, *Error) {
	verb := tr.Kind.verb()
	auto := sess.tran == 0
	if auto {
		if e := sess.beginWrite(ctx, verb); e != nil {
			return 0, e
		}
		defer sess.endWrite()
	} else if f.undoes() {
		if _, err := sess.conn.ExecContext(ctx, "SAVEPOINT rtcsim_stmt"); err != nil {
			return 0, sess.srv.mapError(err, sess.spid, verb)
		}
	}
	undo := func() {
		bg := context.Background()
		if auto {
			sess.conn.ExecContext(bg, "ROLLBACK")
		} else if f.undoes() {
			sess.conn.ExecContext(bg, "ROLLBACK TO rtcsim_stmt")
			sess.conn.ExecContext(bg, "RELEASE rtcsim_stmt")
		}
	}
	st, err := sess.prepare(ctx, tr.SQL)
	var res sql.Result
	if err == nil {
		res, err = st.ExecContext(ctx, args...)
	}
	if err != nil {
		undo()
		return 0, sess.srv.mapError(err, sess.spid, verb)
	}
	n, _ := res.RowsAffected()
	if e := f.after(); e != nil {
		undo()
		return 0, e
	}
	if auto {
		if _, err := sess.conn.ExecContext(context.Background(), "COMMIT"); err != nil {
			sess.conn.ExecContext(context.Background(), "ROLLBACK")
			return 0, sess.srv.mapError(err, sess.spid, verb)
		}
	} else if f.undoes() {
		sess.conn.ExecContext(context.Background(), "RELEASE rtcsim_stmt")
	}
	return uint64(n), nil
}

// resultCol is one column of a result set as it goes on the wire.
type resultCol struct {
	name     string
	typ      SQLType
	declared bool
}

// query runs a SELECT and streams COLMETADATA and ROW tokens. Columns of
// declared table columns carry their T-SQL type; expressions (COUNT(*)…)
// get the type their values need, which takes reading all rows first.
func (sess *session) query(ctx context.Context, tr *Translation, args []any) (uint64, *Error) {
	st, err := sess.prepare(ctx, tr.SQL)
	if err != nil {
		return 0, sess.srv.mapError(err, sess.spid, "SELECT")
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return 0, sess.srv.mapError(err, sess.spid, "SELECT")
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return 0, sess.srv.mapError(err, sess.spid, "SELECT")
	}
	cols := make([]resultCol, len(cts))
	allDeclared := true
	for i, ct := range cts {
		cols[i].name = ct.Name()
		if i < len(tr.Hints) && tr.Hints[i].Name != "" { // a catalog function: its SQL Server type
			cols[i].typ, cols[i].declared = tr.Hints[i], true
			if !isPlainName(cols[i].name) {
				cols[i].name = ""
			}
			continue
		}
		if t, err := ParseSQLType(ct.DatabaseTypeName()); err == nil && ct.DatabaseTypeName() != "" {
			cols[i].typ, cols[i].declared = t, true
			continue
		}
		allDeclared = false
		if !isPlainName(cols[i].name) {
			cols[i].name = "" // SQL Server leaves an unaliased expression unnamed
		}
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var buffered [][]any
	if !allDeclared {
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return 0, sess.srv.mapError(err, sess.spid, "SELECT")
			}
			buffered = append(buffered, append([]any(nil), vals...))
		}
		if err := rows.Err(); err != nil {
			return 0, sess.srv.mapError(err, sess.spid, "SELECT")
		}
		for i := range cols {
			if !cols[i].declared {
				cols[i].typ = inferType(buffered, i)
			}
		}
	}
	sess.writeColMetadata(cols)
	var n uint64
	writeRow := func(r []any) *Error {
		sess.out.u8(tokRow)
		for i, v := range r {
			if err := writeValue(&sess.out, cols[i].typ, v); err != nil {
				return asError(err)
			}
		}
		n++
		if len(sess.out.b) >= sess.packetSize {
			sess.flush()
		}
		if n%256 == 0 && ctx.Err() != nil {
			return sess.srv.mapError(ctx.Err(), sess.spid, "SELECT")
		}
		return nil
	}
	if allDeclared {
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return n, sess.srv.mapError(err, sess.spid, "SELECT")
			}
			if e := writeRow(vals); e != nil {
				return n, e
			}
		}
		if err := rows.Err(); err != nil {
			return n, sess.srv.mapError(err, sess.spid, "SELECT")
		}
		return n, nil
	}
	for _, r := range buffered {
		if e := writeRow(r); e != nil {
			return n, e
		}
	}
	return n, nil
}

func (sess *session) writeColMetadata(cols []resultCol) {
	sess.out.u8(tokColMetadata)
	sess.out.u16(uint16(len(cols)))
	for _, c := range cols {
		sess.out.u32(0)      // user type
		sess.out.u16(0x0009) // nullable, updatability unknown
		writeTypeInfo(&sess.out, c.typ)
		sess.out.bvarchar(c.name)
	}
}

func isPlainName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(isIdentChar(r) || (i == 0 && isIdentStart(r))) || (i == 0 && !isIdentStart(r)) {
			return false
		}
	}
	return true
}

// inferType picks the SQL Server type of an expression column from its values.
func inferType(rows [][]any, i int) SQLType {
	kind := ""
	fitsInt := true
	long := false
	for _, r := range rows {
		var k string
		switch x := r[i].(type) {
		case nil:
			continue
		case int64:
			k = "int"
			if x < -1<<31 || x >= 1<<31 {
				fitsInt = false
			}
		case float64:
			k = "float"
		case bool:
			k = "bit"
		case []byte:
			k = "varbinary"
		case time.Time:
			k = "datetime2"
		default:
			k = "nvarchar"
			if len([]rune(toString(x))) > 4000 {
				long = true
			}
		}
		if kind == "" {
			kind = k
		} else if kind != k {
			kind = "nvarchar"
			if len([]rune(toString(r[i]))) > 4000 {
				long = true
			}
		}
	}
	switch kind {
	case "", "int":
		if fitsInt {
			return SQLType{Name: "int"}
		}
		return SQLType{Name: "bigint"}
	case "float", "bit":
		return SQLType{Name: kind}
	case "varbinary":
		return SQLType{Name: "varbinary", Len: -1}
	case "datetime2":
		return SQLType{Name: "datetime2", Scale: 7}
	}
	if long {
		return SQLType{Name: "nvarchar", Len: -1}
	}
	return SQLType{Name: "nvarchar", Len: 4000}
}
