package run

import (
	"fmt"
	"os"
	"runtime/debug"
)

// Guard, deferred right after Start in a job's Run with a named result
// (`defer s.Guard(&code)`), turns a panic in the job's own goroutine into a
// fatal run error: the stack goes to the log, the summary is still written
// and *code becomes 3. Without a panic it does nothing.
func (s *Session) Guard(code *int) {
	r := recover()
	if r == nil {
		return
	}
	*code = s.Finish(&PanicError{Value: r, Stack: debug.Stack()})
}

// RemoveIfEmpty deletes the reserved file of the set with this prefix if
// nothing was written to it (a rejects file without rejects). Removing a
// file that is gone already is not an error.
func (s *Session) RemoveIfEmpty(prefix string) error {
	p := s.paths[prefix]
	if p == "" {
		return fmt.Errorf("remove %s: not a file of this run", prefix)
	}
	fi, err := os.Stat(p)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("remove %s: %w", p, err)
	}
	if fi.Size() > 0 {
		return nil
	}
	if err := os.Remove(p); err != nil {
		return fmt.Errorf("remove %s: %w", p, err)
	}
	return nil
}
