package deleteaccount

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// runCheck is --check: connect, detect and check every server, print each
// one's version and plan, touch nothing, read no users file.
func runCheck(ctx context.Context, cfg Config) (code int) {
	sess, ctx, err := run.Start(ctx, run.Options{
		Common: cfg.Common, Tool: Tool, Command: "deleteaccount --check", DryRun: true,
		BindIdentity: bindIdentity(cfg), Targets: cfg.SQL.Servers,
	})
	if err != nil {
		return run.Fail(cfg.Common, err)
	}
	defer sess.Guard(&code)
	log := sess.Log()
	for _, w := range cfg.SQL.Warnings() {
		log.Warnf("%s", w)
	}
	servers, err := openServers(ctx, cfg.SQL, cfg.SQL.Servers, 1, log)
	if err != nil {
		return sess.Finish(err)
	}
	defer closeServers(servers)
	var out io.Writer = os.Stdout
	if cfg.Common.Stdout != nil {
		out = cfg.Common.Stdout
	}
	if cfg.Common.JSON {
		out = sess.Stderr() // stdout carries only JSON
	}
	for _, s := range servers {
		printPlan(out, s)
		for _, l := range append(s.schema.Describe(), s.users.Describe()...) {
			log.Infof("%s: %s", s.name(), l)
		}
	}
	return sess.Finish(nil)
}

func printPlan(w io.Writer, s *server) {
	fmt.Fprintf(w, "server: %s (database %s): schema check passed\n", s.name(), s.db.Database)
	for _, l := range s.schema.Describe() {
		fmt.Fprintln(w, l)
	}
	// What SPEC 6.1 measures in every user's transaction, whatever the plan
	// is believed to touch.
	for _, l := range s.users.Describe() {
		fmt.Fprintln(w, l)
	}
	if s.stmts.enabledAt >= 0 {
		fmt.Fprintf(w, "replication check: %s.%s (a user whose row still says enabled is refused: %s)\n",
			rtcschema.Replicated.Table, rtcschema.Replicated.Column, rtcschema.Replicated.Evidence)
	} else {
		fmt.Fprintf(w, "replication check: none (no %s.%s column on this server)\n", rtcschema.Replicated.Table, rtcschema.Replicated.Column)
	}
}
