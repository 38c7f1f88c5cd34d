package run

import (
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// LoadInput reads the run's users file (Common.File; "-" is Common.Stdin)
// and does the bookkeeping every command shares (SPEC 3.2): each user and
// each malformed line is Expected; each malformed line is logged and
// reported as an error outcome with its line number; each duplicate line is
// WARNed and counted. DN: lines are not users: the job Expects the users it
// finds under them. An error (a missing file, a `*` line, ALL where the
// command refuses it, more than MaxUsers) comes back marked as a usage
// error (exit 2): return it to Finish.
func (s *Session) LoadInput(o input.Options) (*input.List, error) {
	c := s.opts.Common
	list, err := input.Load(c.File, c.Stdin, o)
	if err != nil {
		return nil, result.Usage(err)
	}
	users := make([]result.Record, 0, len(list.Entries)+len(list.Invalid))
	for _, e := range list.Entries {
		if e.Kind != input.KindDN {
			users = append(users, result.Record{User: e.URI, Line: e.Line})
		}
	}
	for _, le := range list.Invalid {
		users = append(users, result.Record{User: le.Text, Line: le.Line})
	}
	s.Expect(users)
	for _, le := range list.Invalid {
		s.log.Errorf("%v", le)
		s.Report(result.Record{User: le.Text, Line: le.Line, Outcome: result.Error, Detail: le.Reason})
	}
	for _, d := range list.Duplicates {
		s.log.Warnf("%s line %d: %s is a duplicate of line %d: ignored", list.File, d.Line, d.Value, d.FirstLine)
	}
	s.AddDuplicates(len(list.Duplicates))
	return list, nil
}
