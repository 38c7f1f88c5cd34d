// Package rtcsim is a TEST-ONLY stand-in for the Lync/OCS rtc SQL Server
// database: a TDS 7.4 server (the SQL Server wire protocol, as the
// unmodified go-mssqldb driver and FreeTDS speak it) over a pure-Go SQLite
// file. It accepts exactly the T-SQL subset of SPEC 7, refuses the rest,
// emulates sysobjects, INFORMATION_SCHEMA and sys.index_columns from the
// schema file's declared types and indexes, and serves the rtc stored procedures by name with Go handlers.
// The product never imports it.
package rtcsim

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
)

// The schemas served by short name (the files testdata/rtc/<name>.sql,
// embedded through the module's root package: one copy of each).
var (
	// ReconstructedSchemas are rebuilt from Cisco's log and the SPEC.
	ReconstructedSchemas = []string{"ocs2007", "lync2010", "lync2013"}
	// EvidenceSchemas are shaped by the public evidence (research/rtc-evidence.md):
	// the evidence schema and its unsafe variant, whose homed-resource procedure
	// also removes the user from other users' contact lists.
	EvidenceSchemas = []string{"lync2013-evidence", "lync2013-evidence-unsafe"}
	// SchemaNames lists every short name --schema and Options.Schema accept.
	SchemaNames = append(append([]string{}, ReconstructedSchemas...), EvidenceSchemas...)
)

// SchemaText returns the text of a schema — a short name of SchemaNames or
// the path of a file — with its INCLUDE lines replaced by the included text.
func SchemaText(nameOrPath string) (string, error) {
	for _, n := range SchemaNames {
		if strings.EqualFold(nameOrPath, n) {
			return expandIncludes(rtcFile{name: n}, 0)
		}
	}
	text, err := expandIncludes(rtcFile{path: nameOrPath}, 0)
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("schema %q: not one of %s and not a readable file: %w", nameOrPath, strings.Join(SchemaNames, ", "), err)
	}
	return text, err
}

// RTCFileText returns testdata/rtc/<name>.sql of the repository (embedded)
// for a bare name such as "sample", or the file at a path (a path has a
// separator or ends in .sql).
func RTCFileText(nameOrPath string) (string, error) {
	if isPath(nameOrPath) {
		return rtcFile{path: nameOrPath}.read()
	}
	return rtcFile{name: nameOrPath}.read()
}

