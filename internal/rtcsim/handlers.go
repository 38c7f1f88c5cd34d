package rtcsim

import (
	"database/sql"
	"errors"
	"fmt"
)

// The built-in procedure handlers. Their behaviour is reconstructed from
// SPEC 6 (Microsoft never published the rtc procedures): each deletes only
// the caller's own rows, the TOUCHES tables of its declaration keyed by its
// first argument, and never the Resource row nor other users' Contact rows
// that name the user as a buddy.

func (s *Server) registerBuiltinHandlers() {
	s.handlers["rtcpdeletehomedresourcetransaction"] = deleteHomedResource
	s.handlers["rtcdeleteresource"] = refuseDeleteResource
}

// refuseDeleteResource answers RtcDeleteResource (declared by the evidence
// schema): on a real server it removes the user from other users' contact
// lists too, so a product that calls it is wrong, loudly.
func refuseDeleteResource(c *ProcCall) (int32, error) {
	return 0, newError(ErrUserDefined, "rtcsim: %s deletes the user from other users' contact lists too; the product must never call it", c.Proc.Name)
}

// deleteTouched is the handler of every declared procedure without one of
// its own: delete the TOUCHES tables' rows keyed by the first argument.
func deleteTouched(c *ProcCall) (int32, error) {
	if len(c.Proc.Params) == 0 {
		return 0, nil
	}
	_, err := c.DeleteTouched(c.Arg(c.Proc.Params[0].Name))
	return 0, err
}

// statusNoResource is RtcpDeleteHomedResourceTransaction's return status
// for a ResourceId that is not in Resource (reconstructed).
const statusNoResource = 1

// deleteHomedResource is RtcpDeleteHomedResourceTransaction(@_ResourceId):
// the user's homed data goes, the Resource row stays.
func deleteHomedResource(c *ProcCall) (int32, error) {
	id := c.Arg(c.Proc.Params[0].Name)
	if id == nil {
		return statusNoResource, nil
	}
	var one int
	err := c.QueryRow(`SELECT 1 FROM "Resource" WHERE "ResourceId" = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return statusNoResource, nil
	}
	if err != nil {
		return 0, fmt.Errorf("look up resource %v: %w", id, err)
	}
	_, err = c.DeleteTouched(id)
	return 0, err
}
