package exportcontacts

import (
	"context"
	"fmt"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// job is one export run in progress.
type job struct {
	cfg   Config
	sess  *run.Session
	log   *runlog.Logger
	mo    mapOptions
	stats contactStats
	ad    *adclient.Client  // nil when users are not checked against AD
	db    *rtcclient.DB     // the rtc database; nil offline
	seen  map[string]string // lower-case SIP URI -> how it first came (duplicates across forms)

	out     *outputs // nil in STATSONLY, and until the first processed user
	wantOut bool     // NORMAL mode and the source is ready (sourceReady)

	cleanups []func()
}

func newJob(cfg Config, sess *run.Session) *job {
	lg := sess.Log()
	return &job{
		cfg: cfg, sess: sess, log: lg,
		mo:   mapOptions{DefaultGroup: cfg.DefaultGroup, StateColumn: cfg.StateColumn, Debug: lg.Enabled(runlog.LevelDebug)},
		seen: map[string]string{},
	}
}

// cleanup releases what the run opened (connections, temporary files), last first.
func (j *job) cleanup() {
	for i := len(j.cleanups) - 1; i >= 0; i-- {
		j.cleanups[i]()
	}
	j.cleanups = nil
}

// target is one owner whose contact list is to be exported.
type target struct {
	uri  string // sip:ann@foo.com
	line int    // input line (of the SIP line or of the DN: line that selected it); 0 for ALL
	skip string // -f ALL with the rtc database: why this homed user is skipped (AD account disabled)
}

func (t target) userAtHost() string { return stripSIP(t.uri) }
func (t target) key() string        { return ownerKey(t.uri) }
func (t target) record() result.Record {
	return result.Record{User: t.uri, Line: t.line}
}

// run is the body of a run; its error goes to Session.Finish.
func (j *job) run(ctx context.Context) error {
	if j.cfg.LDAP == nil {
		// First, above any user's line: it qualifies every outcome below (SPEC 4).
		j.log.Warnf("Users are not checked against Active Directory (no --ldap-server): the contact lists of accounts " +
			"that are disabled or no longer SIP-enabled are exported too")
	}
	// Input errors stop the run before any connection or prompt (SPEC 3.2).
	list, err := j.sess.LoadInput(input.Options{Command: input.Export, Domain: j.cfg.Domain})
	if err != nil {
		return err
	}
	if err := j.checkExportFile(); err != nil {
		return err
	}
	if j.cfg.LDAP == nil {
		for _, e := range list.Entries {
			if e.Kind == input.KindDN {
				return result.Usage(fmt.Errorf("%s line %d: DN: lines select users in Active Directory: give --ldap-server (-s/)", list.File, e.Line))
			}
		}
	}
	for _, e := range list.Entries {
		if e.Kind != input.KindDN {
			j.seen[ownerKey(e.UserAtHost)] = fmt.Sprintf("line %d", e.Line)
		}
	}
	if !list.All && !hasUsers(list) {
		j.log.Warnf("No users to export in %s", list.File)
		return nil
	}
	if j.cfg.SQL != nil {
		for _, w := range j.cfg.SQL.Warnings() {
			j.log.Warnf("%s", w)
		}
		// The schema check comes first: a database the export must refuse needs
		// no directory connection.
		db, err := j.openRTC(ctx)
		if err != nil {
			return err
		}
		j.db = db
		j.cleanups = append(j.cleanups, func() { _ = db.Close() })
	}
	if j.cfg.LDAP != nil {
		c, err := adclient.Connect(ctx, j.sess.LDAP(*j.cfg.LDAP), j.log)
		if err != nil {
			return result.Fatal(fmt.Errorf("Unable to connect to LDAP using %s: %w", j.cfg.LDAP.Server, err))
		}
		j.ad = c
		j.cleanups = append(j.cleanups, func() { _ = c.Close() })
	}
	if j.cfg.SQL != nil {
		return j.runRTC(ctx, list)
	}
	return j.runOffline(ctx, list)
}

func hasUsers(list *input.List) bool { return len(list.Entries) > 0 }

// duplicate reports whether uri was met before (a SIP line, or another OU); the
// later one is WARNed and counted, and not processed a second time.
func (j *job) duplicate(uri, via string) bool {
	k := ownerKey(uri)
	if first, ok := j.seen[k]; ok {
		j.log.Warnf("Duplicate user %s (%s) ignored: first from %s", uri, via, first)
		j.sess.AddDuplicates(1)
		return true
	}
	j.seen[k] = via
	return false
}

// report logs and reports an outcome decided without a contact list (not found,
// skipped, error).
func (j *job) report(t target, o result.Outcome, detail string) {
	_ = j.emitUser(&userOut{rec: withOutcome(t.record(), o, detail), block: j.outcomeBlock(t, o, detail)})
}

func withOutcome(r result.Record, o result.Outcome, detail string) result.Record {
	r.Outcome, r.Detail = o, detail
	return r
}

func (j *job) outcomeBlock(t target, o result.Outcome, detail string) *runlog.Block {
	b := j.log.Block()
	b.Infof("Preparing to get contacts for User [%s]", t.uri)
	switch o {
	case result.NotFound:
		b.Infof("User [%s] not found: %s", t.uri, detail)
	case result.Skipped:
		b.Warnf("User [%s] skipped: %s", t.uri, detail)
	default:
		b.Errorf("User [%s]: %s", t.uri, detail)
	}
	return b
}

// userOut is one owner's result, ready to be written: rows, rejected rows, the log
// block and the record. It is built by any goroutine and written by one (emitUser).
type userOut struct {
	rec      result.Record
	block    *runlog.Block
	rows     []batRow
	rejected []rejectedRow
	size     int // distinct contacts, for the statistics (processed only)
}

// process maps one owner's contact list (SPEC 4): BAT rows, rejected rows with a
// WARN each, the list-size WARNs, Cisco's log lines. warnings are the source's own
// remarks about the list (a contact it could not hand over).
func (j *job) process(t target, cl *contactList, warnings ...string) *userOut {
	u := &userOut{rec: t.record(), block: j.log.Block()}
	b := u.block
	b.Infof("Preparing to get contacts for User [%s]", t.uri)
	for _, w := range warnings {
		b.Warnf("%s", w)
	}
	rows := mapRows(cl, j.mo, b)
	if cl.Err != nil {
		u.rec.Outcome, u.rec.Detail = result.Error, "contact list could not be read: "+cl.Err.Error()
		return u
	}
	ok, rejected := splitRows(rows, b)
	u.rows, u.rejected, u.size = ok, rejected, distinctContacts(ok)
	warnListSize(b, t.uri, u.size, j.cfg.MaxContacts)
	n := len(ok)
	u.rec.Outcome, u.rec.Contacts = result.Processed, &n
	u.rec.Detail = fmt.Sprintf("%d contacts, %d rows exported", u.size, n)
	if len(rejected) > 0 {
		u.rec.Detail += fmt.Sprintf(", %d rows rejected by the BAT rules", len(rejected))
	}
	b.Infof("Found %d groups: %s", len(cl.Groups), u.rec.Detail)
	b.Infof("User Processed Successfully")
	return u
}

// emitUser writes one owner's rows, rejects and user-list line (NORMAL mode), adds
// a processed owner to the statistics, commits the log block and reports the
// outcome — in that order, so that the UserList never names a user whose rows are
// not in the CSV. Called from one goroutine at a time. A write error is fatal: the
// files are the migration's record.
func (j *job) emitUser(u *userOut) error {
	if j.wantOut && u.rec.Outcome == result.Processed {
		if j.out == nil {
			if err := j.openFiles(); err != nil {
				u.block.Commit()
				return err
			}
		}
		if err := j.out.write(u); err != nil {
			u.block.Errorf("User [%s]: %v", u.rec.User, err)
			u.block.Commit()
			return result.Fatal(err)
		}
	}
	if u.rec.Outcome == result.Processed {
		j.stats.Add(u.size)
	}
	u.block.Commit()
	j.sess.Report(u.rec)
	return nil
}

// sourceReady marks the source as ready: in NORMAL mode the CSV and the user list
// are opened at the first processed user (so that a source that turns out
// unreadable leaves no file), or at the end of a run without one.
func (j *job) sourceReady() error {
	if j.cfg.statsOnly() {
		j.log.Infof("Run mode STATSONLY: no CSV and no user list are written, only this log and its statistics")
		return nil
	}
	j.wantOut = true
	return nil
}

// openFiles opens the CSV (with its header) and the user list the session reserved.
func (j *job) openFiles() error {
	o, err := newOutputs(j.sess, csvOptions{NoHeader: j.cfg.NoHeader, StateColumn: j.cfg.StateColumn})
	if err != nil {
		return result.Fatal(err)
	}
	j.out = o
	j.log.Infof("Exporting contacts to %s, users to %s", o.contacts.out.path, o.users.out.path)
	return nil
}

// closeFiles flushes and syncs the files and says where they are. A run that
// ends normally without a processed user still leaves a CSV (header only) and an
// empty user list, so that the next step finds them; a failed one leaves none
// (the session removes outputs never opened, and all of them after a panic).
func (j *job) closeFiles(runErr error) error {
	if !j.wantOut {
		return nil
	}
	if j.out == nil {
		if runErr != nil || j.sess.Stopped() != nil {
			return nil
		}
		if err := j.openFiles(); err != nil {
			return err
		}
	}
	o := j.out
	j.out, j.wantOut = nil, false
	if err := o.close(); err != nil {
		return result.Fatal(err)
	}
	j.log.Infof("Wrote %d contact rows to %s", o.contacts.Rows(), o.contacts.out.path)
	if n := o.rejects.Rows(); n > 0 {
		j.log.Warnf("%d contact rows failed the IM and Presence BAT rules: see %s", n, o.rejects.Path())
	}
	j.log.Infof("Wrote %d users to %s (the input of disableaccount and deleteaccount)", o.users.Users(), o.users.out.path)
	return nil
}
