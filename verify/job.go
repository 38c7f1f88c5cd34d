package verify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// batchSize is how many users one set-based read covers: AD is searched
// in OR filters of adclient.FilterChunk, each server with IN lists of
// batchSize values (far below rtcclient.MaxParams). A variable: tests make
// batches small to cross their boundaries.
var batchSize = 500

// job is one verify run in progress.
type job struct {
	cfg     Config
	sess    *run.Session
	log     *runlog.Logger
	list    *input.List
	started time.Time

	ad      *adclient.Client
	servers []*server
	report  *report // nil without --report

	reported int // entries reported so far, in input order
}

func newJob(sess *run.Session, cfg Config, list *input.List) *job {
	return &job{cfg: cfg, sess: sess, log: sess.Log(), list: list, started: sess.Now()}
}

// run is the body of a run; its error goes to Session.Finish.
func (j *job) run(ctx context.Context) error {
	if j.cfg.Report != "" {
		var err error
		if j.report, err = newReport(j.cfg.Report); err != nil {
			return result.Fatal(err)
		}
		for _, le := range j.list.Invalid {
			j.report.add(result.Record{User: le.Text, Line: le.Line, Outcome: result.Error, Detail: le.Reason})
		}
	}
	j.log.Infof("verify reads Active Directory and every rtc database and changes nothing")
	if len(j.list.Entries) == 0 {
		j.log.Warnf("No users to verify in %s", j.list.File)
		return nil
	}
	for _, w := range j.cfg.SQL.Warnings() {
		j.log.Warnf("%s", w)
	}
	var err error
	if j.ad, err = connectAD(ctx, j.sess.LDAP(j.cfg.LDAP), j.log); err != nil {
		return err
	}
	defer j.ad.Close()
	j.servers = openServers(ctx, j.sess.SQL(j.cfg.SQL), j.log)
	defer closeServers(j.servers)
	j.log.Infof("Verifying %d users in batches of %d", len(j.list.Entries), batchSize)

	if err := j.verifyAll(ctx); err != nil {
		return err
	}
	return j.serversError()
}

// verifyAll reads the users batch by batch, up to --workers batches at once,
// and reports them in input order. Ctrl-C stops handing out batches; those
// being read finish. An AD failure stops the run (exit 3): the users not
// reported end not_attempted.
func (j *job) verifyAll(ctx context.Context) error {
	entries := j.list.Entries
	for lo := 0; lo < len(entries); {
		if ctx.Err() != nil {
			return nil // the session reports the interruption
		}
		var batches [][]input.Entry
		for w := 0; w < j.sess.Workers() && lo < len(entries); w++ {
			hi := min(lo+batchSize, len(entries))
			batches = append(batches, entries[lo:hi])
			lo = hi
		}
		results := make([][]result.Record, len(batches))
		errs := make([]error, len(batches))
		var wg sync.WaitGroup
		for i, b := range batches {
			wg.Go(func() { results[i], errs[i] = j.verifyBatch(context.WithoutCancel(ctx), b) })
		}
		wg.Wait()
		for i := range batches {
			if errs[i] != nil {
				return result.Fatal(errs[i])
			}
			for _, rec := range results[i] {
				j.reportUser(rec)
			}
		}
	}
	return nil
}

// verifyBatch reads one batch from AD and every server at once, and gives
// each user a record. Only AD's failure is an error: a server that fails is
// named in its users' records.
func (j *job) verifyBatch(ctx context.Context, entries []input.Entry) ([]result.Record, error) {
	var ad []result.ADStatus
	var adErr error
	reads := make([]*onServer, len(j.servers))
	var wg sync.WaitGroup
	wg.Go(func() {
		t0 := time.Now()
		ad, adErr = readAD(ctx, j.ad, entries)
		j.log.Debugf("Batch of %d users from %s: Active Directory read in %d ms", len(entries), entries[0].URI, time.Since(t0).Milliseconds())
	})
	for k, s := range j.servers {
		if s.failed() != nil {
			continue
		}
		wg.Go(func() {
			t0 := time.Now()
			r, err := s.read(ctx, entries)
			j.log.Debugf("Batch of %d users from %s: %s read in %d ms", len(entries), entries[0].URI, s.name, time.Since(t0).Milliseconds())
			if err != nil {
				if s.fail(fmt.Errorf("read: %w", err)) {
					j.log.Errorf("rtc database %s could not be read: %v; its users are reported from the other servers, and the run ends with exit 3", s.name, err)
				}
				return
			}
			reads[k] = r
		})
	}
	wg.Wait()
	if adErr != nil {
		return nil, adErr
	}
	out := make([]result.Record, len(entries))
	for i, e := range entries {
		out[i] = j.record(e, ad[i], reads)
	}
	return out, nil
}

