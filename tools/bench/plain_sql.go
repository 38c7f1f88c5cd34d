package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	mssql "github.com/microsoft/go-mssqldb"
)

// The plain delete loop (SPEC 8): what deleteaccount sends, with database/sql and go-mssqldb
// alone — per user the ResourceId lookup, then one transaction running the Lync 2013 plan in
// Cisco's order (two stored procedures over RPC and nine DELETEs), the same pool size
// (max open = idle = workers) and workers. No log, no backup, no count, no schema check.
// The names are rtcsim's (testdata/rtc/lync2013.sql), which is what the server accepts.

const plainLookup = "SELECT ResourceId FROM Resource WHERE UserAtHost = @p1"

type planStep struct {
	proc  string // stored procedure, called with the ResourceId as its one (positional) argument
	table string // else DELETE FROM table WHERE column = @p1
	col   string
}

var plainPlan = []planStep{
	{proc: "dbo.RtcpDeleteHomedResourceTransaction"},
	{table: "CachedContainerMember", col: "OwnerId"},
	{table: "ContainerMemberUser", col: "OwnerId"},
	{table: "PromptedSubscriber", col: "OwnerId"},
	{table: "Delegate", col: "OwnerId"},
	{proc: "dbo.RtcpDeleteConferenceParticipantByEnterpriseId"},
	{table: "UserPolicy", col: "ResourceId"},
	{table: "ResourcePhone", col: "ResourceId"},
	{table: "RtcItem", col: "ResourceId"},
	{table: "PUIDDirectory", col: "ResourceId"},
	{table: "ResourceDirectory", col: "ResourceId"},
}

