package rtcsim

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ProcHandler implements a stored procedure declared in the schema. It runs
// inside the client's transaction (or its own, without one) and inside a
// savepoint: returning an error undoes its work, a non-zero status does not
// (as in SQL Server, the caller decides to roll back).
type ProcHandler func(c *ProcCall) (status int32, err error)

// ProcCall is one call of a procedure, as its handler sees it.
type ProcCall struct {
	Proc *Procedure
	args map[string]any
	ctx  context.Context
	sess *session
	done []procDone
}

type procDone struct {
	cmd  uint16
	rows int64
}

// Context is cancelled when the client sends ATTENTION.
func (c *ProcCall) Context() context.Context { return c.ctx }

// Arg returns the argument for a parameter (with or without @,
// case-insensitive), converted to the declared type; nil if NULL.
func (c *ProcCall) Arg(name string) any {
	return c.args[strings.ToLower("@"+strings.TrimPrefix(name, "@"))]
}

// Exec runs SQLite SQL on the session's connection; the row count goes to
// the client as a DONEINPROC, as SQL Server reports each statement of a procedure.
func (c *ProcCall) Exec(query string, args ...any) (int64, error) {
	res, err := c.sess.conn.ExecContext(c.ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	cmd := uint16(cmdUpdate)
	switch w := strings.ToUpper(strings.Fields(query + " x")[0]); w {
	case "DELETE":
		cmd = cmdDelete
	case "INSERT":
		cmd = cmdInsert
	}
	c.done = append(c.done, procDone{cmd, n})
	return n, nil
}

// QueryRow runs a SQLite query on the session's connection.
func (c *ProcCall) QueryRow(query string, args ...any) *sql.Row {
	return c.sess.conn.QueryRowContext(c.ctx, query, args...)
}

// DeleteTouched deletes, in declared order, the rows of every TOUCHES table
// whose key column equals key, and returns the total.
func (c *ProcCall) DeleteTouched(key any) (int64, error) {
	var total int64
	for _, t := range c.Proc.Touches {
		n, err := c.Exec(fmt.Sprintf("DELETE FROM %s WHERE %s = ?", quoteIdent(t.Table), quoteIdent(t.Key)), key)
		if err != nil {
			return total, fmt.Errorf("%s: delete %s: %w", c.Proc.Name, t.Table, err)
		}
		total += n
	}
	return total, nil
}

// HandleProc installs h for the procedure named name (declared in the schema),
// replacing the built-in handler.
func (s *Server) HandleProc(name string, h ProcHandler) {
	s.mu.Lock()
	s.handlers[strings.ToLower(procBaseName(name))] = h
	s.mu.Unlock()
}

func (s *Server) handler(name string) ProcHandler {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.handlers[strings.ToLower(name)]; h != nil {
		return h
	}
	return deleteTouched
}

// procBaseName strips brackets, database and schema: [rtc].[dbo].[X] -> X.
func procBaseName(name string) string {
	name = strings.NewReplacer("[", "", "]", "").Replace(strings.TrimSpace(name))
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// rpcParam is one parameter of an RPC request.
type rpcParam struct {
	name   string // with @, as sent; "" when positional
	value  any
	typ    SQLType
	output bool
}

func readRPCParams(r *reader) ([]rpcParam, error) {
	var out []rpcParam
	for len(r.b) > 0 && r.err == nil {
		if r.b[0] == 0xFF {
			return nil, unsupported("several RPCs in one request")
		}
		name := r.bvarchar()
		status := r.u8()
		if status&0x08 != 0 {
			return nil, unsupported("Always Encrypted parameters")
		}
		v, t, err := readParamValue(r)
		if err != nil {
			return nil, err
		}
		out = append(out, rpcParam{name: name, value: v, typ: t, output: status&0x01 != 0})
	}
	if r.err != nil {
		return nil, newError(ErrUserDefined, "rtcsim: malformed RPC parameters: %v", r.err)
	}
	return out, nil
}

// rpc serves an RPC request: sp_executesql (proc id 10) or a procedure by name.
func (sess *session) rpc(ctx context.Context, body []byte) final {
	r := &reader{b: body}
	n := r.u16()
	name := ""
	if n == 0xFFFF {
		if id := r.u16(); id != 10 {
			return sess.fail(unsupported("RPC to system procedure id %d (only sp_executesql, id 10)", id), tokDoneProc)
		}
	} else {
		name = fromUCS2(r.take(int(n) * 2))
	}
	r.u16() // option flags
	if r.err != nil {
		return sess.fail(newError(ErrUserDefined, "rtcsim: malformed RPC"), tokDoneProc)
	}
	params, err := readRPCParams(r)
	if err != nil {
		return sess.fail(asError(err), tokDoneProc)
	}
	if len(params) > maxParams {
		return sess.fail(newError(ErrTooManyParams, "The incoming request has too many parameters. The server supports a maximum of %d parameters. Reduce the number of parameters and resend the request.", maxParams), tokDoneProc)
	}
	sess.cur.Params = len(params)
	if name != "" {
		sess.cur.Text = name
		if strings.EqualFold(procBaseName(name), "sp_executesql") {
			return sess.fail(unsupported("sp_executesql by name"), tokDoneProc)
		}
		return sess.callProc(ctx, name, params)
	}
	sess.cur.Kind = "sp_executesql"
	if len(params) < 1 {
		return sess.fail(newError(ErrParamMissing, "Procedure expects parameter '@statement' of type 'ntext/nchar/nvarchar'."), tokDoneProc)
	}
	text, ok := params[0].value.(string)
	if !ok {
		return sess.fail(newError(214, "Procedure expects parameter '@statement' of type 'ntext/nchar/nvarchar'."), tokDoneProc)
	}
	sess.cur.Text, sess.cur.Params = text, max(len(params)-2, 0)
	args := map[string]any{}
	for i, p := range params {
		if i < 2 {
			continue // statement and declarations
		}
		if p.output {
			return sess.fail(unsupported("OUTPUT parameters"), tokDoneProc)
		}
		args[strings.ToLower(p.name)] = p.value
	}
	sess.srv.logf("spid %d: sp_executesql: %s (%d params)", sess.spid, oneLine(text), len(args))
	// A SET inside sp_executesql lasts until it returns, as in SQL Server:
	// SET IDENTITY_INSERT must be sent as a batch of its own to stay on.
	defer func(saved string) { sess.identityInsert = saved }(sess.identityInsert)
	return sess.runStatement(ctx, text, args, tokDoneProc)
}

// callProc runs a declared procedure's handler and writes DONEINPROC per
// statement, RETURNSTATUS and DONEPROC.
func (sess *session) callProc(ctx context.Context, name string, params []rpcParam) final {
	s := sess.srv
	fail := func(e *Error) final { return sess.fail(e, tokDoneProc) }
	parts := strings.Split(strings.NewReplacer("[", "", "]", "").Replace(name), ".")
	if len(parts) == 3 && !strings.EqualFold(parts[0], s.database) {
		return fail(unsupported("procedure in another database (%s)", parts[0]))
	}
	sess.cur.Verb = "EXEC"
	proc := s.schema.Proc(procBaseName(name))
	if proc == nil {
		return fail(newError(ErrProcNotFound, "Could not find stored procedure '%s'.", name))
	}
	sess.cur.Write = true // a procedure may write: what it did is counted below
	s.stats.WriteRequests.Add(1)
	args, e := bindProcArgs(proc, params)
	if e != nil {
		e.Proc = proc.Name
		return fail(e)
	}
	s.logf("spid %d: exec %s %v", sess.spid, proc.Name, args)
	f := s.fireFault(proc.Name, "")
	if e := f.before(ctx); e != nil {
		e.Proc = proc.Name
		return fail(e)
	}
	auto := sess.tran == 0
	undo, keep := "ROLLBACK TO rtcsim_proc", "RELEASE rtcsim_proc"
	if auto {
		undo, keep = "ROLLBACK", "COMMIT"
		if e := sess.beginWrite(ctx, "EXECUTE"); e != nil {
			return fail(e)
		}
		defer sess.endWrite()
	} else if _, err := sess.conn.ExecContext(ctx, "SAVEPOINT rtcsim_proc"); err != nil {
		return fail(s.mapError(err, sess.spid, "EXECUTE"))
	}
	call := &ProcCall{Proc: proc, args: args, ctx: ctx, sess: sess}
	status, err := s.handler(proc.Name)(call)
	if err == nil {
		if fe := f.after(); fe != nil {
			err = fe
		}
	}
	if err != nil {
		bg := context.Background()
		sess.conn.ExecContext(bg, undo)
		if !auto {
			sess.conn.ExecContext(bg, keep)
		}
		e := s.mapError(err, sess.spid, "DELETE")
		if e.Proc == "" {
			e.Proc = proc.Name
		}
		return fail(e)
	}
	if _, err := sess.conn.ExecContext(context.Background(), keep); err != nil {
		sess.conn.ExecContext(context.Background(), "ROLLBACK")
		return fail(s.mapError(err, sess.spid, "EXECUTE"))
	}
	if f != nil && f.Status != 0 {
		status = f.Status
	}
	for _, d := range call.done {
		sess.out.done(tokDoneInProc, doneCount|doneMore, d.cmd, uint64(d.rows))
		sess.wrote(d.rows)
	}
	sess.out.u8(tokReturnStatus)
	sess.out.u32(uint32(status))
	return final{tok: tokDoneProc}
}

// bindProcArgs matches RPC parameters to the declared ones, by name or
// position, converting each value to the declared type.
func bindProcArgs(proc *Procedure, params []rpcParam) (map[string]any, *Error) {
	args := map[string]any{}
	for i, p := range params {
		if p.output {
			return nil, unsupported("OUTPUT parameters")
		}
		var decl *Param
		if p.name == "" {
			if i >= len(proc.Params) {
				return nil, newError(8144, "Procedure or function %s has too many arguments specified.", proc.Name)
			}
			decl = &proc.Params[i]
		} else {
			for j := range proc.Params {
				if strings.EqualFold(proc.Params[j].Name, p.name) {
					decl = &proc.Params[j]
				}
			}
			if decl == nil {
				return nil, newError(ErrParamNotDecl, "%s is not a parameter for procedure %s.", p.name, proc.Name)
			}
		}
		v, err := convertArg(p.value, decl.Type)
		if err != nil {
			return nil, newError(8114, "Error converting data type %s to %s.", p.typ.Name, decl.Type.Name)
		}
		args[strings.ToLower(decl.Name)] = v
	}
	for _, d := range proc.Params {
		if _, ok := args[strings.ToLower(d.Name)]; !ok {
			return nil, newError(ErrParamMissing, "Procedure or function '%s' expects parameter '%s', which was not supplied.", proc.Name, d.Name)
		}
	}
	return args, nil
}

// convertArg converts an RPC value to a declared parameter type the way SQL
// Server's implicit conversion would, or fails.
func convertArg(v any, t SQLType) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch {
	case t.isInteger():
		var n int64
		switch x := v.(type) {
		case int64:
			n = x
		case bool:
			if x {
				n = 1
			}
		case float64:
			if x != math.Trunc(x) {
				return nil, fmt.Errorf("not an integer")
			}
			n = int64(x)
		case string:
			var err error
			if n, err = strconv.ParseInt(strings.TrimSpace(x), 10, 64); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("not an integer")
		}
		lim := map[string][2]int64{"tinyint": {0, 255}, "smallint": {-32768, 32767}, "int": {math.MinInt32, math.MaxInt32}, "bigint": {math.MinInt64, math.MaxInt64}}[t.Name]
		if t.Name == "bit" {
			if n != 0 {
				n = 1
			}
		} else if n < lim[0] || n > lim[1] {
			return nil, fmt.Errorf("out of range")
		}
		return n, nil
	case t.Name == "float" || t.Name == "real":
		return toFloat64(v)
	case t.isText():
		var s string
		switch x := v.(type) {
		case []byte:
			return nil, fmt.Errorf("binary to text")
		default:
			s = toString(x)
		}
		if r := []rune(s); t.Len > 0 && len(r) > t.Len {
			s = string(r[:t.Len]) // parameters are truncated silently, as SQL Server does
		}
		return s, nil
	case t.isBinary():
		b, ok := v.([]byte)
		if !ok {
			return nil, fmt.Errorf("not binary")
		}
		return b, nil
	case t.Name == "uniqueidentifier":
		g, err := parseGUID(toString(v))
		if err != nil {
			return nil, err
		}
		return formatGUID(g), nil
	default: // dates
		tm, err := toTime(v)
		if err != nil {
			return nil, err
		}
		return tm.Format(timeLayout), nil
	}
}
