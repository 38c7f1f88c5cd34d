package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// adAttrs are what verify reads of a user; the address searched on is
// always returned too.
var adAttrs = []string{adclient.AttrUserEnabled, adclient.AttrPrimaryHomeServer}

// connectAD binds to AD with the run's settings (the password redacted
// from the log, the pool sized for the workers). Without AD no state can be
// told: a failure is fatal (exit 3).
func connectAD(ctx context.Context, cfg adclient.Config, log *runlog.Logger) (*adclient.Client, error) {
	c, err := adclient.Connect(ctx, cfg, log)
	if err != nil {
		return nil, result.Fatal(fmt.Errorf("Active Directory: %w", err))
	}
	log.Infof("Connected to %s, base %s", c.URL(), c.Base())
	return c, nil
}

// readAD looks a batch up in AD, set-based: OR-filter searches of
// adclient.FilterChunk addresses on msRTCSIP-PrimaryUserAddress, then the
// same on proxyAddresses for the addresses no user holds as primary
// (address_lost). Read-only: searches only.
func readAD(ctx context.Context, c *adclient.Client, entries []input.Entry) ([]result.ADStatus, error) {
	uris := make([]string, len(entries))
	for i, e := range entries {
		uris[i] = e.URI
	}
	primary, err := c.FindBySIP(ctx, uris, adAttrs)
	if err != nil {
		return nil, fmt.Errorf("Active Directory search: %w", err)
	}
	var lost []string
	for _, u := range uris {
		if len(primary[u]) == 0 {
			lost = append(lost, u)
		}
	}
	var proxy map[string][]adclient.Entry
	if len(lost) > 0 {
		if proxy, err = c.FindByProxySIP(ctx, lost, adAttrs); err != nil {
			return nil, fmt.Errorf("Active Directory search: %w", err)
		}
	}
	out := make([]result.ADStatus, len(entries))
	for i, u := range uris {
		if hits := primary[u]; len(hits) > 0 {
			out[i] = adStatus(hits, adclient.AttrPrimaryUserAddress, u)
			out[i].Address = hits[0].Value(adclient.AttrPrimaryUserAddress)
		} else if hits := proxy[u]; len(hits) > 0 {
			out[i] = adStatus(hits, adclient.AttrProxyAddresses, u)
			out[i].ProxyAddress = valueFold(hits[0], adclient.AttrProxyAddresses, u)
		}
	}
	return out, nil
}

// adStatus sums up the users found for one address: the first one named,
// any of them enabled counted as enabled.
func adStatus(hits []adclient.Entry, attr, uri string) result.ADStatus {
	s := result.ADStatus{Found: true, DN: hits[0].DN, HomeServer: hits[0].Value(adclient.AttrPrimaryHomeServer)}
	for _, h := range hits {
		if strings.EqualFold(h.Value(adclient.AttrUserEnabled), "TRUE") {
			s.Enabled = true
			s.DN, s.HomeServer = h.DN, h.Value(adclient.AttrPrimaryHomeServer)
		}
	}
	if len(hits) > 1 {
		s.Users = len(hits)
	}
	return s
}

// valueFold is the value of attr that equals want in any case.
func valueFold(e adclient.Entry, attr, want string) string {
	for _, v := range e.Values(attr) {
		if strings.EqualFold(v, want) {
			return v
		}
	}
	return want
}
