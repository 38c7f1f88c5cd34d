package deleteaccount

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// chunkSize is how many users one set-based read covers: its IN lists stay
// far below SQL Server's 2,100 parameters, and a chunk's rows (50 contacts
// a user, a few tables) stay a few MB.
var chunkSize = 250 // a variable: tests make chunks small to cross their boundaries

// prefetch reads, set-based (SPEC 3.8), what the workers need for the
// next users of one server: a chunk's ResourceIds in one statement and,
// with a backup, each touched table's rows in one statement, grouped per
// user in memory. It saves two round trips per user and table. It is only
// a head start: the per-user transaction still recounts every table and
// rolls back when the rows differ from what was backed up, and a user the
// chunk did not find, or a chunk that failed to load, takes the per-user
// lookup and read.
type prefetch struct {
	s       *server
	entries []input.Entry
	bak     *backupWriter // nil: no backup, read no rows

	mu     sync.Mutex
	chunks map[int]*chunk
	wg     sync.WaitGroup
}

type chunk struct {
	ready chan struct{}
	err   error
	ids   map[string]int64      // lower-case UserAtHost -> ResourceId
	rows  map[int64][]backupRow // ResourceId -> its rows, in stmts.tables order
	txns  map[int64]int64       // ResourceId -> its backup transaction, begun and synced
	heads map[int64]txnHeader
	left  int // users of the chunk not taken yet
}

// prefetched is one user's part of a chunk.
type prefetched struct {
	rows []backupRow
	txn  int64 // its begin record and rows are on disk; 0: not written
}

func newPrefetch(s *server, entries []input.Entry, bak *backupWriter) *prefetch {
	return &prefetch{s: s, entries: entries, bak: bak, chunks: map[int]*chunk{}}
}

// get returns what the chunk of entry i holds for it: found is false when
// the chunk did not find the user or could not be read (the caller looks
// the user up itself); pre is nil without a row read. A pre.txn taken is
// the caller's to commit or abort. Asking for a chunk starts reading the
// next one, so that it is ready when the workers get there.
func (p *prefetch) get(ctx context.Context, i int) (id int64, pre *prefetched, found bool) {
	c := i / chunkSize
	p.mu.Lock()
	ch := p.start(ctx, c)
	p.start(ctx, c+1)
	p.mu.Unlock()
	<-ch.ready

	p.mu.Lock()
	defer p.mu.Unlock()
	if ch.left--; ch.left == 0 {
		delete(p.chunks, c) // memory stays flat in the user count
	}
	if ch.err != nil {
		return 0, nil, false
	}
	id, found = ch.ids[strings.ToLower(p.entries[i].UserAtHost)]
	if !found {
		return 0, nil, false
	}
	if ch.rows == nil {
		return id, nil, true
	}
	pre = &prefetched{rows: ch.rows[id], txn: ch.txns[id]}
	delete(ch.rows, id)
	delete(ch.txns, id)
	return id, pre, true
}

// start begins loading chunk c unless it is loaded, loading, or past the
// end. Called with p.mu held.
func (p *prefetch) start(ctx context.Context, c int) *chunk {
	if ch, ok := p.chunks[c]; ok {
		return ch
	}
	lo := c * chunkSize
	if lo >= len(p.entries) {
		return nil
	}
	hi := min(lo+chunkSize, len(p.entries))
	ch := &chunk{ready: make(chan struct{}), left: hi - lo}
	p.chunks[c] = ch
	p.wg.Go(func() {
		defer close(ch.ready)
		ch.ids, ch.rows, ch.err = p.load(ctx, p.entries[lo:hi])
		if ch.err == nil && ch.rows != nil {
			ch.txns, ch.heads = p.begin(p.entries[lo:hi], ch.ids, ch.rows)
		}
	})
	return ch
}

// begin writes the chunk's begin records and rows, users with rows in
// input order, and syncs them once (SPEC 3.6: on disk before any of their
// COMMITs). If the write fails, no transaction is begun here: each user's
// own begin then meets the backup's error and rolls back.
func (p *prefetch) begin(entries []input.Entry, ids map[string]int64, rows map[int64][]backupRow) (map[int64]int64, map[int64]txnHeader) {
	var hs []txnHeader
	var rs [][]backupRow
	for _, e := range entries {
		id, ok := ids[strings.ToLower(e.UserAtHost)]
		if !ok || len(rows[id]) == 0 {
			continue
		}
		hs = append(hs, p.header(e, id))
		rs = append(rs, rows[id])
	}
	if len(hs) == 0 {
		return nil, nil
	}
	nums, err := p.bak.beginMany(hs, rs)
	if err != nil {
		return nil, nil
	}
	txns := make(map[int64]int64, len(hs))
	heads := make(map[int64]txnHeader, len(hs))
	for i, h := range hs {
		txns[h.ResourceID], heads[h.ResourceID] = nums[i], h
	}
	return txns, heads
}

