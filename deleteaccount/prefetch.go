package deleteaccount

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// chunkSize is how many users one set-based read covers: its IN lists stay
// far below SQL Server's 2,100 parameters, and a chunk's rows (50 contacts
// a user, a few tables) stay a few MB.
var chunkSize = 250 // a variable: tests make chunks small to cross their boundaries

// prefetch reads, set-based (SPEC 3.8), what the workers need for the
// next users of one server, outside any transaction: a chunk's ResourceIds
// in one statement, those whose ResourceDirectory row still says enabled in
// one more, and, with a backup, each user-keyed table's owner-side rows in
// one statement each, grouped per user and written to the backup (begin
// records and rows, synced once for the chunk). It is only a head start:
// the per-user transaction counts every table again and reads afresh, and
// backs up before COMMIT, whatever differs; a user the chunk did not find,
// or a chunk that failed to load, takes the per-user lookup.
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
	data  *chunkData
	txns  map[int64]int64 // ResourceId -> its backup transaction, begun and synced
	heads map[int64]txnHeader
	left  int // users of the chunk not taken yet
}

// chunkData is what one chunk's reads found.
type chunkData struct {
	ids           map[string]int64      // lower-case UserAtHost -> ResourceId
	notReplicated map[int64]bool        // ResourceDirectory still says enabled; nil: not known here
	rows          map[int64][]backupRow // ResourceId -> its owner-side rows; nil without a backup
}

// prefetched is one user's part of a chunk.
type prefetched struct {
	rows          []backupRow // the user's rows, on disk when txn != 0; nil: not read
	txn           int64       // its begin record and rows are on disk; 0: not written
	notReplicated bool        // the chunk found the ResourceDirectory row still enabled
}

func newPrefetch(s *server, entries []input.Entry, bak *backupWriter) *prefetch {
	return &prefetch{s: s, entries: entries, bak: bak, chunks: map[int]*chunk{}}
}

// get returns what the chunk of entry i holds for it: found is false when
// the chunk did not find the user or could not be read (the caller looks
// the user up itself). A pre.txn taken is the caller's to commit or abort.
// Asking for a chunk starts reading the next one, so that it is ready when
// the workers get there.
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
	id, found = ch.data.ids[strings.ToLower(p.entries[i].UserAtHost)]
	if !found {
		return 0, nil, false
	}
	pre = &prefetched{rows: ch.data.rows[id], txn: ch.txns[id], notReplicated: ch.data.notReplicated[id]}
	delete(ch.data.rows, id)
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
		ch.data, ch.err = p.load(ctx, p.entries[lo:hi])
		if ch.err == nil && ch.data.rows != nil {
			ch.txns, ch.heads = p.begin(p.entries[lo:hi], ch.data.ids, ch.data.rows)
		}
	})
	return ch
}

// begin writes the chunk's begin records and rows, users with rows in
// input order, and syncs them once (SPEC 3.6: on disk before any of their
// COMMITs). If the write fails, no transaction is begun here: each user's
// own settling before COMMIT then meets the backup's error and rolls back.
func (p *prefetch) begin(entries []input.Entry, ids map[string]int64, rows map[int64][]backupRow) (map[int64]int64, map[int64]txnHeader) {
	var hs []txnHeader
	var rs [][]backupRow
	done := map[int64]bool{}
	for _, e := range entries {
		id, ok := ids[strings.ToLower(e.UserAtHost)]
		if !ok || len(rows[id]) == 0 || done[id] {
			continue
		}
		done[id] = true
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
func (p *prefetch) release(pre *prefetched, e input.Entry, id int64, why string) {
	if pre != nil && pre.txn != 0 {
		_ = p.bak.aborted(pre.txn, p.header(e, id), "not attempted: "+why)
	}
}

func (p *prefetch) load(ctx context.Context, entries []input.Entry) (*chunkData, error) {
	args := make([]any, 0, len(entries))
	seen := map[string]bool{}
	for _, e := range entries {
		k := strings.ToLower(e.UserAtHost)
		if !seen[k] {
			seen[k] = true
			args = append(args, e.UserAtHost)
		}
	}
	d := &chunkData{ids: make(map[string]int64, len(args))}
	q := fmt.Sprintf(lookupIn.Text, rtcclient.Placeholders(1, len(args)))
	r, err := p.s.db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("look up %d users: %w", len(args), err)
	}
	for r.Next() {
		var id int64
		var uah string
		if err := r.Scan(&id, &uah); err != nil {
			r.Close()
			return nil, err
		}
		k := strings.ToLower(uah)
		if _, dup := d.ids[k]; dup {
			// Two rows one address apart only in case: leave the user to
			// the per-user lookup, which reports what the server says.
			d.ids[k] = -1
			continue
		}
		d.ids[k] = id
	}
	r.Close()
	if err := r.Err(); err != nil {
		return nil, err
	}
	var idArgs []any
	for k, id := range d.ids {
		if id == -1 {
			delete(d.ids, k)
			continue
		}
		idArgs = append(idArgs, id)
	}
	if len(idArgs) == 0 {
		return d, nil
	}
	st := p.s.stmts
	if st.notReplicatedIn != "" {
		d.notReplicated = map[int64]bool{}
		r, err := p.s.db.SQL.QueryContext(ctx, st.notReplicatedIn+" IN ("+rtcclient.Placeholders(1, len(idArgs))+")", idArgs...)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", rtcschema.ResourceDirectory.Enabled, err)
		}
		for r.Next() {
			var id int64
			if err := r.Scan(&id); err != nil {
				r.Close()
				return nil, err
			}
			d.notReplicated[id] = true
		}
		r.Close()
		if err := r.Err(); err != nil {
			return nil, err
		}
	}
	if p.bak == nil {
		return d, nil
	}
	// The rows of the users that will be deleted (not those refused as
	// not replicated): every owner-side row of every user-keyed table.
	asked := make(map[int64]bool, len(idArgs))
	want := idArgs[:0:0]
	for _, a := range idArgs {
		if id := a.(int64); !d.notReplicated[id] {
			asked[id] = true
			want = append(want, a)
		}
	}
	d.rows = make(map[int64][]backupRow, len(want))
	if len(want) == 0 {
		return d, nil
	}
	for i := range st.tables {
		t := &st.tables[i]
		if !t.backedUp() {
			continue
		}
		if err := readRowsIn(ctx, p.s, t, want, asked, d.rows); err != nil {
			return nil, fmt.Errorf("read %s for the backup: %w", t.t.Name, err)
		}
	}
	return d, nil
}

// readRowsIn reads one table's rows of many users in one statement and
// appends each row to its owner's list (to each owner's, in the rare table
// whose row names two users on the owner side).
func readRowsIn(ctx context.Context, s *server, t *tableSQL, ids []any, asked map[int64]bool, out map[int64][]backupRow) error {
	r, err := s.db.SQL.QueryContext(ctx, t.inList(len(ids)), ids...)
	if err != nil {
		return err
	}
	var bad error
	err = scanRows(r, t, func(row backupRow, raw []any) {
		var owners []int64
		for _, i := range t.owners {
			id, ok := asInt64(raw[i])
			if !ok {
				if raw[i] != nil && bad == nil {
					bad = fmt.Errorf("key column %s holds %T", t.columns[i], raw[i])
				}
				continue
			}
			if asked[id] && !slices.Contains(owners, id) {
				owners = append(owners, id)
				out[id] = append(out[id], row)
			}
		}
	})
	if err != nil {
		return err
	}
	return bad
}
