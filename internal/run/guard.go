package run

import (
	"runtime/debug"
)

// Guard, deferred right after Start in a job's Run with a named result
// (`defer s.Guard(&code)`; Execute does it), turns a panic in the job's own
// goroutine into a fatal run error: the stack goes to the log, the summary
// is still written and *code becomes 3. Without a panic it does nothing.
func (s *Session) Guard(code *int) {
	r := recover()
	if r == nil {
		return
	}
	*code = s.Finish(&PanicError{Value: r, Stack: debug.Stack()})
}
