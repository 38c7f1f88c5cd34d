package rtcsim

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// session is one client connection, with its own SQLite connection so that
// a transaction lives exactly as long as the client's.
type session struct {
	srv        *Server
	nc         net.Conn
	spid       uint16
	user       string
	packetSize int
	pw         *packetWriter
	out        tokBuf

	conn  *sql.Conn
	stmts map[string]*sql.Stmt
	tran  uint64 // current transaction descriptor; 0 = none

	writing bool // holds the server's write turn (writeQueue)

	identityInsert string // the table whose SET IDENTITY_INSERT is ON, "" for none

	cur Statement // the request being served, for the counters and the statement log

	mu     sync.Mutex // guards cancel and attn, shared with the reader goroutine
	cancel context.CancelFunc
	attn   bool
}

func (s *Server) serveConn(nc net.Conn) {
	sess := &session{srv: s, nc: nc, spid: uint16(51 + s.nextSPID.Add(1)%30000), packetSize: defaultPacketSize, stmts: map[string]*sql.Stmt{}}
	s.stats.Connections.Add(1)
	br := bufio.NewReaderSize(nc, 16<<10)
	sess.pw = newPacketWriter(nc, sess.packetSize)
	if !sess.handshake(br) {
		return
	}
	defer sess.close()
	sess.loop(br)
}

// handshake runs PRELOGIN and LOGIN7; false ends the connection.
func (sess *session) handshake(br *bufio.Reader) bool {
	s := sess.srv
	sess.nc.SetReadDeadline(time.Now().Add(30 * time.Second))
	defer sess.nc.SetReadDeadline(time.Time{})
	m, err := readMessage(br)
	if err != nil || m.typ != pkPrelogin {
		return false // includes TLS-first (encrypt=strict), which rtcsim does not speak
	}
	sess.pw.begin(pkReply)
	sess.pw.Write(preloginReply())
	if sess.pw.end() != nil {
		return false
	}
	m, err = readMessage(br)
	if err != nil || m.typ != pkLogin7 {
		return false
	}
	l, err := parseLogin7(m.payload)
	if err != nil {
		s.logf("spid %d: %v", sess.spid, err)
		return false
	}
	var out tokBuf
	fail := func(e *Error) bool {
		out.sqlError(e, s.opts.ServerName)
		out.done(tokDone, doneError, 0, 0)
		sess.pw.begin(pkReply)
		sess.pw.Write(out.b)
		sess.pw.end()
		s.logf("spid %d: login refused: %s", sess.spid, e.Message)
		return false
	}
	switch {
	case l.integrated:
		return fail(&Error{Number: ErrUntrustedDomain, State: 1, Class: 14, Message: "Login failed. The login is from an untrusted domain and cannot be used with Integrated authentication."})
	case l.user != s.opts.User || l.password != s.opts.Password:
		// SQL Server compares login names case-insensitively but rtcsim keeps it exact: a test login is spelt one way.
		return fail(&Error{Number: ErrLoginFailed, State: 1, Class: 14, Message: fmt.Sprintf("Login failed for user '%s'.", l.user)})
	case l.database != "" && !strings.EqualFold(l.database, s.database):
		return fail(&Error{Number: ErrCannotOpenDB, State: 1, Class: 11, Message: fmt.Sprintf("Cannot open database \"%s\" requested by the login. The login failed.", l.database)})
	}
	if ps := int(l.packetSize); ps >= minPacketSize && ps <= maxPacketSize {
		sess.packetSize = ps
	}
	conn, err := s.db.Conn(context.Background())
	if err != nil {
		return fail(newError(ErrUserDefined, "rtcsim: %v", err))
	}
	sess.conn, sess.user = conn, l.user
	sess.loginAck(&out, l)
	sess.pw.begin(pkReply)
	sess.pw.Write(out.b)
	if sess.pw.end() != nil {
		return false
	}
	sess.pw = newPacketWriter(sess.nc, sess.packetSize)
	s.logf("spid %d: login %s from %s (%s)", sess.spid, l.user, sess.nc.RemoteAddr(), l.appName)
	return true
}

