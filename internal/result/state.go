package result

import "fmt"

// State is where one user stands in the migration, as `verify` finds it
// (SPEC 9). It says more than the Outcome: which step is left to do.
type State string

const (
	StateMigrated      State = "migrated"       // disabled in AD, address kept, no homed data on any server
	StateNotDisabled   State = "not_disabled"   // still msRTCSIP-UserEnabled TRUE in AD
	StateNotReplicated State = "not_replicated" // disabled in AD, a server's ResourceDirectory still says enabled
	StateNotDeleted    State = "not_deleted"    // homed data left on some servers
	StateAddressLost   State = "address_lost"   // msRTCSIP-PrimaryUserAddress gone, the address only in proxyAddresses
	StateNotFound      State = "not_found"      // neither in AD nor homed on any rtc server
)

// States lists every state in the order of SPEC 9's table: the order of the
// summary lines, the JSON summary and the report.
var States = []State{StateMigrated, StateNotDisabled, StateNotReplicated, StateNotDeleted, StateAddressLost, StateNotFound}

// Valid reports whether s is one of the six states.
func (s State) Valid() bool {
	for _, v := range States {
		if s == v {
			return true
		}
	}
	return false
}

// Outcome is the outcome of a user in state s (SPEC 9): processed when
// migrated, not_found when not found, an error for every state that leaves
// the administrator something to do.
func (s State) Outcome() Outcome {
	switch s {
	case StateMigrated:
		return Processed
	case StateNotFound:
		return NotFound
	}
	return Error
}

// ADStatus is what Active Directory says of a verified user.
type ADStatus struct {
	Found        bool   `json:"found"`                   // an AD user has the address (primary or, address_lost, in proxyAddresses)
	Enabled      bool   `json:"enabled"`                 // msRTCSIP-UserEnabled TRUE
	Address      string `json:"address"`                 // msRTCSIP-PrimaryUserAddress ("" when lost)
	HomeServer   string `json:"home_server"`             // msRTCSIP-PrimaryHomeServer ("" once disabled)
	DN           string `json:"dn,omitempty"`            // the user object
	ProxyAddress string `json:"proxy_address,omitempty"` // the proxyAddresses value naming the address, when found that way
	Users        int    `json:"users,omitempty"`         // AD users with the address, when more than one
}

// ServerStatus is what one rtc server says of a verified user.
type ServerStatus struct {
	Server     string           `json:"server"`
	ResourceID *int64           `json:"resource_id"` // null: no Resource row
	Replicated *bool            `json:"replicated"`  // false: ResourceDirectory.Enabled still says enabled; null: the server cannot tell
	HomedRows  map[string]int64 `json:"homed_rows"`  // table -> the user's own rows left (tables with none are left out)
	ListedBy   int64            `json:"listed_by"`   // other users with the user on their contact list
	Error      string           `json:"error,omitempty"`
}

// StateCounts is the number of users in each state: verify's part of the
// summary.
type StateCounts struct {
	Migrated      int `json:"migrated"`
	NotDisabled   int `json:"not_disabled"`
	NotReplicated int `json:"not_replicated"`
	NotDeleted    int `json:"not_deleted"`
	AddressLost   int `json:"address_lost"`
	NotFound      int `json:"not_found"`
}

// field is the counter of state s, nil for a value that is not a state.
func (c *StateCounts) field(s State) *int {
	switch s {
	case StateMigrated:
		return &c.Migrated
	case StateNotDisabled:
		return &c.NotDisabled
	case StateNotReplicated:
		return &c.NotReplicated
	case StateNotDeleted:
		return &c.NotDeleted
	case StateAddressLost:
		return &c.AddressLost
	case StateNotFound:
		return &c.NotFound
	}
	return nil
}

// Add counts one user in state s; anything else is ignored.
func (c *StateCounts) Add(s State) {
	if p := c.field(s); p != nil {
		*p++
	}
}

// Of is the number of users in state s.
func (c StateCounts) Of(s State) int {
	if p := c.field(s); p != nil {
		return *p
	}
	return 0
}

// lines are the summary lines of the state counts, in the order of States.
func (c StateCounts) lines() []string {
	out := make([]string, len(States))
	for i, s := range States {
		out[i] = fmt.Sprintf("%d users %s", c.Of(s), s)
	}
	return out
}
