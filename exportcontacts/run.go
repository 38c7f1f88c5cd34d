package exportcontacts

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/setting"
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
//     CSV and the user list are opened once the source is ready; a run that
//     stops before its first user (schema check, unreadable file) or on an
//     internal error (panic) leaves neither, a finished run without a processed
//     user leaves a header-only CSV and an empty user list.
//   - STATSONLY is the export's dry run (SPEC 3.5): records carry dry_run.
//   - -f ALL: users are reported as they are found and never Expected, so a
//     Ctrl-C does not count the ones not reached; memory stays flat.
//   - One rtc database per run (Cisco's -i/): more --sql-server values are a
//     usage error; run once per pool.
//   - "Homed on this database": a Resource row with a ResourceDirectory row or
//     an own contact list or group; a Resource row alone is someone's buddy.
func Run(ctx context.Context, cfg Config) int {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return run.Fail(cfg.Common, result.Usage(err))
	}
	if cfg.Check {
		return runCheck(ctx, cfg)
	}
	var files []run.File
	if !cfg.statsOnly() {
		files = []run.File{
			{Dir: cfg.OutDir, Prefix: ContactsPrefix, Ext: ".csv", Output: true},
			{Dir: cfg.OutDir, Prefix: RejectsPrefix, Ext: ".csv", Output: true},
			{Dir: cfg.OutDir, Prefix: UserListPrefix, Ext: ".txt", Output: true},
		}
	}
	command := "exportcontacts"
	if cfg.statsOnly() {
		command += " -r STATSONLY"
	}
	return run.Execute(ctx, run.Options{
		Common: cfg.Common, Tool: Tool, Command: command, DryRun: cfg.statsOnly(),
		BindIdentity: bindIdentity(cfg), Targets: targets(cfg), Files: files,
	}, func(ctx context.Context, s *run.Session) error {
		j := newJob(cfg, s)
		defer j.cleanup()
		err := j.run(ctx)
		s.SetContactStats(j.stats.Result()) // also after a fatal error: the users done so far
		return err
	})
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
	if c.OutDir == "" {
		c.OutDir = c.Common.LogDir // "" again means the log folder: run.Start decides it
	}
	return c
}

// RunModes are the values -r/--run-mode takes (case-insensitive).
var RunModes = []string{ModeNormal, ModeStatsOnly}

// Validate checks the settings of a run — every problem at once, each
// naming its setting (internal/setting) — without reading the users file or
// connecting: Run calls it first, and cmd/lyncmigrate before Run.
func (c Config) Validate() error {
	c = c.withDefaults()
	errs := []error{c.Common.Validate(), setting.OneOf(setting.RunMode, setting.Canonical(c.RunMode, RunModes), RunModes)}
	if c.MaxContacts < 1 { // the one check of --max-contacts (the CLI's default is DefaultMaxContacts)
		errs = append(errs, setting.Errorf("%s %d: use a positive number", setting.MaxContacts, c.MaxContacts))
	}
	sources := false // the sources of contacts make sense together: check their settings
	switch {
	case c.Check:
		if c.SQL == nil || len(c.SQL.Servers) == 0 {
			errs = append(errs, setting.Errorf("%s compares the rtc database schema: %s", setting.Check, setting.Required(setting.SQLServer)))
		} else {
			sources = true
		}
	case c.SQL != nil && c.FromExport != "":
		errs = append(errs, setting.Errorf("%s and %s are two sources of contacts: give one", setting.SQLServer, setting.FromExport))
	case c.SQL == nil && c.FromExport == "":
		errs = append(errs, setting.Errorf("no source of contacts: give %s for the rtc database (Cisco -i/), "+
			"or %s FILE for an Export-CsUserData zip or a DBImpExp XML file", setting.SQLServer, setting.FromExport))
	case c.SQL != nil && c.LDAP == nil:
		errs = append(errs, setting.Errorf("%s: %s needs %s, users are resolved in Active Directory",
			setting.Required(setting.LDAPServer), setting.SQLServer, setting.LDAPServer))
	default:
		sources = true
	}
	if sources && c.SQL != nil {
		if len(c.SQL.Servers) > 1 {
			errs = append(errs, setting.Errorf("%s given %d times: exportcontacts reads one rtc database per run (Cisco's -i/); run it once per pool",
				setting.SQLServer, len(c.SQL.Servers)))
		}
		errs = append(errs, c.SQL.Validate())
	}
	errs = append(errs, rtcclient.ValidateDump(c.DumpSchema, c.Check))
	if sources && c.LDAP != nil && !c.Check {
		errs = append(errs, c.LDAP.Validate())
	}
	if c.FromExport == "-" && c.Common.File == "-" {
		errs = append(errs, setting.Errorf("%s - and %s -: only one can read standard input", setting.File, setting.FromExport))
	}
	return errors.Join(errs...)
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
