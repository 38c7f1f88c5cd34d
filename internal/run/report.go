package run

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// userKey matches reports to expected users: SIP URIs and user@host are
// case-insensitive.
func userKey(user string) string { return strings.ToLower(user) }

// Expect registers input users (User and Line are enough). Every user
// expected but not reported by Finish ends not_attempted. It may be called
// more than once (for example as an OU is expanded).
func (s *Session) Expect(users []result.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return
	}
	for _, u := range users {
		s.expected = append(s.expected, result.Record{User: u.User, Line: u.Line})
		s.pending[userKey(u.User)]++
	}
	s.bar.grow(len(users))
}

// Report records the outcome of one user, exactly once per user. overall is
// the user's outcome and is what the tally counts; with --json the parts are
// written if given (deleteaccount's per-server objects), else overall. In a
// dry run every record written carries "dry_run": true. Reports after
// Finish are dropped. An invalid outcome counts as an error: a bug must not
// pass for success.
func (s *Session) Report(overall result.Record, parts ...result.Record) {
	if !overall.Outcome.Valid() {
		overall.Detail = strings.TrimSpace("internal error: invalid outcome " + string(overall.Outcome) + "; " + overall.Detail)
		overall.Outcome = result.Error
	}
	var lines []byte // marshalled outside the lock
	if s.opts.Common.JSON {
		if len(parts) == 0 {
			lines = s.appendJSON(lines, overall)
		}
		for _, p := range parts {
			lines = s.appendJSON(lines, p)
		}
	}
	if s.tally(overall, lines) {
		s.bar.add(1)
	}
}

// tally counts a report and writes its JSON lines, under the lock (released
// even if the writer panics: Finish must still run); false after Finish.
func (s *Session) tally(overall result.Record, lines []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finished {
		return false
	}
	s.sum.Add(overall.Outcome)
	if s.sum.States != nil {
		s.sum.States.Add(overall.State)
	}
	if k := userKey(overall.User); s.pending[k] > 0 {
		s.pending[k]--
	}
	s.writeStdout(lines)
	return true
}

// appendJSON appends the JSON line of r; in a dry run it says so.
func (s *Session) appendJSON(b []byte, r result.Record) []byte {
	if s.opts.DryRun || s.opts.Trial {
		r.DryRun = true
	}
	j, err := json.Marshal(r)
	if err != nil { // plain fields only: cannot happen
		panic(fmt.Sprintf("run: marshal record: %v", err))
	}
	return append(append(b, j...), '\n')
}

// writeStdout writes JSON lines in one call; s.mu is held so that lines of
// different users never interleave.
func (s *Session) writeStdout(b []byte) {
	if len(b) == 0 || s.jsonErr != nil {
		return
	}
	if _, err := s.stdout.Write(b); err != nil {
		s.jsonErr = err
	}
}

// AddDuplicates counts duplicate input lines (not an outcome).
func (s *Session) AddDuplicates(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sum.Duplicates += n
}

// SetContactStats sets the export statistics of the summary.
func (s *Session) SetContactStats(c result.ContactStats) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.contacts = &c
}
