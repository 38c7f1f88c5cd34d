package deleteaccount

import (
	"context"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
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
