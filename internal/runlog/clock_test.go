package runlog

import (
	"sync"
	"time"
)

// fixedClock is a settable clock for golden logs.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

var cet = time.FixedZone("CET", 3600)

func newClock() *fixedClock {
	return &fixedClock{t: time.Date(2024, 3, 5, 14, 7, 9, 0, cet)}
}

func (c *fixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fixedClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// closeTime is the closing banner's time in the goldens.
var closeTime = time.Date(2024, 3, 5, 14, 7, 41, 0, cet)