// loop serves requests until the client goes away. A reader goroutine keeps
// reading so that an ATTENTION can cancel the request being executed.
func (sess *session) loop(br *bufio.Reader) {
	msgs := make(chan message)
	quit := make(chan struct{})
	defer close(quit) // lets the reader go when this loop ends first (write error)
	go func() {
		defer close(msgs)
		for {
			m, err := readMessage(br)
			if err != nil {
				sess.mu.Lock()
				if sess.cancel != nil {
					sess.cancel() // client gone: stop the running statement
				}
				sess.mu.Unlock()
				return
			}
			if m.typ == pkAttention {
				sess.mu.Lock()
				if sess.cancel != nil {
					sess.attn = true
					sess.cancel()
					sess.mu.Unlock()
					continue
				}
				sess.mu.Unlock()
			}
			select {
			case msgs <- m:
			case <-quit:
				return
			}
		}
	}()
	for m := range msgs {
		sess.srv.stats.Requests.Add(1)
		sess.cur = Statement{Time: time.Now(), SPID: int(sess.spid)}
		if m.typ == pkAttention { // arrived between requests: confirm it on its own
			sess.cur.Kind = "attention"
			sess.srv.statements.add(sess.cur)
			sess.pw.begin(pkReply)
			sess.out.reset()
			sess.out.done(tokDone, doneAttn, 0, 0)
			sess.pw.Write(sess.out.b)
			if sess.pw.end() != nil {
				return
			}
			continue
		}
		if m.status&statusReset != 0 {
			sess.resetConnection()
		}
		ctx, cancel := context.WithCancel(context.Background())
		sess.mu.Lock()
		sess.cancel, sess.attn = cancel, false
		sess.mu.Unlock()

		sess.pw.begin(pkReply)
		sess.out.reset()
		fin := sess.dispatch(ctx, m)

		sess.mu.Lock()
		attn := sess.attn
		sess.cancel, sess.attn = nil, false
		sess.mu.Unlock()
		cancel()
		if attn {
			// The client cancelled: whatever was produced, the reply ends with
			// the DONE that carries DONE_ATTN (and no DONE_MORE before it).
			fin = final{tok: tokDone, status: doneAttn}
		}
		sess.out.done(fin.tok, fin.status, fin.cmd, fin.rows)
		sess.flush()
		sess.srv.statements.add(sess.cur)
		if sess.pw.end() != nil {
			return
		}
	}
}

// final is the DONE/DONEPROC token that ends a reply.
type final struct {
	tok    byte
	status uint16
	cmd    uint16
	rows   uint64
}

// flush moves the pending tokens into packets.
func (sess *session) flush() {
	if len(sess.out.b) > 0 {
		sess.pw.Write(sess.out.b)
		sess.out.reset()
	}
}

func (sess *session) dispatch(ctx context.Context, m message) final {
	body, err := skipAllHeaders(m.payload)
	if err != nil && m.typ != pkAttention {
		return sess.fail(newError(ErrUserDefined, "rtcsim: %v", err), tokDone)
	}
	switch m.typ {
	case pkSQLBatch:
		text := fromUCS2(body)
		sess.srv.stats.Batches.Add(1)
		sess.cur.Kind, sess.cur.Text = "batch", text
		sess.srv.logf("spid %d: batch: %s", sess.spid, oneLine(text))
		return sess.runStatement(ctx, text, nil, tokDone)
	case pkRPC:
		sess.srv.stats.RPCs.Add(1)
		sess.cur.Kind = "rpc"
		return sess.rpc(ctx, body)
	case pkTransMgr:
		sess.srv.stats.TransMgr.Add(1)
		sess.cur.Kind = "transaction"
		return sess.transMgr(ctx, body)
	}
	return sess.fail(newError(ErrUserDefined, "rtcsim: TDS request type %d is not supported", m.typ), tokDone)
}

