package deleteaccount

import (
	"context"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// job is one delete run in progress.
type job struct {
	cfg     Config
	sess    *run.Session
	log     *runlog.Logger
	servers []*server
	backup  *backupWriter     // nil in a dry run (and when benchmarking without backups)
	gate    map[string]string // lower-case URI -> why the AD gate refuses the user
	pre     []*prefetch       // per server (same order): the set-based reads
	waiting waitList          // users not yet replicated to some server (--wait-replication)
}

// deleteUsers is the body of a run, after the input is loaded; its error
// goes to Session.Finish.
func deleteUsers(ctx context.Context, sess *run.Session, cfg Config, list *input.List) error {
	log := sess.Log()
	j := &job{cfg: cfg, sess: sess, log: log}

	for _, w := range cfg.SQL.Warnings() {
		log.Warnf("%s", w)
	}
	if cfg.LDAP == nil {
		log.Warnf("AD state was not checked (no --ldap-server): users still SIP-enabled in Active Directory are deleted too, and Lync may bring their data back; run disableaccount first")
	}
	log.Infof("Active Directory changes take up to 30 minutes to reach the Lync servers: run deleteaccount only after disableaccount's changes have replicated")
	if len(list.Entries) == 0 {
		log.Warnf("No users to process")
		return nil
	}

	servers, err := openServers(ctx, sess.SQL(cfg.SQL), cfg.SQL.Servers, log)
	if err != nil {
		return err
	}
	defer closeServers(servers)
	j.servers = servers

	if cfg.LDAP != nil {
		if j.gate, err = adGate(ctx, sess.LDAP(*cfg.LDAP), list.Entries, log); err != nil {
			return err
		}
	}
	if p := sess.Path(BackupPrefix); p != "" {
		if j.backup, err = openBackup(p, sess.Now); err != nil {
			return result.Fatal(err)
		}
		log.Infof("Backup of every deleted row: %s", p)
		defer func() {
			if cerr := j.backup.close(); cerr != nil {
				log.Errorf("%v", cerr)
			}
		}()
	}

	for _, s := range servers {
		p := newPrefetch(s, list.Entries, j.backup)
		j.pre = append(j.pre, p)
		defer p.wait() // before the servers close
	}

	idx := make([]int, len(list.Entries))
	for i := range idx {
		idx[i] = i
	}
	err = run.ForEach(ctx, idx, sess.Workers(), func(ctx context.Context, i int) { j.user(ctx, i, list.Entries[i]) })
	if err != nil || sess.Stopped() != nil {
		return err
	}
	return j.waitReplication(ctx)
}

// stop ends the run after a fatal error (a server lost and not regained):
// no further user is handed out; the rest end not_attempted (run.Session.Stop).
func (j *job) stop(err error) { j.sess.Stop(err) }

// user processes one input user on every server, in the order given.
func (j *job) user(ctx context.Context, i int, e input.Entry) {
	overall := result.Record{User: e.URI, Line: e.Line}
	defer j.sess.Recover(overall)
	if why, refused := j.gate[strings.ToLower(e.URI)]; refused {
		for _, p := range j.pre {
			id, pre, _ := p.get(ctx, i) // the chunk counts its users taken, to free itself
			p.release(pre, e, id, "refused by the AD gate")
		}
		b := j.log.Block()
		b.Errorf("%s: %s", e.URI, why)
		b.Commit()
		overall.Outcome, overall.Detail = result.Error, why
		j.sess.Report(overall)
		return
	}
	w := &waitingUser{e: e, parts: make([]result.Record, 0, len(j.servers)), ids: map[int]int64{}}
	for k, s := range j.servers {
		b := j.log.Block()
		p := j.onServer(ctx, b, s, j.pre[k], i, e)
		b.Commit()
		w.parts = append(w.parts, p.rec)
		if p.waiting {
			w.ids[k] = p.id
		}
	}
	if len(w.ids) > 0 {
		j.waiting.add(w) // reported once replicated, or at the deadline
		return
	}
	j.sess.Report(combine(overall, w.parts), w.parts...)
}

// combine is SPEC 6's overall outcome: error if any server failed, else
// processed if any deleted data, else skipped if found with nothing left,
// else not_found.
func combine(overall result.Record, parts []result.Record) result.Record {
	has := map[result.Outcome][]string{}
	for _, p := range parts {
		has[p.Outcome] = append(has[p.Outcome], p.Server+": "+p.Detail)
		if len(p.Rows) > 0 && overall.Rows == nil {
			overall.Rows = map[string]int64{}
		}
		for t, n := range p.Rows {
			overall.Rows[t] += n
		}
	}
	for _, o := range []result.Outcome{result.Error, result.Processed, result.Skipped, result.NotFound} {
		if d := has[o]; len(d) > 0 {
			overall.Outcome = o
			if len(parts) == 1 {
				overall.Detail = parts[0].Detail
			} else {
				overall.Detail = strings.Join(d, "; ")
			}
			return overall
		}
	}
	overall.Outcome, overall.Detail = result.Error, fmt.Sprintf("internal error: no outcome from %d servers", len(parts))
	return overall
}
