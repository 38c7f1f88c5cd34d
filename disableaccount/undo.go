package disableaccount

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// undo applies a backup LDIF (SPEC 3.6): each record's replaces, after
// saving the current values to this run's own backup. A user already as in
// the backup is skipped, so a second --undo changes nothing.
func (j *job) undo(ctx context.Context) error {
	recs, err := readBackup(j.cfg.Undo)
	if err != nil {
		return result.Usage(err)
	}
	recs = j.dedupe(recs)
	users := make([]result.Record, len(recs))
	for i, r := range recs {
		users[i] = result.Record{User: r.User, Line: r.Line}
	}
	j.s.Expect(users)
	j.log.Infof("Restoring %d users from %s", len(recs), j.cfg.Undo)
	var todo []ldifRecord
	for _, r := range recs {
		if a, why := refusedAttr(r); a != "" {
			detail := fmt.Sprintf("%s line %d: the record changes %s, %s; nothing restored", j.cfg.Undo, r.Line, a, why)
			j.log.Errorf("%s: %s", r.User, detail)
			j.s.Report(result.Record{User: r.User, Line: r.Line, Outcome: result.Error, Detail: detail})
			continue
		}
		todo = append(todo, r)
	}
	if len(todo) == 0 {
		return nil
	}
	c, err := j.connect(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	return run.ForEach(ctx, todo, j.s.Workers(), func(ictx context.Context, r ldifRecord) {
		j.restoreOne(ictx, c, r)
	})
}

func readBackup(path string) ([]ldifRecord, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--undo: %w", err)
	}
	defer f.Close()
	recs, err := parseLDIF(f, path)
	if err != nil {
		return nil, fmt.Errorf("--undo: %w", err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("--undo %s: no records in it", path)
	}
	return recs, nil
}

// dedupe keeps the first record of each DN: it holds the oldest values.
func (j *job) dedupe(recs []ldifRecord) []ldifRecord {
	seen := map[string]int{}
	var out []ldifRecord
	dups := 0
	for _, r := range recs {
		k := strings.ToLower(r.DN)
		if first, ok := seen[k]; ok {
			j.log.Warnf("%s line %d: a second record for %s (first at line %d): ignored", j.cfg.Undo, r.Line, r.DN, first)
			dups++
			continue
		}
		seen[k] = r.Line
		out = append(out, r)
	}
	j.s.AddDuplicates(dups)
	return out
}

// refusedAttr is the first attribute of r that --undo must not write, and
// why: one that is never changed, or an OID, which could name one of them.
func refusedAttr(r ldifRecord) (attr, why string) {
	for _, m := range r.Mods {
		if !attrName.MatchString(m.Attr) {
			return m.Attr, "which is not an LDAP display name"
		}
		if _, ok := neverChanged[strings.ToLower(m.Attr)]; ok {
			return m.Attr, "which is never changed"
		}
	}
	return "", ""
}

func (j *job) restoreOne(ctx context.Context, c *adclient.Client, r ldifRecord) {
	rec := result.Record{User: r.User, Line: r.Line}
	defer j.s.Recover(rec)
	b := j.log.Block()
	defer b.Commit()
	b.Infof("Preparing to Restore Communications Server Account for User [%s] (%s)", r.User, r.DN)
	rec.Outcome, rec.Detail, rec.Changes = j.restoreUser(ctx, c, b, r)
	j.s.Report(rec)
}

func (j *job) restoreUser(ctx context.Context, c *adclient.Client, b *runlog.Block, r ldifRecord) (result.Outcome, string, []result.Change) {
	attrs := make([]string, len(r.Mods))
	for i, m := range r.Mods {
		attrs[i] = m.Attr
	}
	cur, err := c.Read(ctx, r.DN, attrs)
	if errors.Is(err, adclient.ErrNoSuchObject) {
		b.Infof("User [%s] not found in Active Directory: %s", r.User, r.DN)
		return result.NotFound, "the object of the backup record no longer exists", nil
	}
	if err != nil {
		j.lost(err)
		b.Errorf("User [%s]: %v", r.User, err)
		return result.Error, err.Error(), nil
	}
	var changes []result.Change
	for _, m := range r.Mods {
		if before := cur.Values(m.Attr); !sameValues(before, m.Values) {
			changes = append(changes, result.Change{Attribute: m.Attr, Before: before, After: m.Values})
		}
	}
	if len(changes) == 0 {
		b.Infof("Nothing to change: the account already has the values of the backup")
		return result.Skipped, "already as in the backup: nothing to change", nil
	}
	return j.change(ctx, c, b, r.User, r.DN, changes, "restore")
}
