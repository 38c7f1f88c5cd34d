package rtcsim

import (
	"context"
	"sync"
	"time"
)

// writeQueue hands SQLite's one write lock to the clients' write
// transactions in the order they asked for it, as SQL Server queues lock
// waiters. SQLite's own busy handler sleeps and retries (1, 2, 5, 10 ms …):
// the lock sits idle while waiters sleep and a late writer can overtake an
// early one, which made throughput with several clients lower and noisier
// than with one. busy_timeout stays as the fallback for SQLite handles that
// bypass the queue (Seed, Populate, a test's direct handle).
type writeQueue struct {
	mu      sync.Mutex
	held    bool
	waiters []chan struct{} // FIFO; a closed channel means the lock was handed to that waiter
}

// acquire waits for the lock, at most timeout; false on timeout or ctx end.
func (q *writeQueue) acquire(ctx context.Context, timeout time.Duration) bool {
	q.mu.Lock()
	if !q.held {
		q.held = true
		q.mu.Unlock()
		return true
	}
	ch := make(chan struct{})
	q.waiters = append(q.waiters, ch)
	q.mu.Unlock()

	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-ch:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, w := range q.waiters {
		if w == ch {
			q.waiters = append(q.waiters[:i], q.waiters[i+1:]...)
			return false
		}
	}
	// Handed over while giving up: pass it on rather than keep it.
	q.releaseLocked()
	return false
}

// release hands the lock to the longest waiter, or frees it.
func (q *writeQueue) release() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.releaseLocked()
}

func (q *writeQueue) releaseLocked() {
	if len(q.waiters) == 0 {
		q.held = false
		return
	}
	next := q.waiters[0]
	q.waiters = q.waiters[1:]
	close(next)
}

// beginWrite takes the queue's turn, then SQLite's write lock (BEGIN
// IMMEDIATE). Waiting longer than BusyTimeout is error 1205, as a lock
// SQLite could not get.
func (sess *session) beginWrite(ctx context.Context, verb string) *Error {
	s := sess.srv
	if !s.writes.acquire(ctx, s.opts.BusyTimeout) {
		if ctx.Err() != nil {
			return newError(3617, "The query was cancelled.")
		}
		return deadlockError(sess.spid)
	}
	if _, err := sess.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		s.writes.release()
		return s.mapError(err, sess.spid, verb)
	}
	sess.writing = true
	return nil
}

// endWrite gives the turn to the next writer once SQLite's transaction has
// ended (COMMIT or ROLLBACK already run).
func (sess *session) endWrite() {
	if sess.writing {
		sess.writing = false
		sess.srv.writes.release()
	}
}
