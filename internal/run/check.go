package run

import (
	"context"
	"fmt"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// What every --check shares, whatever it checks.

// Check runs a --check through Execute: a dry run (it changes nothing and
// reads no users) whose log says "<o.Command> --check".
func Check(ctx context.Context, o Options, body func(ctx context.Context, s *Session) error) int {
	o.Command += " --check"
	o.DryRun = true
	return Execute(ctx, o, body)
}

// ShowCheck prints a --check report for a person (Human: stdout, or stderr with
// --json) under its heading, and logs each line as an INFO of server.
func (s *Session) ShowCheck(server, heading string, lines []string) {
	out := s.Human()
	fmt.Fprintln(out, heading)
	for _, l := range lines {
		fmt.Fprintln(out, l)
		s.log.Infof("%s: %s", server, l)
	}
}

// WriteSchemaDump writes --dump-schema's file at path (owner-only JSON, catalog
// only, never over an existing file) with the schemas of the servers a --check
// reached, signed by this run's command; a failure is fatal (exit 3).
func (s *Session) WriteSchemaDump(path string, dumps []*rtcclient.SchemaDump) error {
	f := rtcclient.DumpFile{WrittenBy: "lyncmigrate " + s.opts.Common.Version + " " + s.opts.Command, Written: s.Now(),
		Note: rtcclient.DumpNote, Servers: dumps}
	if err := rtcclient.WriteDump(path, f); err != nil {
		return result.Fatal(fmt.Errorf("--dump-schema: %w", err))
	}
	what := fmt.Sprintf("%d servers", len(dumps))
	if len(dumps) == 1 {
		what = dumps[0].Server
	}
	s.log.Infof("Schema of %s written to %s (catalog only, no row data)", what, path)
	return nil
}
