package exportcontacts

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// Tool names the run's files: ExportContactsLog<ts>.txt (SPEC 3.3).
const Tool = "ExportContacts"

// Run runs one exportcontacts command and returns the exit code; once the log
// is open, it and its summary are written on every path.
//
// Decisions beyond SPEC 4, so that they are written down once:
//   - Order: from the rtc database the CSV holds the users in input order (DN:
//     users where their line is), each user's rows together, whatever --workers
//     is (chunks are read in parallel and written in order); offline, the users
//     come in the export file's order, since the file is streamed once.
//   - ExportedContactsRejected<ts>.csv exists only when a row was rejected. The
//     CSV and the user list are created once the source is ready; a run that
//     stops before its first user (schema check, unreadable file) leaves neither,
//     a finished run without a processed user leaves a header-only CSV and an
//     empty user list.
//   - STATSONLY is the export's dry run (SPEC 3.5): records carry dry_run.
//   - -f ALL: users are reported as they are found and never Expected, so a
//     Ctrl-C does not count the ones not reached; memory stays flat.
//   - One rtc database per run (Cisco's -i/): more --sql-server values are a
//     usage error; run once per pool.
//   - "Homed on this database": a Resource row with a ResourceDirectory row or
//     an own contact list or group; a Resource row alone is someone's buddy.
func Run(ctx context.Context, cfg Config) (code int) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return run.Fail(cfg.Common, result.Usage(err))
	}
	if cfg.Check {
		return runCheck(ctx, cfg)
	}
	// Input errors stop the run before any connection or prompt (SPEC 3.2).
	list, err := input.Load(cfg.Common.File, cfg.Common.Stdin, input.Options{Command: input.Export, Domain: cfg.Domain})
	if err != nil {
		return run.Fail(cfg.Common, result.Usage(err))
	}
	if cfg.LDAP == nil {
		for _, e := range list.Entries {
			if e.Kind == input.KindDN {
				return run.Fail(cfg.Common, result.Usage(fmt.Errorf(
					"%s line %d: DN: lines select users in Active Directory: give --ldap-server (-s/)", list.File, e.Line)))
			}
		}
	}
	var extra []runlog.FileSpec
	if !cfg.statsOnly() {
		extra = []runlog.FileSpec{
			{Dir: cfg.OutDir, Prefix: ContactsPrefix, Ext: ".csv"},
			{Dir: cfg.OutDir, Prefix: RejectsPrefix, Ext: ".csv"},
			{Dir: cfg.OutDir, Prefix: UserListPrefix, Ext: ".txt"},
		}
	}
	command := "exportcontacts"
	if cfg.statsOnly() {
		command += " -r STATSONLY"
	}
	sess, ctx, err := run.Start(ctx, run.Options{
		Common: cfg.Common, Tool: Tool, Command: command, DryRun: cfg.statsOnly(),
		BindIdentity: bindIdentity(cfg), Targets: targets(cfg), Extra: extra,
	})
	if err != nil {
		return run.Fail(cfg.Common, err)
	}
	defer sess.Guard(&code)
	j := newJob(cfg, sess)
	defer j.cleanup()
	err = j.run(ctx, list)
	sess.SetContactStats(j.stats.Result()) // also after a fatal error: the users done so far
	return sess.Finish(err)
}

func (c Config) statsOnly() bool { return strings.EqualFold(c.RunMode, ModeStatsOnly) }

// withDefaults fills what the CLI normally fills, so that a Config built in Go
// (tests, other callers) behaves like the command line.
func (c Config) withDefaults() Config {
	if c.RunMode == "" {
		c.RunMode = ModeNormal
	}
	if c.DefaultGroup == "" {
		c.DefaultGroup = DefaultGroupName
	}
	if c.MaxContacts == 0 {
		c.MaxContacts = DefaultMaxContacts
	}
	if c.OutDir == "" {
		c.OutDir = c.Common.LogDir // "" again means the log folder: run.Start decides it
	}
	return c
}

