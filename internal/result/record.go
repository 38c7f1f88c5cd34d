package result

import "encoding/json"

// Change is one attribute changed by disableaccount (before → after).
type Change struct {
	Attribute string   `json:"attribute"`
	Before    []string `json:"before"`
	After     []string `json:"after"`
}

// Record is the one --json object per user; deleteaccount also writes one
// per (user, server) pair, with Server set. It is the only Go type of those
// objects: add command fields here, never a second type.
type Record struct {
	User     string           `json:"user"`
	Outcome  Outcome          `json:"outcome"`
	State    State            `json:"state,omitempty"` // verify
	Detail   string           `json:"detail,omitempty"`
	DryRun   bool             `json:"dry_run"`
	Line     int              `json:"line,omitempty"`
	Server   string           `json:"server,omitempty"`   // deleteaccount
	Rows     map[string]int64 `json:"rows,omitempty"`     // deleteaccount: table -> rows
	Changes  []Change         `json:"changes,omitempty"`  // disableaccount
	Contacts *int             `json:"contacts,omitempty"` // exportcontacts: exported contact rows
	AD       *ADStatus        `json:"ad,omitempty"`       // verify
	Servers  []ServerStatus   `json:"servers,omitempty"`  // verify: one per --sql-server, in the order given
}

// MarshalJSON writes before and after as arrays, [] rather than null: an
// attribute removed has "after": [].
func (c Change) MarshalJSON() ([]byte, error) {
	type plain Change
	p := plain(c)
	if p.Before == nil {
		p.Before = []string{}
	}
	if p.After == nil {
		p.After = []string{}
	}
	return json.Marshal(p)
}
