package run

import (
	"context"
	"errors"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// errStopped cancels the session context when Stop ends the run; it is not
// an interruption.
var errStopped = errors.New("run stopped")

// Stop ends the run on an error it cannot go on from (a server lost and not
// regained): the context Start returned is cancelled, so that no further
// user is handed out (the ones in flight finish), and Finish reports err as
// the run error — exit 3 unless err is marked otherwise, the users never
// reached not_attempted. Only the first Stop counts; safe for concurrent use.
func (s *Session) Stop(err error) {
	if err == nil {
		return
	}
	s.stopOnce.Do(func() {
		if result.CodeOf(err) != result.ExitUsage {
			err = result.Fatal(err)
		}
		s.stopErr.Store(&err)
		s.cancel(errStopped)
	})
}

// Stopped is the error Stop was given (marked), nil if the run was not
// stopped.
func (s *Session) Stopped() error {
	if p := s.stopErr.Load(); p != nil {
		return *p
	}
	return nil
}

// runError is what Finish reports: the job's error, with Stop's first. The
// cancellation Stop caused (a job returning its context's error) is not news.
func (s *Session) runError(jobErr error) error {
	stop := s.Stopped()
	switch {
	case stop == nil:
		return jobErr
	case jobErr == nil, errors.Is(jobErr, context.Canceled), errors.Is(jobErr, stop):
		return stop
	}
	return errors.Join(stop, jobErr)
}
