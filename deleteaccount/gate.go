package deleteaccount

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// gateReason is the detail of a user refused by the AD gate.
const gateReason = "still SIP-enabled in Active Directory (msRTCSIP-UserEnabled TRUE): disable first (disableaccount), " +
	"then wait for AD to reach the Lync servers (up to 30 minutes); nothing deleted"

// adGate looks every user up in AD (batched OR-filter searches) and returns
// the users that must not be deleted: those still SIP-enabled (SPEC 6). A user
// absent from AD is not refused: its account is gone, its rtc data lingers.
func adGate(ctx context.Context, cfg adclient.Config, entries []input.Entry, log *runlog.Logger) (map[string]string, error) {
	c, err := adclient.Connect(ctx, cfg, log)
	if err != nil {
		return nil, result.Fatal(fmt.Errorf("Active Directory: %w", err))
	}
	defer c.Close()
	log.Infof("Checking %d users in Active Directory at %s", len(entries), c.URL())
	uris := make([]string, len(entries))
	for i, e := range entries {
		uris[i] = e.URI
	}
	found, err := c.FindBySIP(ctx, uris, []string{adclient.AttrUserEnabled})
	if err != nil {
		return nil, result.Fatal(fmt.Errorf("Active Directory search: %w", err))
	}
	refused := map[string]string{}
	for _, u := range uris {
		hits := found[u]
		if len(hits) == 0 {
			log.Debugf("%s not found in Active Directory", u)
		}
		for _, h := range hits {
			if strings.EqualFold(h.Value(adclient.AttrUserEnabled), "TRUE") {
				refused[strings.ToLower(u)] = gateReason
				log.Debugf("%s is still SIP-enabled (%s)", u, h.DN)
			}
		}
	}
	return refused, nil
}

// replicationRecheck is how often --wait-replication looks again at the
// users not yet replicated (SPEC 6.1: every 30 s); tests shorten it.
var replicationRecheck = 30 * time.Second

// waitingUser is a user not yet replicated to some servers: its parts so
// far, and its ResourceId on each server it waits for (by server index).
type waitingUser struct {
	e     input.Entry
	parts []result.Record
	ids   map[int]int64
}

// waitList is the users waiting for replication, safe for the workers.
type waitList struct {
	mu    sync.Mutex
	users []*waitingUser
}

func (w *waitList) add(u *waitingUser) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.users = append(w.users, u)
}

// waitReplication is --wait-replication: after the other users, it checks
// the waiting ones again every replicationRecheck, set-based per server,
// deletes those now replicated, and at the deadline (the wait's length
// after the other users are done) or on an interruption reports those
// still waiting as errors.
func (j *job) waitReplication(ctx context.Context) error {
	users := j.waiting.users
	if len(users) == 0 {
		return nil
	}
	deadline := time.Now().Add(j.cfg.WaitReplication)
	j.log.Infof("%d users are not yet replicated to every server: checking them every %s until %s (--wait-replication %s)",
		len(users), replicationRecheck, deadline.Format("15:04:05"), j.cfg.WaitReplication)
	report := func(u *waitingUser) {
		j.sess.Report(combine(result.Record{User: u.e.URI, Line: u.e.Line}, u.parts), u.parts...)
	}
	for len(users) > 0 {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		t := time.NewTimer(min(replicationRecheck, left))
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
		if ctx.Err() != nil {
			break
		}
		ready, err := j.replicatedNow(ctx, users)
		if err != nil {
			j.log.Warnf("Checking replication again: %v", err)
			continue
		}
		err = run.ForEach(ctx, ready, j.sess.Workers(), func(ctx context.Context, r readyPair) {
			u, k := r.u, r.server
			defer j.sess.Recover(result.Record{User: u.e.URI, Line: u.e.Line})
			s := j.servers[k]
			b := j.log.Block()
			b.Infof("User [%s] is now replicated to [%s]: proceeding to delete data", u.e.UserAtHost, s.name())
			j.waiting.mu.Lock()
			id := u.ids[k]
			j.waiting.mu.Unlock()
			rows, err := j.process(ctx, b, s, u.e, id, nil)
			p := j.outcome(ctx, b, s, result.Record{User: u.e.URI, Line: u.e.Line, Server: s.name()}, id, rows, err)
			b.Commit()
			j.waiting.mu.Lock()
			u.parts[k] = p.rec
			if !p.waiting {
				delete(u.ids, k)
			}
			j.waiting.mu.Unlock()
		})
		if err != nil {
			return err
		}
		if j.sess.Stopped() != nil {
			return nil
		}
		kept := users[:0]
		for _, u := range users {
			if len(u.ids) == 0 {
				report(u)
				continue
			}
			kept = append(kept, u)
		}
		users = kept
	}
	for _, u := range users {
		b := j.log.Block()
		for k := range u.ids {
			b.Errorf("%s on %s: %s", u.e.URI, j.servers[k].name(), u.parts[k].Detail)
		}
		b.Commit()
		report(u)
	}
	return nil
}

// readyPair is a waiting user now replicated to one server.
type readyPair struct {
	u      *waitingUser
	server int
}

// replicatedNow asks each server, set-based, which of its waiting users'
// ResourceDirectory rows still say enabled; the others are ready.
func (j *job) replicatedNow(ctx context.Context, users []*waitingUser) ([]readyPair, error) {
	var ready []readyPair
	for k, s := range j.servers {
		var ids []any
		for _, u := range users {
			if id, ok := u.ids[k]; ok {
				ids = append(ids, id)
			}
		}
		still := map[int64]bool{}
		for _, part := range adclient.Chunks(ids, rtcclient.MaxParams) {
			r, err := s.db.SQL.QueryContext(ctx, s.stmts.notReplicatedIn+" IN ("+rtcclient.Placeholders(1, len(part))+")", part...)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.name(), err)
			}
			for r.Next() {
				var id int64
				if err := r.Scan(&id); err != nil {
					r.Close()
					return nil, err
				}
				still[id] = true
			}
			r.Close()
			if err := r.Err(); err != nil {
				return nil, err
			}
		}
		for _, u := range users {
			if id, ok := u.ids[k]; ok && !still[id] {
				ready = append(ready, readyPair{u: u, server: k})
			}
		}
	}
	return ready, nil
}