// validate repeats the CLI's cross-flag rules that the job relies on; all of
// them are usage errors (exit 2) found before any connection.
func (c Config) validate() error {
	var p []string
	if !strings.EqualFold(c.RunMode, ModeNormal) && !c.statsOnly() {
		p = append(p, fmt.Sprintf("-r/--run-mode %q: use NORMAL or STATSONLY", c.RunMode))
	}
	if c.MaxContacts < 0 {
		p = append(p, fmt.Sprintf("--max-contacts %d: use a positive number", c.MaxContacts))
	}
	switch {
	case c.Check:
		if c.SQL == nil || len(c.SQL.Servers) == 0 {
			p = append(p, "--check compares the rtc database schema: give --sql-server (-i/)")
		}
	case c.SQL != nil && c.FromExport != "":
		p = append(p, "--sql-server and --from-export are two sources of contacts: give one")
	case c.SQL == nil && c.FromExport == "":
		p = append(p, "no source of contacts: give --sql-server (Cisco -i/) for the rtc database, "+
			"or --from-export FILE for an Export-CsUserData zip or a DBImpExp XML file")
	case c.SQL != nil && c.LDAP == nil:
		p = append(p, "--sql-server needs --ldap-server (-s/): users are resolved in Active Directory")
	}
	if c.SQL != nil {
		if len(c.SQL.Servers) > 1 {
			p = append(p, fmt.Sprintf("--sql-server given %d times: exportcontacts reads one rtc database per run (Cisco's -i/); run it once per pool",
				len(c.SQL.Servers)))
		}
		if err := c.SQL.Validate(); err != nil {
			p = append(p, err.Error())
		}
	}
	if c.DumpSchema != "" {
		if !c.Check {
			p = append(p, "--dump-schema writes what --check reads: give --check")
		} else if err := rtcclient.CheckDumpPath(c.DumpSchema); err != nil {
			p = append(p, "--dump-schema: "+err.Error())
		}
	}
	if c.LDAP != nil && !c.Check {
		if err := c.LDAP.Validate(); err != nil {
			p = append(p, err.Error())
		}
	}
	if c.FromExport != "" && c.FromExport != "-" {
		fi, err := os.Stat(c.FromExport)
		switch {
		case err != nil:
			p = append(p, fmt.Sprintf("--from-export: %v", err))
		case fi.IsDir():
			p = append(p, fmt.Sprintf("--from-export %s: a folder; give the Export-CsUserData zip or the DBImpExp XML file", c.FromExport))
		}
	}
	if c.FromExport == "-" && c.Common.File == "-" {
		p = append(p, "-f - and --from-export -: only one can read standard input")
	}
	if len(p) > 0 {
		return errors.New(strings.Join(p, "\n"))
	}
	return nil
}

// bindIdentity is who the run acts as, for the audit header.
func bindIdentity(cfg Config) string {
	var ids []string
	if cfg.LDAP != nil {
		ids = append(ids, "LDAP "+cfg.LDAP.Identity())
	}
	if cfg.SQL != nil {
		id := fmt.Sprintf("SQL %s", cfg.SQL.WithDefaults().Auth)
		if cfg.SQL.User != "" {
			id += " " + cfg.SQL.User
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return "none (offline)"
	}
	return strings.Join(ids, "; ")
}

// targets names the servers and files the run reads, for the audit header.
func targets(cfg Config) []string {
	var t []string
	if cfg.LDAP != nil {
		t = append(t, "LDAP "+cfg.LDAP.Server)
	}
	if cfg.SQL != nil {
		for _, s := range cfg.SQL.Servers {
			t = append(t, "SQL "+s+" database "+cfg.SQL.WithDefaults().Database)
		}
	}
	if cfg.FromExport != "" {
		t = append(t, "export file "+cfg.FromExport)
	}
	return t
}
