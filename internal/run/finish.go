package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// errFinished cancels the session context when the run is over; it is not
// an interruption.
var errFinished = errors.New("run finished")

// Recover, deferred first thing in a worker (`defer s.Recover(rec)`), turns
// a panic while working on that user into an error outcome with the stack
// in the log, instead of a crash that would lose the summary.
func (s *Session) Recover(user result.Record) {
	r := recover()
	if r == nil {
		return
	}
	s.log.Errorf("%s: internal error: panic: %v\n%s", user.User, r, debug.Stack())
	user.Outcome = result.Error
	user.Detail = fmt.Sprintf("internal error: panic: %v", r)
	s.Report(user)
}

// Finish ends the run on every path, once (later calls return the same
// code): users expected but never reported become not_attempted (with
// their JSON records), the run error (Stop's first) is logged, the reserved
// files are settled (see File), the summary goes to the log
// and to stderr (also with --json), the JSON summary object is the last
// line on stdout, the closing banner is written, and the exit code is
// returned: runErr marked Usage → 2; interrupted → 130; any other runErr →
// result.CodeOf (3 unless marked); else 1 if any user was not found, in
// error or not attempted; else 0. If the log could not be written, an exit
// code of 0 or 1 becomes 3: the audit trail is lost.
func (s *Session) Finish(runErr error) int {
	s.finishOnce.Do(func() { s.code = s.finish(runErr) })
	return s.code
}

func (s *Session) finish(runErr error) int {
	s.stopSignals()
	runErr = s.runError(runErr)
	interrupted := s.Interrupted() || errors.Is(runErr, result.ErrInterrupted)
	defer s.cancel(errFinished)

	s.mu.Lock()
	s.finished = true
	var missing []result.Record
	for _, u := range s.expected {
		if k := userKey(u.User); s.pending[k] > 0 {
			s.pending[k]--
			u.Outcome = result.NotAttempted
			u.Detail = notAttemptedDetail(runErr, interrupted)
			missing = append(missing, u)
		}
	}
	s.sum.NotAttempted += len(missing)
	if s.opts.Common.JSON {
		var b []byte
		for _, u := range missing {
			b = s.appendJSON(b, u)
		}
		s.writeStdout(b)
	}
	sum := s.sum
	sum.Contacts = s.contacts
	jsonErr := s.jsonErr
	s.mu.Unlock()

	s.bar.clear()
	s.logRunError(runErr, interrupted)
	if len(missing) > 0 {
		b := s.log.Block()
		for _, u := range missing {
			b.Infof("%s: not attempted", describeUser(u))
		}
		b.Commit()
	}
	if interrupted {
		s.log.Warnf("Run interrupted: %d users not attempted", len(missing))
	}
	var p *PanicError
	s.settleFiles(errors.As(runErr, &p))

	sum.DryRun, sum.Trial = s.opts.DryRun || s.opts.Trial, s.opts.Trial
	sum.Log = s.logPath
	code := result.ExitCode(sum, runErr, interrupted)
	s.log.WriteSummary(sum)
	if err := s.log.Close(); err != nil {
		fmt.Fprintf(s.stderr, "error: the log %s could not be written: %v\n", s.logPath, err)
		if code == result.ExitOK || code == result.ExitPartial {
			code = result.ExitFatal
		}
	}
	sum.ExitCode = code

	writeSummary(s.stderr, sum)
	if s.opts.Common.JSON && jsonErr == nil {
		if _, err := s.stdout.Write(append(sum.JSON(), '\n')); err != nil {
			jsonErr = err
		}
	}
	if jsonErr != nil {
		fmt.Fprintf(s.stderr, "error: --json output: %v\n", jsonErr)
	}
	return code
}

// logRunError writes why the run stopped. An interruption's own cancel
// error is not news: the WARN says it.
func (s *Session) logRunError(runErr error, interrupted bool) {
	if runErr == nil {
		return
	}
	if interrupted && (errors.Is(runErr, context.Canceled) || errors.Is(runErr, result.ErrInterrupted)) {
		return
	}
	var p *PanicError
	if errors.As(runErr, &p) {
		s.log.Errorf("%v\n%s", runErr, p.Stack)
	} else {
		s.log.Errorf("%v", runErr)
	}
	fmt.Fprintf(s.stderr, "error: %v\n", runErr)
}

func notAttemptedDetail(runErr error, interrupted bool) string {
	switch {
	case interrupted:
		return "run interrupted"
	case runErr != nil:
		return "run stopped: " + runErr.Error()
	}
	return "not reached"
}

func describeUser(r result.Record) string {
	if r.Line > 0 {
		return fmt.Sprintf("%s (line %d)", r.User, r.Line)
	}
	return r.User
}

// writeSummary prints the summary lines and the log path for a person.
func writeSummary(w io.Writer, sum result.Summary) {
	var b strings.Builder
	for _, l := range sum.Lines() {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if sum.Log != "" {
		fmt.Fprintf(&b, "Log: %s\n", sum.Log)
	}
	_, _ = io.WriteString(w, b.String())
}

// Fail reports an error that happened before a session could start (a bad
// log level, a log folder that cannot be written, an input error found by
// the pre-scan): the error on stderr, with --json an empty summary object
// carrying the exit code on stdout, and the exit code from result.CodeOf.
func Fail(c Common, err error) int {
	code := result.CodeOf(err)
	if code == result.ExitOK {
		return code
	}
	stderr, stdout := c.Stderr, c.Stdout
	if stderr == nil {
		stderr = osStderr()
	}
	if stdout == nil {
		stdout = osStdout()
	}
	fmt.Fprintf(stderr, "error: %v\n", err)
	if c.JSON {
		_, _ = stdout.Write(append(result.Summary{ExitCode: code}.JSON(), '\n'))
	}
	return code
}