// fail writes e and returns the error DONE of the given kind.
func (sess *session) fail(e *Error, tok byte) final {
	sess.srv.stats.Errors.Add(1)
	sess.cur.Error = e.Number
	sess.srv.logf("spid %d: error %d: %s", sess.spid, e.Number, e.Message)
	if e.Number == ErrDeadlock {
		sess.abortTran()
	}
	sess.out.sqlError(e, sess.srv.opts.ServerName)
	return final{tok: tok, status: doneError}
}

// abortTran rolls back the client's transaction after an error that ends
// it (1205), telling the client with ENVCHANGE 10 as SQL Server does.
func (sess *session) abortTran() {
	if sess.tran == 0 {
		return
	}
	sess.conn.ExecContext(context.Background(), "ROLLBACK")
	sess.endWrite()
	sess.out.envchangeBytes(10, nil, tranDesc(sess.tran))
	sess.tran = 0
}

func tranDesc(id uint64) []byte { return binary.LittleEndian.AppendUint64(nil, id) }

// resetConnection is RESETCONNECTION: the pooled connection starts clean.
func (sess *session) resetConnection() {
	sess.identityInsert = ""
	if sess.tran != 0 {
		sess.conn.ExecContext(context.Background(), "ROLLBACK")
		sess.endWrite()
		sess.tran = 0
	}
}

func (sess *session) close() {
	if sess.tran != 0 {
		sess.conn.ExecContext(context.Background(), "ROLLBACK")
	}
	sess.endWrite()
	for _, st := range sess.stmts {
		st.Close()
	}
	sess.conn.Close()
}

// transMgr serves TransMgrReq BEGIN, COMMIT and ROLLBACK (go-mssqldb
// BeginTx/Commit/Rollback never use SQL text for them).
func (sess *session) transMgr(ctx context.Context, body []byte) final {
	r := &reader{b: body}
	req := r.u16()
	if r.err != nil {
		return sess.fail(newError(ErrUserDefined, "rtcsim: short TransMgr request"), tokDone)
	}
	sess.cur.Verb = map[uint16]string{5: "BEGIN", 7: "COMMIT", 8: "ROLLBACK"}[req]
	sess.cur.Text = sess.cur.Verb
	switch req {
	case 5: // BEGIN
		if sess.tran != 0 {
			return sess.fail(unsupported("nested BEGIN TRANSACTION"), tokDone)
		}
		// Every client transaction takes the write lock up front (BEGIN
		// IMMEDIATE): a deferred one could fail to upgrade without waiting.
		if e := sess.beginWrite(ctx, "BEGIN"); e != nil {
			return sess.fail(e, tokDone)
		}
		sess.tran = sess.srv.nextTran.Add(1)
		sess.out.envchangeBytes(8, tranDesc(sess.tran), nil)
	case 7, 8: // COMMIT, ROLLBACK
		if sess.tran == 0 {
			if req == 7 {
				return sess.fail(newError(ErrNoTranForCommit, "The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION."), tokDone)
			}
			return sess.fail(newError(ErrNoTranForRollbk, "The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION."), tokDone)
		}
		verb, env := "COMMIT", byte(9)
		if req == 8 {
			verb, env = "ROLLBACK", 10
		}
		_, err := sess.conn.ExecContext(context.Background(), verb)
		old := sess.tran
		if err != nil {
			e := sess.srv.mapError(err, sess.spid, verb)
			sess.conn.ExecContext(context.Background(), "ROLLBACK")
			sess.endWrite()
			sess.tran = 0
			sess.out.envchangeBytes(10, nil, tranDesc(old))
			return sess.fail(e, tokDone)
		}
		sess.endWrite()
		sess.tran = 0
		sess.out.envchangeBytes(env, nil, tranDesc(old))
		sess.srv.logf("spid %d: %s", sess.spid, verb)
	default:
		return sess.fail(unsupported("transaction manager request %d", req), tokDone)
	}
	return final{tok: tokDone}
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
