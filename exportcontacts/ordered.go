package exportcontacts

import (
	"context"
	"errors"

	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// ordered runs work(0…n-1) with at most workers calls in flight and hands the
// results to emit in index order, from the calling goroutine: the CSV holds the
// users in input order whatever --workers is. It goes in waves of 2×workers
// items — run.ForEach over the wave, then emit — so that at most one wave of
// results waits in memory.
//
// After a cancel (ForEach hands out no more items; those in flight finish) the
// results done are emitted, up to the first item never handed out. An error
// from emit stops the run and is returned. work must not panic (the caller
// recovers per item, where it knows the users); a panic that escapes anyway
// leaves the zero R for emit and is returned (a *run.PanicError) at the end.
func ordered[R any](ctx context.Context, n, workers int, work func(context.Context, int) R, emit func(R) error) error {
	type slot struct {
		r    R
		done bool
	}
	wave := 2 * max(workers, 1)
	var panics []error
	for first := 0; first < n && ctx.Err() == nil; first += wave {
		slots := make([]slot, min(wave, n-first))
		items := make([]int, len(slots))
		for i := range items {
			items[i] = first + i
		}
		err := run.ForEach(ctx, items, workers, func(c context.Context, i int) {
			s := &slots[i-first]
			defer func() { s.done = true }() // also after a panic
			s.r = work(c, i)
		})
		if err != nil {
			panics = append(panics, err)
		}
		for _, s := range slots {
			if !s.done {
				return errors.Join(panics...) // cancelled: never handed out, nor any after it
			}
			if err := emit(s.r); err != nil {
				return err
			}
		}
	}
	return errors.Join(panics...)
}
