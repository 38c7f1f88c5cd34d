package exportcontacts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// ownersPerQuery is how many owners one set-based read covers: three statements
// per chunk, each far below the 2,000 parameters SPEC 7 allows.
var ownersPerQuery = 500

// The statements the export sends (SPEC 7 subset: plain SELECTs with joins and an
// IN list of @pN parameters; only the placeholders are spliced in). Every name
// comes from rtcschema, and the schema check requires exactly what they name.
var (
	// Owners by address; a ResourceDirectory row means the user is homed here.
	sqlResources = rtcschema.SQL("SELECT r.{Resource.ResourceID}, r.{Resource.UserAtHost}, d.{ResourceDirectory.ResourceID} FROM {Resource} r " +
		"LEFT JOIN {ResourceDirectory} d ON d.{ResourceDirectory.ResourceID} = r.{Resource.ResourceID} WHERE r.{Resource.UserAtHost} IN (%s)")
	sqlGroups = rtcschema.SQL("SELECT {ContactGroup.OwnerID}, {ContactGroup.GroupNumber}, {ContactGroup.DisplayName}, {ContactGroup.ExternalURI} " +
		"FROM {ContactGroup} WHERE {ContactGroup.OwnerID} IN (%s) ORDER BY {ContactGroup.OwnerID}, {ContactGroup.GroupNumber}")
	// One row per (contact, group); a contact in no group comes once with a NULL group.
	sqlContacts = rtcschema.SQL("SELECT c.{Contact.OwnerID}, c.{Contact.BuddyID}, r.{Resource.UserAtHost}, c.{Contact.DisplayName}, a.{ContactGroupAssoc.GroupNumber} " +
		"FROM {Contact} c LEFT JOIN {Resource} r ON r.{Resource.ResourceID} = c.{Contact.BuddyID} " +
		"LEFT JOIN {ContactGroupAssoc} a ON a.{ContactGroupAssoc.OwnerID} = c.{Contact.OwnerID} AND a.{ContactGroupAssoc.BuddyID} = c.{Contact.BuddyID} " +
		"WHERE c.{Contact.OwnerID} IN (%s) ORDER BY c.{Contact.OwnerID}, c.{Contact.BuddyID}, a.{ContactGroupAssoc.GroupNumber}")
)

// exportNeeds is what the schema check requires for an export.
func exportNeeds() rtcschema.Needs {
	return rtcschema.Needs{}.With(sqlResources, sqlGroups, sqlContacts)
}

