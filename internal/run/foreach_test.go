package run

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

func TestForEachBounded(t *testing.T) {
	tests := []struct{ items, workers, wantMax int }{
		{100, 4, 4},
		{3, 8, 3},
		{10, 0, 1}, // 0 means one at a time
		{0, 4, 0},
	}
	for _, tt := range tests {
		items := make([]int, tt.items)
		for i := range items {
			items[i] = i
		}
		var inFlight, peak atomic.Int32
		var mu sync.Mutex
		seen := map[int]int{}
		err := ForEach(context.Background(), items, tt.workers, func(ctx context.Context, i int) {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(200 * time.Microsecond)
			mu.Lock()
			seen[i]++
			mu.Unlock()
			inFlight.Add(-1)
		})
		if err != nil {
			t.Fatal(err)
		}
		if int(peak.Load()) > tt.wantMax || (tt.items > 0 && peak.Load() == 0) {
			t.Errorf("items=%d workers=%d: peak %d in flight, want at most %d", tt.items, tt.workers, peak.Load(), tt.wantMax)
		}
		for i := range items {
			if seen[i] != 1 {
				t.Errorf("item %d handled %d times", i, seen[i])
			}
		}
	}
}

func TestForEachStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	items := make([]int, 1000)
	var handled, atCancel atomic.Int32
	_ = ForEach(ctx, items, 4, func(ctx context.Context, _ int) {
		if handled.Add(1) == 10 {
			cancel()
			atCancel.Store(handled.Load())
		}
	})
	// Items started before cancel returned are counted in atCancel (other workers may run many
	// while this one waits to call cancel: Windows schedules so); after it, each of the 3 other
	// workers may take one more item, having checked the context just before.
	if n, c := handled.Load(), atCancel.Load(); n < 10 || n > c+3 {
		t.Errorf("%d items handled, %d when the cancel returned: at most 3 more may start after it", n, c)
	}
	cancel()
	handled.Store(0)
	_ = ForEach(ctx, items, 4, func(context.Context, int) { handled.Add(1) })
	if handled.Load() != 0 {
		t.Error("a cancelled context must hand out nothing")
	}
}

func TestForEachRecoversPanics(t *testing.T) {
	var handled atomic.Int32
	err := ForEach(context.Background(), []int{1, 2, 3, 4}, 2, func(_ context.Context, i int) {
		handled.Add(1)
		if i == 3 {
			panic("nil map")
		}
	})
	var p *PanicError
	if !errors.As(err, &p) || p.Value != "nil map" || !strings.Contains(string(p.Stack), "foreach_test.go") {
		t.Fatalf("err = %v, want a *PanicError with the stack", err)
	}
	if handled.Load() != 4 {
		t.Errorf("%d items handled: the others must go on", handled.Load())
	}
	if result.CodeOf(err) != result.ExitFatal {
		t.Errorf("a panic must be fatal, got %d", result.CodeOf(err))
	}
}

// A worker that defers Session.Recover turns its panic into an error
// outcome for that user; the run goes on and ends with exit 1.
func TestSessionRecover(t *testing.T) {
	tr := startTest(t, context.Background(), nil)
	in := users("sip:a@x.com", "sip:b@x.com", "sip:c@x.com")
	tr.s.Expect(in)
	err := ForEach(tr.ctx, in, 2, func(ctx context.Context, u result.Record) {
		defer tr.s.Recover(u)
		if u.User == "sip:b@x.com" {
			var m map[string]int
			m["x"]++
		}
		u.Outcome = result.Processed
		tr.s.Report(u)
	})
	if err != nil {
		t.Fatalf("ForEach: %v (Recover must have handled it)", err)
	}
	if code := tr.s.Finish(err); code != result.ExitPartial {
		t.Errorf("exit %d, want 1", code)
	}
	recs, sum := tr.jsonLines(t)
	if sum.Processed != 2 || sum.Errors != 1 || sum.NotAttempted != 0 {
		t.Errorf("summary %+v", sum)
	}
	for _, r := range recs {
		if r.User == "sip:b@x.com" && (r.Outcome != result.Error || !strings.Contains(r.Detail, "panic")) {
			t.Errorf("record %+v", r)
		}
	}
	if log := tr.logText(t); !strings.Contains(log, "[ERROR] sip:b@x.com: internal error: panic: assignment to entry in nil map\r\n") ||
		!strings.Contains(log, "[ERROR] goroutine ") {
		t.Errorf("log lacks the panic and its stack:\n%s", log)
	}
}

// Without Recover, the panic reaches Finish through ForEach's error: the
// user is not attempted, the stack is in the log, exit 3.
func TestPanicWithoutRecover(t *testing.T) {
	tr := startTest(t, context.Background(), nil)
	in := users("sip:a@x.com", "sip:b@x.com")
	tr.s.Expect(in)
	err := ForEach(tr.ctx, in, 1, func(ctx context.Context, u result.Record) {
		if u.Line == 2 {
			panic("boom")
		}
		u.Outcome = result.Processed
		tr.s.Report(u)
	})
	if code := tr.s.Finish(err); code != result.ExitFatal {
		t.Errorf("exit %d, want 3", code)
	}
	_, sum := tr.jsonLines(t)
	if sum.Processed != 1 || sum.NotAttempted != 1 {
		t.Errorf("summary %+v", sum)
	}
	if log := tr.logText(t); !strings.Contains(log, "[ERROR] internal error: panic: boom\r\n") {
		t.Errorf("log:\n%s", log)
	}
}
