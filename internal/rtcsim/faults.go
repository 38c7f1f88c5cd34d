package rtcsim

import (
	"context"
	"strings"
	"time"
)

// Fault makes the server misbehave on purpose, so that tests of the product
// can see a deadlock, a failing procedure or a slow statement.
type Fault struct {
	Proc   string        // a named procedure (case-insensitive, schema prefix ignored); or
	SQL    string        // a substring of the T-SQL text (case-insensitive); both empty: every statement and call
	Delay  time.Duration // wait first; a cancel (ATTENTION) or client timeout interrupts the wait
	Status int32         // procedures: return this status instead of the handler's, if non-zero
	Err    *Error        // raise this error; 1205 also rolls the client's transaction back, as SQL Server does
	After  bool          // run the statement or procedure first, then raise Err (its work is undone)
	Times  int           // how many times the fault fires; 0 = every time
}

type faultState struct {
	Fault
	fired int
}

// AddFault installs f; the returned function removes it.
func (s *Server) AddFault(f Fault) (remove func()) {
	st := &faultState{Fault: f}
	s.mu.Lock()
	s.faults = append(s.faults, st)
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for i, x := range s.faults {
			if x == st {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
				return
			}
		}
	}
}

// firedFault is a fault that matched one statement or call; nil means none.
type firedFault struct{ Fault }

// fireFault returns the first fault matching a procedure call (proc set) or
// a statement (text set) and counts it as fired.
func (s *Server) fireFault(proc, text string) *firedFault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if f.Times > 0 && f.fired >= f.Times {
			continue
		}
		switch {
		case f.Proc != "":
			if proc == "" || !strings.EqualFold(procBaseName(f.Proc), procBaseName(proc)) {
				continue
			}
		case f.SQL != "":
			if text == "" || !strings.Contains(strings.ToLower(text), strings.ToLower(f.SQL)) {
				continue
			}
		}
		f.fired++
		return &firedFault{Fault: f.Fault}
	}
	return nil
}

// before applies the delay and, unless After is set, the error.
func (f *firedFault) before(ctx context.Context) *Error {
	if f == nil {
		return nil
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return newError(3617, "The query was cancelled.")
		case <-t.C:
		}
	}
	if !f.After && f.Err != nil {
		return f.err()
	}
	return nil
}

// err is a copy of Err with SQL Server's usual state and class filled in.
func (f *firedFault) err() *Error {
	e := *f.Err
	if e.Class == 0 {
		e.Class = 16
		if e.Number == ErrDeadlock {
			e.Class = 13
		}
	}
	if e.State == 0 {
		e.State = 1
	}
	if e.Message == "" {
		e.Message = "rtcsim: injected fault"
		if e.Number == ErrDeadlock {
			e.Message = deadlockError(0).Message
		}
	}
	return &e
}

// after returns the error of an After fault.
func (f *firedFault) after() *Error {
	if f == nil || !f.After || f.Err == nil {
		return nil
	}
	return f.err()
}

// undoes reports whether the work must be wrapped so that after() can undo it.
func (f *firedFault) undoes() bool { return f != nil && f.After && f.Err != nil }