// openRTC connects to the rtc database, detects its version as deleteaccount does
// (Cisco's probe lines) and checks what the export reads: the tables and columns
// its statements name, each of the type family it needs. Any failure is fatal
// (exit 3) before a file is written: a plausible wrong CSV is worse than none
// (SPEC 4).
func (j *job) openRTC(ctx context.Context) (*rtcclient.DB, error) {
	cfg := j.sess.SQL(*j.cfg.SQL)
	db, err := rtcclient.Open(ctx, cfg, cfg.Servers[0], j.log)
	if err != nil {
		return nil, result.Fatal(fmt.Errorf("Error While Connecting to the SQL Server: %w", err))
	}
	if _, err := checkContactTables(ctx, db, j.log); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checked is a server the export's check ran on.
type checked struct {
	schema *rtcschema.Schema
	needs  rtcschema.Needs
	cat    *rtcclient.Catalog // nil when the catalog could not be read
}

// checkContactTables is the version detection and the schema check shared by a
// run and --check. The result is filled as far as the check got.
func checkContactTables(ctx context.Context, db *rtcclient.DB, log rtcclient.Logger) (checked, error) {
	c := checked{needs: exportNeeds()}
	v, err := db.Detect(ctx, log)
	if err != nil {
		return c, result.Fatal(err)
	}
	c.schema = rtcschema.For(v)
	log.Infof("Server [%s] database [%s]: %s", db.Server, db.Database, c.schema.Name)
	c.cat, err = db.Check(ctx, c.needs)
	if err != nil {
		return c, result.Fatal(fmt.Errorf("%w: no CSV is written from tables that do not look as expected", err))
	}
	log.Infof("Schema check passed on [%s]: the %d tables and %d columns the export reads are there, each of the type family it needs",
		db.Server, len(c.needs.Tables), len(c.needs.Columns))
	return c, nil
}

// runRTC exports from the rtc database: users resolved in AD, then read set-based
// in chunks (ownersPerQuery owners per statement), --workers chunks in flight,
// written in input order.
func (j *job) runRTC(ctx context.Context, list *input.List) (err error) {
	db := j.db
	var ts []target
	if list.All {
		// As offline: the homed users are reported as they are read, not Expected.
		ts, err = j.allFromAD(ctx)
	} else {
		ts, err = j.resolve(ctx, list)
	}
	if err != nil || ctx.Err() != nil {
		return err
	}
	if len(ts) == 0 {
		j.log.Warnf("No user left to export")
		return nil
	}
	if err := j.sourceReady(); err != nil {
		return err
	}
	defer func() { err = errors.Join(err, j.closeFiles(err)) }()

	src := &rtcSource{db: db, log: j.log}
	chunks := adclient.Chunks(ts, ownersPerQuery)
	notHomed := 0
	err = ordered(ctx, len(chunks), j.sess.Workers(),
		func(c context.Context, i int) chunkOut { return j.rtcChunk(c, src, chunks[i], list.All) },
		func(c chunkOut) error {
			notHomed += c.notHomed
			for _, u := range c.users {
				if err := j.emitUser(u); err != nil {
					return err
				}
			}
			return nil
		})
	if list.All && notHomed > 0 {
		j.log.Infof("%d SIP-enabled users of the domain are not homed on %s: not exported by this run", notHomed, db.Server)
	}
	return err
}

// allFromAD lists the SIP-enabled users of the domain (-f ALL with the rtc
// database); the ones this database homes are exported, the AD-disabled among them
// skipped.
func (j *job) allFromAD(ctx context.Context) ([]target, error) {
	j.log.Infof("Searching all SIP-enabled users under [%s]", j.ad.Base())
	var ts []target
	err := j.ad.AllSIPUsers(ctx, adAttrs, func(u adclient.Entry) error {
		uri := sipOf(u)
		if uri == "" || j.duplicate(uri, "the domain search") {
			return nil
		}
		t := target{uri: uri}
		if o, why := adVerdict([]adclient.Entry{u}); o != result.Processed {
			t.skip = why
		}
		ts = append(ts, t)
		return nil
	})
	if err != nil {
		return nil, j.adError(ctx, err)
	}
	j.log.Infof("Found %d SIP-enabled users in Active Directory", len(ts))
	return ts, nil
}

// chunkOut is what one chunk of owners produced.
type chunkOut struct {
	users    []*userOut
	notHomed int // -f ALL: users of the chunk this database does not home
}

// rtcChunk reads and processes one chunk of owners. Reads are idempotent: a failed
// one is tried once more (a deadlock victim, SQL error 1205, or a dropped
// connection, which database/sql replaces); if it fails again and the server does
// not answer, the run stops; if the server answers, the chunk's users are errors.
func (j *job) rtcChunk(ctx context.Context, src *rtcSource, ts []target, all bool) (out chunkOut) {
	defer func() {
		if r := recover(); r != nil {
			j.log.Errorf("internal error: panic while exporting %d users from %s: %v\n%s", len(ts), src.db.Server, r, debug.Stack())
			out = chunkOut{}
			for _, t := range ts {
				out.users = append(out.users, &userOut{rec: withOutcome(t.record(), result.Error, fmt.Sprintf("internal error: panic: %v", r)),
					block: j.outcomeBlock(t, result.Error, fmt.Sprintf("internal error: panic: %v", r))})
			}
		}
	}()
	owners, err := src.read(ctx, ts)
	if err != nil {
		j.log.Warnf("Reading the contacts of %d users from %s failed, trying once more: %v", len(ts), src.db.Server, err)
		if wait(ctx, retryDelay) != nil {
			return chunkOut{} // stopped while waiting (not a lost server): the chunk is not attempted
		}
		owners, err = src.read(ctx, ts)
	}
	if err != nil {
		if perr := src.db.SQL.PingContext(ctx); perr != nil { // the database was lost: this chunk and the rest are not attempted
			j.sess.Stop(fmt.Errorf("rtc database %s lost and not regained: %w", src.db.Server, err))
			return chunkOut{}
		}
		detail := fmt.Sprintf("read contacts from %s: %v", src.db.Server, err)
		for _, t := range ts {
			out.users = append(out.users, &userOut{rec: withOutcome(t.record(), result.Error, detail), block: j.outcomeBlock(t, result.Error, detail)})
		}
		return out
	}
	for _, t := range ts {
		o := owners[t.key()]
		switch {
		case o == nil || !o.homed():
			if all {
				out.notHomed++
				continue
			}
			detail := fmt.Sprintf("not in the rtc database %s: homed on another pool, or never signed in", src.db.Server)
			if o != nil {
				detail = fmt.Sprintf("not homed on the rtc database %s (it only appears on other users' contact lists)", src.db.Server)
			}
			out.users = append(out.users, &userOut{rec: withOutcome(t.record(), result.NotFound, detail), block: j.outcomeBlock(t, result.NotFound, detail)})
		case t.skip != "":
			out.users = append(out.users, &userOut{rec: withOutcome(t.record(), result.Skipped, t.skip), block: j.outcomeBlock(t, result.Skipped, t.skip)})
		default:
			out.users = append(out.users, j.process(t, o.list, o.notes...))
		}
	}
	return out
}

// retryDelay is the pause before a failed read is tried again.
var retryDelay = 200 * time.Millisecond

// wait pauses for d unless ctx ends first, and then returns its error.
func wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// rtcSource reads contact lists set-based.
type rtcSource struct {
	db  *rtcclient.DB
	log rtcclient.Logger
}

// owner is one chunk member as the database knows it.
type owner struct {
	id    int64
	dir   bool // has a ResourceDirectory row
	list  *contactList
	notes []string // WARNs about contacts that could not be exported, for the owner's log block
}

// homed: a ResourceDirectory row or an own contact list or group (a Resource row
// alone is a buddy of someone homed here).
func (o *owner) homed() bool {
	return o.dir || len(o.list.Groups) > 0 || len(o.list.Contacts) > 0
}

// read returns the chunk's owners known to the database, keyed by lower-case
// user@host: three statements whatever the chunk's size.
func (s *rtcSource) read(ctx context.Context, ts []target) (map[string]*owner, error) {
	args := make([]any, len(ts))
	for i, t := range ts {
		args[i] = t.userAtHost()
	}
	owners := make(map[string]*owner, len(ts))
	byID := make(map[int64]*owner, len(ts))
	err := s.query(ctx, sqlResources, args, func(r *sql.Rows) error {
		var id int64
		var uah string
		var dir sql.NullInt64
		if err := r.Scan(&id, &uah, &dir); err != nil {
			return err
		}
		o := &owner{id: id, dir: dir.Valid, list: &contactList{Owner: uah}}
		owners[ownerKey(uah)] = o
		byID[id] = o
		return nil
	})
	if err != nil || len(byID) == 0 {
		return owners, err
	}
	ids := make([]any, 0, len(byID))
	for _, t := range ts { // input order, for stable statements
		if o := owners[t.key()]; o != nil {
			ids = append(ids, o.id)
		}
	}
	err = s.query(ctx, sqlGroups, ids, func(r *sql.Rows) error {
		var oid, num int64
		var name, ext storedText
		if err := r.Scan(&oid, &num, &name, &ext); err != nil {
			return err
		}
		if o := byID[oid]; o != nil {
			o.list.Groups = append(o.list.Groups, contactGroup{Number: int(num), Name: name.Text, ExternalURI: ext.Text, Undecodable: name.Undecodable})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var last *contactEntry
	var lastOwner, lastBuddy int64 = -1, -1
	err = s.query(ctx, sqlContacts, ids, func(r *sql.Rows) error {
		var oid, bid int64
		var buddy sql.NullString
		var nick storedText
		var grp sql.NullInt64
		if err := r.Scan(&oid, &bid, &buddy, &nick, &grp); err != nil {
			return err
		}
		o := byID[oid]
		if o == nil {
			return nil
		}
		if oid != lastOwner || bid != lastBuddy {
			lastOwner, lastBuddy, last = oid, bid, nil
			if !buddy.Valid || buddy.String == "" {
				o.notes = append(o.notes, fmt.Sprintf("Contact with BuddyId [%d] of sip:%s skipped: no Resource row names it", bid, o.list.Owner))
				return nil
			}
			o.list.Contacts = append(o.list.Contacts, contactEntry{Buddy: buddy.String, Nickname: nick.Text, Undecodable: nick.Undecodable})
			last = &o.list.Contacts[len(o.list.Contacts)-1]
		}
		if last != nil && grp.Valid {
			last.Groups = append(last.Groups, int(grp.Int64))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return owners, nil
}

// query runs one statement over the chunk's parameters and hands each row to fn.
func (s *rtcSource) query(ctx context.Context, st rtcschema.Statement, args []any, fn func(*sql.Rows) error) error {
	s.log.Debugf("SQL is [%s] with %d parameters", fmt.Sprintf(st.Text, rtcclient.Placeholders(1, len(args))), len(args))
	return s.db.EachIn(ctx, st.Text, args, fn)
}