// record puts together what AD and each server say of one user, and decides.
func (j *job) record(e input.Entry, ad result.ADStatus, reads []*onServer) result.Record {
	servers := make([]result.ServerStatus, len(j.servers))
	for k, s := range j.servers {
		st := result.ServerStatus{Server: s.name}
		r := reads[k]
		if r == nil {
			st.Error = "could not be read"
			if err := s.failed(); err != nil {
				st.Error = err.Error()
			}
			servers[k] = st
			continue
		}
		st.HomedRows = map[string]int64{}
		if id, ok := r.ids[strings.ToLower(e.UserAtHost)]; ok {
			st.ResourceID = &id
			for t, n := range r.homed[id] {
				if n > 0 {
					st.HomedRows[t] = n
				}
			}
			st.ListedBy = r.listed[id]
			if on, ok := r.enabled[id]; ok {
				st.Replicated = new(on == ad.Enabled)
			}
		}
		servers[k] = st
	}
	state, detail := decide(ad, servers)
	o, detail := outcomeFor(state, detail, servers)
	return result.Record{User: e.URI, Line: e.Line, Outcome: o, State: state, Detail: detail, AD: &ad, Servers: servers}
}

// reportUser reports one user: the log block, the session (tally, --json,
// progress) and the report.
func (j *job) reportUser(rec result.Record) {
	b := j.log.Block()
	switch rec.Outcome {
	case result.Processed:
		b.Infof("%s: %s", rec.User, rec.Detail)
	case result.NotFound:
		b.Warnf("%s: %s", rec.User, rec.Detail)
	default:
		b.Errorf("%s: %s", rec.User, rec.Detail)
	}
	if j.log.Enabled(runlog.LevelDebug) {
		if ad := rec.AD; ad.Found {
			b.Debugf("%s: AD %s, msRTCSIP-UserEnabled %v, address %q, home server %q", rec.User, ad.DN, ad.Enabled, ad.Address, ad.HomeServer)
		} else {
			b.Debugf("%s: not in Active Directory", rec.User)
		}
		for _, s := range rec.Servers {
			b.Debugf("%s: %s", rec.User, describeServer(s))
		}
	}
	b.Commit()
	j.sess.Report(rec)
	if j.report != nil {
		j.report.add(rec)
	}
	j.reported++
}

// describeServer is one server's part of a user, for the log.
func describeServer(s result.ServerStatus) string {
	switch {
	case s.Error != "":
		return s.Server + ": not read (" + s.Error + ")"
	case s.ResourceID == nil:
		return s.Server + ": no Resource row"
	}
	d := fmt.Sprintf("%s: ResourceId %d", s.Server, *s.ResourceID)
	if len(s.HomedRows) == 0 {
		d += ", no homed rows"
	} else {
		d += ", homed rows " + rowList(s.HomedRows)
	}
	if s.Replicated != nil {
		d += fmt.Sprintf(", replicated %v", *s.Replicated)
	}
	return d + fmt.Sprintf(", listed by %d other users", s.ListedBy)
}

// serversError is the run error when a server could not be read: exit 3,
// each such server named.
func (j *job) serversError() error {
	var u unreadServers
	for _, s := range j.servers {
		if err := s.failed(); err != nil {
			u = append(u, fmt.Errorf("rtc database %s could not be read: %w", s.name, err))
		}
	}
	if len(u) == 0 {
		return nil
	}
	return result.Fatal(&u)
}

// unreadServers is the run error naming each server that could not be read.
type unreadServers []error

func (u *unreadServers) Error() string { return errors.Join(*u...).Error() }
