package exportcontacts

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// adAttrs are the attributes the export reads of a user object.
var adAttrs = []string{adclient.AttrPrimaryUserAddress, adclient.AttrUserEnabled, adclient.AttrUserAccountControl}

// Details of the outcomes decided in Active Directory.
const (
	detailNotInAD      = "no user object has this msRTCSIP-PrimaryUserAddress in Active Directory"
	detailDisabled     = "the Active Directory account is disabled (userAccountControl ACCOUNTDISABLE): not exported"
	detailNotSIPEnable = "not SIP-enabled in Active Directory (msRTCSIP-UserEnabled is not TRUE): not exported"
)

// adVerdict decides a user from its AD lookup: Processed means "go on and read the
// contacts"; anything else is the user's outcome, with why.
func adVerdict(hits []adclient.Entry) (result.Outcome, string) {
	switch len(hits) {
	case 0:
		return result.NotFound, detailNotInAD
	case 1:
	default:
		dns := make([]string, len(hits))
		for i, h := range hits {
			dns[i] = h.DN
		}
		return result.Error, fmt.Sprintf("%d user objects have this msRTCSIP-PrimaryUserAddress (%s): fix the directory first",
			len(hits), strings.Join(dns, "; "))
	}
	u := hits[0]
	switch {
	case adclient.AccountDisabled(u):
		return result.Skipped, detailDisabled
	case !strings.EqualFold(u.Value(adclient.AttrUserEnabled), "TRUE"):
		return result.Skipped, detailNotSIPEnable
	}
	return result.Processed, ""
}

// sipOf is a user object's SIP URI with the scheme in lower case, "" if it has none.
func sipOf(e adclient.Entry) string {
	v := strings.TrimSpace(e.Value(adclient.AttrPrimaryUserAddress))
	if v == "" {
		return ""
	}
	return "sip:" + stripSIP(v)
}

// resolve turns the input entries into the owners to export, in input order (the
// users of a DN: line where that line is). With Active Directory, SIP lines are
// looked up in batches and DN: lines expanded (subtree, paged); users that are not
// found, disabled or not SIP-enabled are reported here. Without it, the SIP lines
// are taken as they are.
func (j *job) resolve(ctx context.Context, list *input.List) ([]target, error) {
	var found map[string][]adclient.Entry
	if j.ad != nil {
		var uris []string
		for _, e := range list.Entries {
			if e.Kind != input.KindDN {
				uris = append(uris, e.URI)
			}
		}
		if len(uris) > 0 {
			j.log.Debugf("Looking up %d users in Active Directory (%d per search)", len(uris), adclient.FilterChunk)
			var err error
			if found, err = j.ad.FindBySIP(ctx, uris, adAttrs); err != nil {
				return nil, j.adError(ctx, err)
			}
		}
	}
	out := make([]target, 0, len(list.Entries))
	for _, e := range list.Entries {
		if e.Kind == input.KindDN {
			ts, err := j.expandDN(ctx, e)
			if err != nil {
				return nil, err
			}
			out = append(out, ts...)
			continue
		}
		t := target{uri: e.URI, line: e.Line}
		if j.ad != nil {
			if o, why := adVerdict(found[e.URI]); o != result.Processed {
				j.report(t, o, why)
				continue
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// expandDN lists the SIP-enabled users under a DN: line. Each one is Expected as it
// is found; an AD-disabled account is skipped with the reason (SPEC 3.2); a user
// already met (a SIP line, another OU) is a duplicate.
func (j *job) expandDN(ctx context.Context, e input.Entry) ([]target, error) {
	j.log.Infof("Searching the SIP-enabled users under [%s] (line %d)", e.DN, e.Line)
	var out []target
	n := 0
	via := fmt.Sprintf("DN: line %d", e.Line)
	err := j.ad.SIPUsersUnder(ctx, e.DN, adAttrs, func(u adclient.Entry) error {
		uri := sipOf(u)
		if uri == "" {
			return nil // the filter asked for enabled users: an address is expected, but not ours to fix
		}
		n++
		if j.duplicate(uri, via) {
			return nil
		}
		t := target{uri: uri, line: e.Line}
		j.sess.Expect([]result.Record{t.record()})
		if o, why := adVerdict([]adclient.Entry{u}); o != result.Processed {
			j.report(t, o, why)
			return nil
		}
		out = append(out, t)
		return nil
	})
	if err != nil {
		if errors.Is(err, adclient.ErrNoSuchObject) {
			rec := result.Record{User: "DN:" + e.DN, Line: e.Line, Outcome: result.Error,
				Detail: "no such object in Active Directory: check the DN"}
			j.sess.Expect([]result.Record{rec})
			j.log.Errorf("DN:%s (line %d): %s", e.DN, e.Line, rec.Detail)
			j.sess.Report(rec)
			return out, nil
		}
		return nil, j.adError(ctx, err)
	}
	j.log.Infof("Found %d SIP-enabled users under [%s]", n, e.DN)
	if n == 0 {
		j.log.Warnf("No SIP-enabled user under [%s] (line %d)", e.DN, e.Line)
	}
	return out, nil
}

// adError makes a directory failure fatal, unless the run was interrupted.
func (j *job) adError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return result.Fatal(fmt.Errorf("Active Directory %s: %w", j.ad.URL(), err))
}

// lookupAD checks a batch of owners found in an export file (-f ALL offline with
// --ldap-server): the verdict of each, keyed by target.key().
func (j *job) lookupAD(ctx context.Context, ts []target) (map[string][]adclient.Entry, error) {
	uris := make([]string, len(ts))
	for i, t := range ts {
		uris[i] = t.uri
	}
	found, err := j.ad.FindBySIP(ctx, uris, adAttrs)
	if err != nil {
		return nil, j.adError(ctx, err)
	}
	return found, nil
}
