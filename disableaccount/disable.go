package disableaccount

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// lookupAttrs are read for each user: the log line and the disable list.
func (j *job) lookupAttrs() []string {
	return append([]string{adclient.AttrPrimaryUserAddress, adclient.AttrDisplayName}, attrNames(j.targets)...)
}

// lookupChunk is how many users one lookup search covers; the lookup of
// the next chunk runs while the current one is being changed.
const lookupChunk = adclient.FilterChunk

type lookup struct {
	found map[string][]adclient.Entry
	err   error
}

// disable works through the users a lookup chunk at a time; ctx is the
// session's (Ctrl-C, Stop): no chunk and no user is started after it ends.
func (j *job) disable(ctx context.Context, c *adclient.Client, entries []input.Entry) error {
	chunks := adclient.Chunks(entries, lookupChunk)
	attrs := j.lookupAttrs()
	fetch := func(chunk []input.Entry) <-chan lookup {
		ch := make(chan lookup, 1)
		go func() {
			uris := make([]string, len(chunk))
			for i, e := range chunk {
				uris[i] = e.URI
			}
			found, err := c.FindBySIP(ctx, uris, attrs)
			ch <- lookup{found, err}
		}()
		return ch
	}
	next := fetch(chunks[0])
	for i, chunk := range chunks {
		l := <-next
		if ctx.Err() != nil {
			break
		}
		if l.err != nil {
			return result.Fatal(fmt.Errorf("look up users in %s: %w", c.URL(), l.err))
		}
		if i+1 < len(chunks) {
			next = fetch(chunks[i+1])
		}
		err := run.ForEach(ctx, chunk, j.s.Workers(), func(ictx context.Context, e input.Entry) {
			j.disableOne(ictx, c, e, l.found[e.URI])
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (j *job) disableOne(ctx context.Context, c *adclient.Client, e input.Entry, hits []adclient.Entry) {
	rec := result.Record{User: e.URI, Line: e.Line}
	defer j.s.Recover(rec)
	b := j.log.Block()
	defer b.Commit()
	b.Infof("Preparing to Disable Communications Server Account for User [%s]", e.URI)
	b.Debugf("Searching for user [%s]", e.URI)
	rec.Outcome, rec.Detail, rec.Changes = j.disableUser(ctx, c, b, e, hits)
	j.s.Report(rec)
}

func (j *job) disableUser(ctx context.Context, c *adclient.Client, b *runlog.Block, e input.Entry, hits []adclient.Entry) (result.Outcome, string, []result.Change) {
	switch len(hits) {
	case 0:
		b.Infof("User [%s] not found in Active Directory", e.URI)
		return result.NotFound, "no user object has this msRTCSIP-PrimaryUserAddress", nil
	case 1:
	default:
		detail := fmt.Sprintf("%d user objects have this msRTCSIP-PrimaryUserAddress (%s); nothing changed", len(hits), dnList(hits))
		b.Errorf("User [%s]: %s", e.URI, detail)
		return result.Error, detail, nil
	}
	u := hits[0]
	b.Infof("Found user with PrimaryURI : %s, DisplayName : %s, Enabled : %s",
		u.Value(adclient.AttrPrimaryUserAddress), u.Value(adclient.AttrDisplayName), ciscoBool(u.Value(adclient.AttrUserEnabled)))
	b.Debugf("User object %s", u.DN)
	changes := plan(u, j.targets)
	if len(changes) == 0 {
		b.Infof("Nothing to change: the account is already disabled")
		return result.Skipped, "already disabled: nothing to change", nil
	}
	return j.change(ctx, c, b, e.URI, u.DN, changes, "disable")
}

// change writes one user's changes in one modify request, its prior values
// in the backup first (SPEC 3.6); in a dry run it only says what it would
// change. action is "disable" or "restore".
func (j *job) change(ctx context.Context, c *adclient.Client, b *runlog.Block, user, dn string, changes []result.Change, action string) (result.Outcome, string, []result.Change) {
	if j.cfg.DryRun {
		for _, ch := range changes {
			b.Infof("Would change %s", describe(ch))
		}
		return result.Processed, "would be " + action + "d (dry run)", changes
	}
	for _, ch := range changes {
		b.Debugf("Changing %s", describe(ch))
	}
	if j.bak != nil {
		if err := j.bak.Append(backupRecord(user, dn, changes)); err != nil {
			b.Errorf("User [%s]: %v; nothing changed", user, err)
			return result.Error, fmt.Sprintf("backup failed, nothing changed: %v", err), nil
		}
	}
	if err := c.Modify(ctx, dn, mods(changes)); err != nil {
		j.lost(err)
		detail := fmt.Sprintf("%s %s: %v", action, user, err)
		if errors.Is(err, adclient.ErrServerLost) {
			detail += "; the change may or may not have reached AD, and the backup holds the prior values"
		}
		b.Errorf("%s", detail)
		return result.Error, detail, nil
	}
	b.Debugf("Committed changes to the AD")
	b.Infof("User Account %sd", strings.ToUpper(action[:1])+action[1:]) // Disabled, Restored (Cisco's line)
	return result.Processed, "", changes
}

func dnList(es []adclient.Entry) string {
	dns := make([]string, len(es))
	for i, e := range es {
		dns[i] = e.DN
	}
	return strings.Join(dns, "; ")
}

// ciscoBool prints an AD Boolean as .NET did in Cisco's log: True / False.
// AD writes TRUE; a value set by another tool may come back in another case.
func ciscoBool(v string) string {
	if strings.EqualFold(v, "TRUE") {
		return "True"
	}
	return "False"
}
