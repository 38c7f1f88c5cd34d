package exportcontacts

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// Results reach emit in index order whatever the order the work finishes in,
// and no more than one wave (2×workers) runs ahead of the writer.
func TestOrderedKeepsOrder(t *testing.T) {
	for _, workers := range []int{1, 3, 8} {
		const n = 60
		var inFlight, ahead, maxAhead atomic.Int64
		var emitted []int
		err := ordered(context.Background(), n, workers, func(_ context.Context, i int) int {
			inFlight.Add(1)
			defer inFlight.Add(-1)
			time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
			a := ahead.Add(1)
			for m := maxAhead.Load(); a > m && !maxAhead.CompareAndSwap(m, a); m = maxAhead.Load() {
			}
			return i
		}, func(i int) error {
			ahead.Add(-1)
			emitted = append(emitted, i)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range emitted {
			if v != i {
				t.Fatalf("workers %d: emitted %v", workers, emitted)
			}
		}
		if len(emitted) != n {
			t.Fatalf("workers %d: %d emitted", workers, len(emitted))
		}
		// Done but not yet written: at most one wave.
		if limit := int64(2 * workers); maxAhead.Load() > limit {
			t.Errorf("workers %d: %d results waited, more than %d", workers, maxAhead.Load(), limit)
		}
	}
}

// An emit error stops handing out work and is returned; nothing after it is emitted.
func TestOrderedEmitError(t *testing.T) {
	boom := errors.New("disk full")
	var started atomic.Int64
	var emitted []int
	err := ordered(context.Background(), 1000, 4, func(_ context.Context, i int) int {
		started.Add(1)
		return i
	}, func(i int) error {
		emitted = append(emitted, i)
		if i == 5 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if len(emitted) != 6 {
		t.Errorf("emitted %v", emitted)
	}
	if s := started.Load(); s > 5+1+2*4+4 {
		t.Errorf("%d items started after the error at 5", s)
	}
}

// A cancelled context stops handing out work: the items in flight finish with an
// uncancelled context and are emitted, in order; the rest never start.
func TestOrderedCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var emitted []int
	err := ordered(ctx, 100, 2, func(c context.Context, i int) int {
		if i == 3 {
			cancel()
			time.Sleep(20 * time.Millisecond)
		}
		if c.Err() != nil {
			t.Errorf("item %d: its context was cancelled", i)
		}
		return i
	}, func(i int) error {
		emitted = append(emitted, i)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(emitted) < 4 || len(emitted) > 6 {
		t.Fatalf("emitted %v after a cancel at item 3", emitted)
	}
	for i, v := range emitted {
		if v != i {
			t.Fatalf("emitted %v", emitted)
		}
	}
}

// A panic that escapes work does not hang the writer: the item's zero value is
// emitted and the panic returned.
func TestOrderedPanic(t *testing.T) {
	var emitted []int
	err := ordered(context.Background(), 10, 3, func(_ context.Context, i int) int {
		if i == 4 {
			panic("bug")
		}
		return i + 1
	}, func(v int) error {
		emitted = append(emitted, v)
		return nil
	})
	var p *run.PanicError
	if !errors.As(err, &p) {
		t.Fatalf("err = %v", err)
	}
	want := []int{1, 2, 3, 4, 0, 6, 7, 8, 9, 10}
	if len(emitted) != len(want) {
		t.Fatalf("emitted %v", emitted)
	}
	for i := range want {
		if emitted[i] != want[i] {
			t.Fatalf("emitted %v, want %v", emitted, want)
		}
	}
}
