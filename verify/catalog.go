package verify

import (
	"context"
	"fmt"
	"sort"
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

// readCatalog discovers the user-keyed tables of a server.
//
// STAND-IN: deleteaccount's discovery of the user-keyed tables (issue 11,
// rtcclient's DiscoverUserTables) is to be the one reader of them; until it
// is on main, this function reads INFORMATION_SCHEMA itself, with
// rtcschema's one list of user keys (rtcschema.UserKeys). Switching is this
// one function.
func readCatalog(ctx context.Context, db *rtcclient.DB) (catalog, error) {
	const q = "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS c " +
		"JOIN INFORMATION_SCHEMA.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME " +
		"WHERE c.TABLE_SCHEMA = @p1 AND t.TABLE_TYPE = @p2 ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION"
	rows, err := db.SQL.QueryContext(ctx, q, "dbo", "BASE TABLE")
	if err != nil {
		return catalog{}, fmt.Errorf("%s: discover the user-keyed tables: %w", db.Server, err)
	}
	defer rows.Close()
	var cat catalog
	byTable := map[string]*ownedTable{}
	for rows.Next() {
		var table, column, dataType string
		if err := rows.Scan(&table, &column, &dataType); err != nil {
			return catalog{}, fmt.Errorf("%s: discover the user-keyed tables: %w", db.Server, err)
		}
		if strings.EqualFold(table, rtcschema.ResourceDirectory.Name) && strings.EqualFold(column, rtcschema.ResourceDirectory.Enabled.Name) &&
			rtcschema.ResourceDirectory.Enabled.Family.Accepts(dataType) {
			cat.enabled = true
		}
		key, isKey := rtcschema.UserKeyOf(column)
		if !isKey || key.Side != rtcschema.OwnerSide || !rtcschema.Integer.Accepts(dataType) || strings.EqualFold(table, rtcschema.Resource.Name) {
			continue
		}
		t := byTable[strings.ToLower(table)]
		if t == nil {
			t = &ownedTable{name: table}
			byTable[strings.ToLower(table)] = t
		}
		t.columns = append(t.columns, column)
	}
	if err := rows.Err(); err != nil {
		return catalog{}, fmt.Errorf("%s: discover the user-keyed tables: %w", db.Server, err)
	}
	for _, t := range byTable {
		cat.owned = append(cat.owned, *t)
	}
	sort.Slice(cat.owned, func(i, j int) bool { return strings.ToLower(cat.owned[i].name) < strings.ToLower(cat.owned[j].name) })
	return cat, nil
}
