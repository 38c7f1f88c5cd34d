package adclient

import (
	"context"
	"fmt"

	"github.com/go-ldap/ldap/v3"
)

// ModOp is the kind of one attribute change.
type ModOp int

const (
	// Replace sets the attribute to Values; with no values it removes the
	// attribute, and succeeds when it is already absent — which is what makes
	// a change safe to apply twice.
	Replace ModOp = iota
	Add
	Delete
)

// Mod is one attribute change of a modify request.
type Mod struct {
	Op     ModOp
	Attr   string
	Values []string
}

// permissiveModify (AD's LDAP_SERVER_PERMISSIVE_MODIFY_OID) makes adding a
// value that exists or deleting one that is absent succeed, so that a modify
// repeated after a redial does not fail.
var permissiveModify = ldap.NewControlString(ldap.ControlTypeMicrosoftPermissiveModify, false, "")

// Modify sends the changes for one object as ONE modify request: AD applies
// it whole or not at all, so a user is never left half changed.
func (c *Client) Modify(ctx context.Context, dn string, mods []Mod) error {
	if len(mods) == 0 {
		return nil
	}
	req := ldap.NewModifyRequest(dn, []ldap.Control{permissiveModify})
	for _, m := range mods {
		switch m.Op {
		case Replace:
			req.Replace(m.Attr, m.Values)
		case Add:
			req.Add(m.Attr, m.Values)
		case Delete:
			req.Delete(m.Attr, m.Values)
		default:
			return fmt.Errorf("modify %s: unknown operation %d on %s", dn, m.Op, m.Attr)
		}
	}
	if err := c.do(ctx, func(conn *ldap.Conn) error { return conn.Modify(req) }); err != nil {
		return fmt.Errorf("modify %s: %w", dn, err)
	}
	return nil
}
