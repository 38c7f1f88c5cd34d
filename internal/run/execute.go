package run

import "context"

// Execute runs a job through the template every command follows, after the
// job has validated its settings (Config.Validate; an error goes to Fail as
// a usage error: exit 2, no file, no connection):
//
//  1. Start: the reserved files (o.Files) and the log with its header, the
//     Ctrl-C handler; an error goes to Fail;
//  2. Guard: a panic anywhere below still ends with the summary, exit 3;
//  3. body, with the session's context (cancelled by Ctrl-C and by Stop):
//     it loads its input (LoadInput), connects with the run's settings
//     (LDAP, SQL), works on the users (ForEach, Recover, Report) and calls
//     Stop when a server is lost; its error is the run error;
//  4. Finish: not_attempted users, the files settled, the summary, the exit
//     code.
func Execute(ctx context.Context, o Options, body func(ctx context.Context, s *Session) error) (code int) {
	s, ctx, err := Start(ctx, o)
	if err != nil {
		return Fail(o.Common, err)
	}
	defer s.Guard(&code)
	return s.Finish(body(ctx, s))
}
