package run

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// PanicError is a panic recovered in a ForEach worker.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("internal error: panic: %v", e.Value) }

// ForEach calls fn for the items with at most workers calls in flight and
// stops handing out items once ctx is cancelled. fn receives a context
// that keeps ctx's values but not its cancellation: a user already in
// flight finishes (first Ctrl-C); a second Ctrl-C ends the process.
//
// A panic in fn is recovered, the other items go on, and the panics are
// returned (as *PanicError, joined): pass the error to Finish (exit 3).
// Workers that know their user should defer Session.Recover first, so the
// panic becomes an error outcome of that user.
func ForEach[T any](ctx context.Context, items []T, workers int, fn func(context.Context, T)) error {
	if workers <= 0 {
		workers = 1
	}
	workers = min(workers, len(items))
	inner := context.WithoutCancel(ctx)
	var (
		next   atomic.Int64
		wg     sync.WaitGroup
		mu     sync.Mutex
		panics []error
	)
	call := func(item T) {
		defer func() {
			if r := recover(); r != nil {
				mu.Lock()
				panics = append(panics, &PanicError{Value: r, Stack: debug.Stack()})
				mu.Unlock()
			}
		}()
		fn(inner, item)
	}
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(len(items)) {
					return
				}
				call(items[i])
			}
		})
	}
	wg.Wait()
	return errors.Join(panics...)
}