func openPool(dsn string, workers int) (*sql.DB, error) {
	db, err := sql.Open("sqlserver", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(workers)
	db.SetMaxIdleConns(workers)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// userAtHost is the Resource key of a SIP URI.
func userAtHost(uri string) string {
	if len(uri) > 4 && strings.EqualFold(uri[:4], "sip:") {
		return uri[4:]
	}
	return uri
}

func plainDelete(ctx context.Context, dsn string, uris []string, workers int) (int, error) {
	db, err := openPool(dsn, workers)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var (
		done  atomic.Int64
		mu    sync.Mutex
		first error
	)
	forEach(ctx, uris, workers, func(uri string) {
		if err := deleteOne(ctx, db, userAtHost(uri)); err != nil {
			mu.Lock()
			first = cmpOr(first, fmt.Errorf("delete %s: %w", uri, err))
			mu.Unlock()
			return
		}
		done.Add(1)
	})
	return int(done.Load()), first
}

func deleteOne(ctx context.Context, db *sql.DB, uah string) error {
	var id int64
	if err := db.QueryRowContext(ctx, plainLookup, uah).Scan(&id); err != nil {
		return fmt.Errorf("lookup: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, st := range plainPlan {
		if st.proc != "" {
			var status mssql.ReturnStatus
			// positional: database/sql refuses names that do not start with a letter (@_ResourceId)
			if _, err := tx.ExecContext(ctx, st.proc, id, &status); err != nil {
				return fmt.Errorf("%s: %w", st.proc, err)
			}
			if status != 0 {
				return fmt.Errorf("%s returned %d", st.proc, status)
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+st.table+" WHERE "+st.col+" = @p1", id); err != nil {
			return fmt.Errorf("delete %s: %w", st.table, err)
		}
	}
	return tx.Commit()
}

// The plain contacts read: exportcontacts' three set-based statements per chunk of 500 owners
// (IN-lists of @pN; SPEC 7 allows 2,000), --workers chunks in flight, the rows scanned into a
// contact list per owner. No AD, no mapping, no CSV.
const readChunk = 500

const (
	plainResources = "SELECT r.ResourceId, r.UserAtHost, d.ResourceId FROM Resource r " +
		"LEFT JOIN ResourceDirectory d ON d.ResourceId = r.ResourceId WHERE r.UserAtHost IN "
	plainGroups = "SELECT OwnerId, GroupNumber, DisplayName, ExternalUri FROM ContactGroup " +
		"WHERE OwnerId IN %s ORDER BY OwnerId, GroupNumber"
	plainContacts = "SELECT c.OwnerId, c.BuddyId, r.UserAtHost, c.DisplayName, a.GroupNumber FROM Contact c " +
		"LEFT JOIN Resource r ON r.ResourceId = c.BuddyId " +
		"LEFT JOIN ContactGroupAssoc a ON a.OwnerId = c.OwnerId AND a.BuddyId = c.BuddyId " +
		"WHERE c.OwnerId IN %s ORDER BY c.OwnerId, c.BuddyId, a.GroupNumber"
)

func plainRead(ctx context.Context, dsn string, uris []string, workers int) (users, contacts int, err error) {
	db, err := openPool(dsn, workers)
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	var chunks [][]string
	for s := uris; len(s) > 0; {
		n := min(readChunk, len(s))
		chunks = append(chunks, s[:n])
		s = s[n:]
	}
	var (
		nu, nc atomic.Int64
		mu     sync.Mutex
		first  error
	)
	forEach(ctx, chunks, workers, func(chunk []string) {
		u, c, err := readChunkContacts(ctx, db, chunk)
		if err != nil {
			mu.Lock()
			first = cmpOr(first, err)
			mu.Unlock()
			return
		}
		nu.Add(int64(u))
		nc.Add(int64(c))
	})
	return int(nu.Load()), int(nc.Load()), first
}

func inList(n int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = fmt.Sprintf("@p%d", i+1)
	}
	return "(" + strings.Join(p, ", ") + ")"
}

type plainContact struct {
	buddy, name string
	groups      []string
}

// readChunkContacts returns the owners found and their contacts (not contact-group rows).
func readChunkContacts(ctx context.Context, db *sql.DB, chunk []string) (users, contacts int, err error) {
	args := make([]any, len(chunk))
	for i, u := range chunk {
		args[i] = userAtHost(u)
	}
	var ids []any
	if err := scanEach(ctx, db, plainResources+inList(len(chunk)), args, func(r *sql.Rows) error {
		var id int64
		var uah string
		var homed sql.NullInt64
		if err := r.Scan(&id, &uah, &homed); err != nil {
			return err
		}
		if homed.Valid {
			ids = append(ids, id)
		}
		return nil
	}); err != nil {
		return 0, 0, err
	}
	if len(ids) == 0 {
		return 0, 0, errors.New("no user of the chunk is homed in rtcsim")
	}
	in := inList(len(ids))
	groups := map[[2]int64]string{}
	if err := scanEach(ctx, db, fmt.Sprintf(plainGroups, in), ids, func(r *sql.Rows) error {
		var o, g int64
		var name string
		var ext sql.NullString
		err := r.Scan(&o, &g, &name, &ext)
		groups[[2]int64{o, g}] = name
		return err
	}); err != nil {
		return 0, 0, err
	}
	lists := map[int64][]*plainContact{}
	if err := scanEach(ctx, db, fmt.Sprintf(plainContacts, in), ids, func(r *sql.Rows) error {
		var o, b int64
		var uah, name sql.NullString
		var g sql.NullInt64
		if err := r.Scan(&o, &b, &uah, &name, &g); err != nil {
			return err
		}
		l := lists[o]
		if len(l) == 0 || l[len(l)-1].buddy != uah.String {
			l = append(l, &plainContact{buddy: uah.String, name: name.String})
			lists[o] = l
		}
		if g.Valid {
			c := l[len(l)-1]
			c.groups = append(c.groups, groups[[2]int64{o, g.Int64}])
		}
		return nil
	}); err != nil {
		return 0, 0, err
	}
	for _, l := range lists {
		contacts += len(l)
	}
	return len(ids), contacts, nil
}

func scanEach(ctx context.Context, db *sql.DB, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%.60s…: %w", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
