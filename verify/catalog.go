package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// catalog is what verify needs to know of one server's tables.
type catalog struct {
	// owned are the tables that hold a user's own (homed) rows: every base
	// table with an owner-side user-key column (SPEC 6.1), the Resource
	// table excepted — its row stays after a delete, by design.
	owned []ownedTable
	// enabled: ResourceDirectory has the Enabled column that tells whether
	// the AD change has reached this pool.
	enabled bool
}

// ownedTable is a table with its owner-side user-key columns.
type ownedTable struct {
	name    string
	columns []string
}

// readCatalog checks what verify's statements name and discovers the
// user-keyed tables, as deleteaccount does (rtcclient.DiscoverUserTables).
func readCatalog(ctx context.Context, db *rtcclient.DB) (catalog, error) {
	cat, err := db.Check(ctx, needs)
	if err != nil {
		return catalog{}, err
	}
	tables, err := db.DiscoverUserTables(ctx, cat)
	if err != nil {
		return catalog{}, fmt.Errorf("%s: discover the user-keyed tables: %w", db.Server, err)
	}
	var out catalog
	if c, ok := cat.Column(rtcschema.ResourceDirectory.Enabled); ok && rtcschema.ResourceDirectory.Enabled.Family.Accepts(c.DataType) {
		out.enabled = true
	}
	for _, t := range tables.List { // sorted by name
		if len(t.Owner) == 0 || strings.EqualFold(t.Name, rtcschema.Resource.Name) {
			continue
		}
		out.owned = append(out.owned, ownedTable{name: t.Name, columns: t.Owner})
	}
	return out, nil
}
