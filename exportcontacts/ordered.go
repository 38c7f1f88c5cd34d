package exportcontacts

import (
	"context"
	"sync"

	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// ordered runs work(0…n-1) with at most workers calls in flight (run.ForEach: no
// new call once ctx is cancelled, and the calls in flight finish) and hands the
// results to emit in index order, from the calling goroutine. That keeps the
// output of a parallel export deterministic: the CSV holds the users in input
// order whatever --workers is. At most 2×workers results wait for an earlier
// one, so memory stays bounded.
//
// An error from emit stops handing out work; the calls in flight finish and are
// dropped, and the error is returned. work must not panic (the caller recovers
// per item, where it knows the users); a panic that escapes anyway leaves the zero
// R for emit and is returned (a *run.PanicError) after everything else.
func ordered[R any](ctx context.Context, n, workers int, work func(context.Context, int) R, emit func(R) error) error {
	if n == 0 {
		return nil
	}
	workers = max(workers, 1)
	window := 2 * workers

	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]R, n)
	done := make([]chan struct{}, n)
	for i := range done {
		done[i] = make(chan struct{})
	}
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		written int  // results emitted so far
		stopped bool // emit failed: waiting calls give up
	)
	indexes := make([]int, n)
	for i := range indexes {
		indexes[i] = i
	}
	finished := make(chan error, 1)
	go func() {
		finished <- run.ForEach(wctx, indexes, workers, func(c context.Context, i int) {
			defer close(done[i]) // also after a panic: emit gets the zero R, nobody waits forever
			mu.Lock()
			for i >= written+window && !stopped {
				cond.Wait()
			}
			skip := stopped
			mu.Unlock()
			if !skip {
				results[i] = work(c, i)
			}
		})
	}()

	var emitErr error
	var forEachErr error
	running := true
	for i := 0; i < n && emitErr == nil; i++ {
		if running {
			select {
			case <-done[i]:
			case forEachErr = <-finished:
				running = false
			}
		}
		if !running {
			// ForEach is over: the items it handed out are done; the first one
			// that is not was never handed out (Ctrl-C), nor any after it.
			select {
			case <-done[i]:
			default:
				return forEachErr
			}
		}
		emitErr = emit(results[i])
		var zero R
		results[i] = zero // let the rows go
		mu.Lock()
		written++
		if emitErr != nil {
			stopped = true
			cancel()
		}
		cond.Broadcast()
		mu.Unlock()
	}
	if running {
		forEachErr = <-finished
	}
	if emitErr != nil {
		return emitErr
	}
	return forEachErr
}
