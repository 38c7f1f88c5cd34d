package rtcclient

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// Detect finds the schema version by probing sysobjects in Cisco's order,
// logging each probe as Cisco did, and records it in d.Version. A database
// without the Resource table is not an rtc database (rtcschema.ErrNotRTC).
func (d *DB) Detect(ctx context.Context, log Logger) (rtcschema.Version, error) {
	found := map[string]bool{}
	for _, p := range rtcschema.Probes {
		log.Debugf("SQL is [%s]", p.SQL)
		var id int64
		err := d.SQL.QueryRowContext(ctx, p.SQL).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			log.Debugf("No result")
		case err != nil:
			return "", fmt.Errorf("%s: probe %s: %w", d.Server, p.Table, err)
		default:
			found[p.Table] = true
			log.Debugf("Found id [%d]", id)
			if p.Found != "" {
				log.Infof("%s", p.Found)
			}
		}
		if p.Table == "Resource" && !found[p.Table] {
			break // Cisco stopped here too: nothing else matters
		}
	}
	v, err := rtcschema.Decide(found)
	if err != nil {
		return "", fmt.Errorf("%s database %s: %w", d.Server, d.Database, err)
	}
	if c := rtcschema.Conclusion(v); c != "" {
		log.Infof("%s", c)
	}
	d.Version = v
	return v, nil
}