func isPath(s string) bool {
	return strings.ContainsAny(s, `/\`) || strings.HasSuffix(strings.ToLower(s), ".sql")
}

// rtcFile is an embedded testdata/rtc file by bare name, or a file on disk.
type rtcFile struct{ name, path string }

func (f rtcFile) String() string {
	if f.path != "" {
		return f.path
	}
	return f.name
}

func (f rtcFile) read() (string, error) {
	if f.path != "" {
		b, err := os.ReadFile(f.path)
		return string(b), err
	}
	b, err := lyncmigrate.RTCFiles.ReadFile(lyncmigrate.RTCDir + "/" + f.name + ".sql")
	if err != nil {
		return "", fmt.Errorf("%s: no %s/%s.sql in this build: %w", f.name, lyncmigrate.RTCDir, f.name, os.ErrNotExist)
	}
	return string(b), nil
}

// expandIncludes reads a schema and replaces each "-- INCLUDE x" line by the
// text of x: a bare name (lync2013-evidence) is an embedded schema; a file
// name is relative to the including file (an embedded file includes embedded
// files only).
func expandIncludes(f rtcFile, depth int) (string, error) {
	if depth > 4 {
		return "", fmt.Errorf("schema %s: INCLUDE nested too deep", f)
	}
	text, err := f.read()
	if err != nil {
		return "", err
	}
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for i, l := range lines {
		body, ok := strings.CutPrefix(strings.TrimSpace(l), "--")
		target, isInclude := strings.CutPrefix(strings.TrimSpace(body), "INCLUDE ")
		if !ok || !isInclude {
			b.WriteString(l)
			continue
		}
		target = strings.TrimSpace(target)
		inc := rtcFile{name: strings.TrimSuffix(target, ".sql")}
		switch {
		case f.path != "" && isPath(target):
			inc = rtcFile{path: target}
			if !filepath.IsAbs(target) {
				inc.path = filepath.Join(filepath.Dir(f.path), target)
			}
		case strings.ContainsAny(inc.name, `/\`):
			return "", fmt.Errorf("schema %s line %d: an embedded schema includes bare names only", f, i+1)
		}
		incText, err := expandIncludes(inc, depth+1)
		if err != nil {
			return "", fmt.Errorf("schema %s line %d: INCLUDE %s: %w", f, i+1, target, err)
		}
		fmt.Fprintf(&b, "-- (INCLUDE %s: its text follows)\n%s", target, incText)
		if !strings.HasSuffix(incText, "\n") {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "-- (end of %s)\n", target)
	}
	return b.String(), nil
}

// Options configure a Server.
type Options struct {
	Schema      string        // embedded schema name or path; ignored when DBPath already holds a database
	DBPath      string        // SQLite file; created with the schema when missing or empty
	User        string        // SQL login accepted (default "sa")
	Password    string        // its password; empty accepts an empty password only
	Database    string        // database name (default "rtc")
	ServerName  string        // reported in errors and the browser answer (default "RTCSIM")
	Instance    string        // instance name for the SQL Browser answer (default "RTC")
	BusyTimeout time.Duration // longest wait for the write lock (queue, then SQLite busy_timeout) before error 1205 (default 10s)
	Logf        func(format string, args ...any)

	// The statement log (Statement: every request, what it was, whether it
	// wrote): KeepStatements > 0 keeps the last ones in memory for
	// Statements(); StatementLog, if set, gets each as a JSON line.
	KeepStatements int
	StatementLog   io.Writer
}

// Server is one simulated rtc database server.
type Server struct {
	opts     Options
	database string
	schema   *Schema
	db       *sql.DB

	mu        sync.Mutex
	listeners []net.Listener
	conns     map[net.Conn]struct{}
	handlers  map[string]ProcHandler
	faults    []*faultState
	closed    bool
	wg        sync.WaitGroup

	nextSPID   atomic.Uint32
	nextTran   atomic.Uint64
	cache      sync.Map // T-SQL text -> *Translation
	cacheSize  atomic.Int64
	stats      Stats
	statsSeq   atomic.Int64
	statements *statementLog // nil: no statement log
	writes     writeQueue    // client write transactions, first come first served
}

// Open opens (creating if needed) the SQLite database and returns a server
// that is not yet listening.
func Open(opts Options) (*Server, error) {
	if opts.User == "" {
		opts.User = "sa"
	}
	if opts.Database == "" {
		opts.Database = "rtc"
	}
	if opts.ServerName == "" {
		opts.ServerName = "RTCSIM"
	}
	if opts.Instance == "" {
		opts.Instance = "RTC"
	}
	if opts.BusyTimeout == 0 {
		opts.BusyTimeout = 10 * time.Second
	}
	if opts.DBPath == "" {
		return nil, errors.New("rtcsim: DBPath is required")
	}
	db, err := openSQLite(opts.DBPath, opts.BusyTimeout)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, database: opts.Database, db: db, conns: map[net.Conn]struct{}{}, handlers: map[string]ProcHandler{},
		statements: newStatementLog(opts.KeepStatements, opts.StatementLog)}
	if err := s.loadSchema(); err != nil {
		db.Close()
		return nil, err
	}
	s.registerBuiltinHandlers()
	return s, nil
}

func openSQLite(path string, busy time.Duration) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(0)")
	q.Set("_dqs", "0") // a misspelt "identifier" must be an error, not a string
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("rtcsim: open %s: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("rtcsim: open %s: %w", path, err)
	}
	return db, nil
}

// loadSchema creates the schema in a new database, or reads back the one
// an existing database was created with.
func (s *Server) loadSchema() error {
	ctx := context.Background()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE name = 'rtcsim_meta'`).Scan(&n); err != nil {
		return fmt.Errorf("rtcsim: %w", err)
	}
	if n == 1 {
		var text, dbName string
		err := s.db.QueryRowContext(ctx, `SELECT (SELECT value FROM rtcsim_meta WHERE name = 'schema_text'), (SELECT value FROM rtcsim_meta WHERE name = 'database')`).Scan(&text, &dbName)
		if err != nil {
			return fmt.Errorf("rtcsim: read schema of %s: %w", s.opts.DBPath, err)
		}
		if !strings.EqualFold(dbName, s.database) {
			return fmt.Errorf("rtcsim: %s holds database %q, not %q", s.opts.DBPath, dbName, s.database)
		}
		sch, err := ParseSchema(text)
		if err != nil {
			return fmt.Errorf("rtcsim: schema stored in %s: %w", s.opts.DBPath, err)
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("rtcsim: %w", err)
		}
		defer tx.Rollback()
		if err := buildCatalog(ctx, tx, sch, dbName); err != nil {
			return fmt.Errorf("rtcsim: rebuild the catalog of %s: %w", s.opts.DBPath, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("rtcsim: %w", err)
		}
		s.schema = sch
		return nil
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
		return fmt.Errorf("rtcsim: %w", err)
	}
	if n != 0 {
		return fmt.Errorf("rtcsim: %s is a SQLite database that rtcsim did not create", s.opts.DBPath)
	}
	if s.opts.Schema == "" {
		return errors.New("rtcsim: a new database needs a schema")
	}
	text, err := SchemaText(s.opts.Schema)
	if err != nil {
		return fmt.Errorf("rtcsim: %w", err)
	}
	sch, err := ParseSchema(text)
	if err != nil {
		return fmt.Errorf("rtcsim: schema %s: %w", s.opts.Schema, err)
	}
	if err := createSchema(ctx, s.db, sch, s.database, s.opts.Schema, text); err != nil {
		return fmt.Errorf("rtcsim: create schema %s: %w", s.opts.Schema, err)
	}
	s.schema = sch
	return nil
}

// Schema returns the parsed schema the database was created with.
func (s *Server) Schema() *Schema { return s.schema }

// SQLite returns the server's own SQLite handle (tables under their plain names).
func (s *Server) SQLite() *sql.DB { return s.db }

// Database returns the database name clients log in to.
func (s *Server) Database() string { return s.database }

// Stats returns the server's counters.
func (s *Server) Stats() *Stats { return &s.stats }

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// Listen starts accepting TDS connections on addr ("127.0.0.1:0" picks a port).
func (s *Server) Listen(addr string) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("rtcsim: listen %s: %w", addr, err)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return nil, errors.New("rtcsim: server closed")
	}
	s.listeners = append(s.listeners, ln)
	s.wg.Add(1)
	s.mu.Unlock()
	go s.accept(ln)
	return ln.Addr(), nil
}

func (s *Server) accept(ln net.Listener) {
	defer s.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.logf("accept: %v", err)
			}
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			s.serveConn(c)
		}()
	}
}

// Close stops listening, drops every connection (rolling back open
// transactions) and closes the database.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for _, ln := range s.listeners {
		ln.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return s.db.Close()
}

// translate returns the cached translation of text.
func (s *Server) translate(text string) (*Translation, error) {
	if v, ok := s.cache.Load(text); ok {
		return v.(*Translation), nil
	}
	t, err := Translate(text, s.database)
	if err != nil {
		return nil, err
	}
	if s.cacheSize.Add(1) > 4096 { // bounded: a client sending endless distinct text must not grow memory
		s.cache.Clear()
		s.cacheSize.Store(0)
	}
	s.cache.Store(text, t)
	return t, nil
}

// StdLogf is an Options.Logf writing to w with a timestamp.
func StdLogf(w io.Writer) func(string, ...any) {
	l := log.New(w, "rtcsim ", log.LstdFlags|log.Lmicroseconds)
	return l.Printf
}
