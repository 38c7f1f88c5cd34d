package rtcsim

import (
	"encoding/json"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Stats counts what the server did, for benchmarks and tests. A request is
// one client round trip: a TDS SQL batch, an RPC (sp_executesql or a
// procedure by name), a transaction-manager request (BEGIN, COMMIT,
// ROLLBACK) or an ATTENTION.
type Stats struct {
	Connections atomic.Int64 // logins accepted
	Requests    atomic.Int64 // every request (the kinds below, plus ATTENTION)
	Batches     atomic.Int64 // SQL batches
	RPCs        atomic.Int64 // RPCs: sp_executesql and procedures by name
	TransMgr    atomic.Int64 // transaction-manager requests
	Errors      atomic.Int64 // requests answered with an error

	// WriteRequests counts the requests that may write — INSERT, UPDATE,
	// DELETE, a procedure call — whether or not they changed a row or
	// succeeded. A read-only client leaves it at 0.
	WriteRequests atomic.Int64
	// RowsWritten counts the rows those requests changed (each statement's
	// row count, a procedure's statements added up), committed or not.
	RowsWritten atomic.Int64
}

// StatsSnapshot is Stats at one moment, as plain numbers (and the JSON
// cmd/rtcsim --stats writes).
type StatsSnapshot struct {
	Connections   int64 `json:"connections"`
	Requests      int64 `json:"requests"`
	Batches       int64 `json:"batches"`
	RPCs          int64 `json:"rpcs"`
	TransMgr      int64 `json:"transaction_requests"`
	Errors        int64 `json:"errors"`
	WriteRequests int64 `json:"write_requests"`
	RowsWritten   int64 `json:"rows_written"`
}

// Snapshot reads every counter.
func (s *Stats) Snapshot() StatsSnapshot {
	return StatsSnapshot{Connections: s.Connections.Load(), Requests: s.Requests.Load(), Batches: s.Batches.Load(),
		RPCs: s.RPCs.Load(), TransMgr: s.TransMgr.Load(), Errors: s.Errors.Load(),
		WriteRequests: s.WriteRequests.Load(), RowsWritten: s.RowsWritten.Load()}
}

// Sub returns the counts between an earlier snapshot and s.
func (s StatsSnapshot) Sub(earlier StatsSnapshot) StatsSnapshot {
	return StatsSnapshot{Connections: s.Connections - earlier.Connections, Requests: s.Requests - earlier.Requests,
		Batches: s.Batches - earlier.Batches, RPCs: s.RPCs - earlier.RPCs, TransMgr: s.TransMgr - earlier.TransMgr,
		Errors: s.Errors - earlier.Errors, WriteRequests: s.WriteRequests - earlier.WriteRequests,
		RowsWritten: s.RowsWritten - earlier.RowsWritten}
}

// Statement is one request as the statement log records it.
type Statement struct {
	Time time.Time `json:"time"`
	SPID int       `json:"spid"`
	// Kind is the request: "batch", "sp_executesql", "rpc" (a procedure by
	// name), "transaction" or "attention".
	Kind string `json:"kind"`
	// Verb is SELECT, INSERT, UPDATE, DELETE or SET for SQL text; EXEC for a
	// procedure; BEGIN, COMMIT or ROLLBACK for a transaction request; "" when
	// the text was refused before it was understood.
	Verb    string `json:"verb,omitempty"`
	Text    string `json:"text,omitempty"`   // the SQL text, or the procedure's name as sent
	Params  int    `json:"params,omitempty"` // parameters sent with it
	Write   bool   `json:"write"`            // INSERT, UPDATE, DELETE or a procedure call: it may write
	Rows    int64  `json:"rows"`             // rows returned (SELECT) or changed
	Written int64  `json:"written"`          // rows changed
	Error   int32  `json:"error,omitempty"`  // the SQL Server error number it was answered with
}

// statementLog keeps the last requests in memory and/or writes them as JSON lines.
type statementLog struct {
	mu      sync.Mutex
	keep    int
	entries []Statement
	dropped int64
	w       io.Writer
	enc     *json.Encoder
}

func newStatementLog(keep int, w io.Writer) *statementLog {
	if keep <= 0 && w == nil {
		return nil
	}
	l := &statementLog{keep: keep, w: w}
	if w != nil {
		l.enc = json.NewEncoder(w)
		l.enc.SetEscapeHTML(false)
	}
	return l
}

func (l *statementLog) add(st Statement) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.enc != nil {
		l.enc.Encode(st) // a log that cannot be written must not stop the server
	}
	if l.keep <= 0 {
		return
	}
	if len(l.entries) == l.keep {
		n := copy(l.entries, l.entries[l.keep/4:]) // drop the oldest quarter at once
		l.dropped += int64(len(l.entries) - n)
		l.entries = l.entries[:n]
	}
	l.entries = append(l.entries, st)
}

// Statements returns the requests the server kept in memory
// (Options.KeepStatements), oldest first, and how many older ones it dropped.
func (s *Server) Statements() ([]Statement, int64) {
	l := s.statements
	if l == nil {
		return nil, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Statement(nil), l.entries...), l.dropped
}

// StatsRecord is what WriteStats writes (cmd/rtcsim --stats FILE): the
// counters, when, and Seq, a number that grows with every record, so that a
// reader polling the file knows a record is new.
type StatsRecord struct {
	Seq  int64     `json:"seq"`
	Time time.Time `json:"time"`
	StatsSnapshot
}

// WriteStats writes the server's counters to w as one StatsRecord in JSON.
func (s *Server) WriteStats(w io.Writer) error {
	v := StatsRecord{s.statsSeq.Add(1), time.Now().UTC(), s.stats.Snapshot()}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
