package result

import (
	"context"
	"errors"
)

// ErrInterrupted is the cause of a run stopped by Ctrl-C or SIGTERM.
var ErrInterrupted = errors.New("interrupted")

// markedError carries the exit code chosen where the error was made.
type markedError struct {
	err  error
	code int
}

func (e *markedError) Error() string { return e.err.Error() }
func (e *markedError) Unwrap() error { return e.err }

// Usage marks err as a usage or input error (exit 2): nothing was attempted.
func Usage(err error) error {
	if err == nil {
		return nil
	}
	return &markedError{err: err, code: ExitUsage}
}

// Fatal marks err as fatal (exit 3): the run cannot go on.
func Fatal(err error) error {
	if err == nil {
		return nil
	}
	return &markedError{err: err, code: ExitFatal}
}

// IsUsage reports whether err (or an error it wraps) is marked Usage.
func IsUsage(err error) bool {
	var m *markedError
	return errors.As(err, &m) && m.code == ExitUsage
}

// CodeOf maps an error to an exit code: 0 for nil, 2 or 3 for a marked
// error (the outermost mark wins), 130 for an interruption
// (context.Canceled or ErrInterrupted), else 3: an unexpected error is fatal.
func CodeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	var m *markedError
	if errors.As(err, &m) {
		return m.code
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, ErrInterrupted) {
		return ExitInterrupted
	}
	return ExitFatal
}

// ExitCode is the exit code of a finished run. A usage error wins; then an
// interruption (the cancel is often what made a fatal error, and the
// operator asked to stop); then any other run error; then the tally: 1 if
// any user was not found, in error or not attempted, else 0.
func ExitCode(s Summary, runErr error, interrupted bool) int {
	if IsUsage(runErr) {
		return ExitUsage
	}
	if interrupted {
		return ExitInterrupted
	}
	if runErr != nil {
		return CodeOf(runErr)
	}
	if s.NotFound > 0 || s.Errors > 0 || s.NotAttempted > 0 {
		return ExitPartial
	}
	return ExitOK
}