// header is the backup's header of a user's transaction on this server.
func (p *prefetch) header(e input.Entry, id int64) txnHeader {
	s := p.s
	return txnHeader{User: e.URI, Server: s.name(), Database: s.db.Database, Version: string(s.schema.Version), ResourceID: id}
}

// wait returns once every chunk load has ended, and marks aborted the
// transactions begun for users never taken (the run was interrupted or
// stopped): --undo must not take them for cut short. Before the servers
// and the backup close.
func (p *prefetch) wait() {
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.chunks {
		ch := p.chunks[c]
		for id, txn := range ch.txns {
			if err := p.bak.aborted(txn, ch.heads[id], "not attempted"); err != nil {
				return
			}
		}
		ch.txns = nil
	}
}

// release marks aborted a transaction taken but not run (a user the AD
// gate refused).
func (p *prefetch) release(pre *prefetched, e input.Entry, id int64) {
	if pre != nil && pre.txn != 0 {
		_ = p.bak.aborted(pre.txn, p.header(e, id), "not attempted: refused by the AD gate")
	}
}

func (p *prefetch) load(ctx context.Context, entries []input.Entry) (map[string]int64, map[int64][]backupRow, error) {
	args := make([]any, 0, len(entries))
	seen := map[string]bool{}
	for _, e := range entries {
		k := strings.ToLower(e.UserAtHost)
		if !seen[k] {
			seen[k] = true
			args = append(args, e.UserAtHost)
		}
	}
	ids := make(map[string]int64, len(args))
	q := "SELECT ResourceId, UserAtHost FROM Resource WHERE UserAtHost IN (" + rtcclient.Placeholders(1, len(args)) + ")"
	r, err := p.s.db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("look up %d users: %w", len(args), err)
	}
	var idArgs []any
	for r.Next() {
		var id int64
		var uah string
		if err := r.Scan(&id, &uah); err != nil {
			r.Close()
			return nil, nil, err
		}
		k := strings.ToLower(uah)
		if _, dup := ids[k]; dup {
			// Two rows one address apart only in case: leave the user to
			// the per-user lookup, which reports what the server says.
			ids[k] = -1
			continue
		}
		ids[k] = id
		idArgs = append(idArgs, id)
	}
	r.Close()
	if err := r.Err(); err != nil {
		return nil, nil, err
	}
	for k, id := range ids {
		if id == -1 {
			delete(ids, k)
		}
	}
	if p.bak == nil || len(idArgs) == 0 {
		return ids, nil, nil
	}
	rows := make(map[int64][]backupRow, len(idArgs))
	for _, id := range ids {
		rows[id] = nil
	}
	in := " IN (" + rtcclient.Placeholders(1, len(idArgs)) + ")"
	for _, t := range p.s.stmts.tables {
		if err := readRowsIn(ctx, p.s, t, in, idArgs, rows); err != nil {
			return nil, nil, fmt.Errorf("read %s for the backup: %w", t.touch.Table, err)
		}
	}
	return ids, rows, nil
}

// readRowsIn reads one table's rows of many users in one statement and
// appends each row to its owner's list.
func readRowsIn(ctx context.Context, s *server, t tableSQL, in string, ids []any, out map[int64][]backupRow) error {
	cols := make([]string, len(t.columns))
	types := make([]string, len(t.columns))
	key := -1
	for i, c := range t.columns {
		cols[i], types[i] = c.Name, c.DataType
		if strings.EqualFold(c.Name, t.touch.Column) {
			key = i
		}
	}
	if key < 0 {
		return fmt.Errorf("key column %s not among the columns", t.touch.Column)
	}
	r, err := s.db.SQL.QueryContext(ctx, t.selIn+in, ids...)
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		vals := make([]any, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		owner, ok := asInt64(vals[key])
		if !ok {
			return fmt.Errorf("key column %s holds %T", t.touch.Column, vals[key])
		}
		for i := range vals {
			vals[i] = backupValue(vals[i], types[i])
		}
		if _, asked := out[owner]; asked {
			out[owner] = append(out[owner], backupRow{Table: t.touch.Table, Columns: cols, Types: types, Values: vals})
		}
	}
	return r.Err()
}

func asInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case int16:
		return int64(n), true
	case uint8:
		return int64(n), true
	case int:
		return int64(n), true
	}
	return 0, false
}
