package exportcontacts

import (
	"strings"
)

// contactList is the contact list of ONE owner, whatever the source (zip, DBImpExp XML,
// rtc database). Readers hand out a fresh value per owner: the receiver may keep it.
type contactList struct {
	Owner    string // user@domain, without "sip:"
	Groups   []contactGroup
	Contacts []contactEntry
	// Err is set when this owner's data could not be decoded (bad base64, a group number
	// that is not a number…). Groups and Contacts are then empty: the owner is an `error`
	// outcome, and the rest of the file is still read.
	Err error
}

// contactGroup is one contact group of the owner. ExternalURI is set for distribution-group
// entries, which have no members of their own on the list.
type contactGroup struct {
	Number      int
	Name        string // "~" is Lync's built-in default group
	ExternalURI string
	// Undecodable: the stored name is not text (Name shows its bytes in hex);
	// rows in this group are rejected with this reason.
	Undecodable string
}

// contactEntry is one entry of the owner's list; Groups holds group Numbers.
type contactEntry struct {
	Buddy    string // as stored; may carry a "sip:" prefix in any case
	Nickname string
	Groups   []int
	// Undecodable: the stored nickname is not text (Nickname shows its bytes
	// in hex); the contact's rows are rejected with this reason.
	Undecodable string
}

// batRow is one line of ExportedContacts<ts>.csv (SPEC 4).
type batRow struct {
	UserID, UserDomain       string
	ContactID, ContactDomain string
	Nickname, GroupName      string
	State                    string // "0" with --state-column, else empty

	undecodable string // why a name of the row could not be read as text: checkRow rejects it
}

// DefaultGroupName is the --default-group default.
const DefaultGroupName = "General"

// lyncDefaultGroup is the display name of Lync's built-in group (base64 "fg==").
const lyncDefaultGroup = "~"

// mapOptions are the flags that shape the rows.
type mapOptions struct {
	DefaultGroup string // "" means DefaultGroupName
	StateColumn  bool
	// Debug adds the per-group and per-contact trace events (Cisco's "Found contact: …"
	// lines). Leave it off below --log-level debug: formatting them costs a third of the
	// mapping time of a large export.
	Debug bool
}

// userLog is where the mapping writes its lines about one user: the user's
// *runlog.Block, with the log's levels and wording.
type userLog interface {
	Errorf(format string, args ...any)
	Warnf(format string, args ...any)
	Debugf(format string, args ...any)
}

// ownerAddress is an owner as the outputs write it: user@host, without the
// white space around it or a sip: prefix.
func ownerAddress(owner string) string { return stripSIP(strings.TrimSpace(owner)) }

// ownerKey is how owners compare: user@host, case-insensitive.
func ownerKey(owner string) string { return strings.ToLower(ownerAddress(owner)) }

// stripSIP removes a "sip:" scheme prefix in any case.
func stripSIP(s string) string {
	if len(s) >= 4 && strings.EqualFold(s[:4], "sip:") {
		return s[4:]
	}
	return s
}

// splitAddress splits user@domain at the LAST "@" (BAT: "bjones@usa@example.com" is the
// ID "bjones@usa" in "example.com"). Without "@" the domain is empty, and the BAT rules
// then reject the row.
func splitAddress(addr string) (id, domain string) {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return addr, ""
	}
	return addr[:i], addr[i+1:]
}

// mapRows turns one contact list into BAT rows, following SPEC 4: one row per (contact,
// group); self-contacts dropped; no group, the "~" group, an unknown group number or a
// distribution group → the default group; distribution groups themselves not exported;
// duplicates collapsed. The rows are NOT checked against the BAT rules (see checkRow).
// Rows keep the order of the list, then of each contact's Groups.
func mapRows(cl *contactList, opts mapOptions, log userLog) []batRow {
	owner := ownerAddress(cl.Owner)
	if cl.Err != nil {
		log.Errorf("Contact list of sip:%s could not be read: %v", owner, cl.Err)
		return nil
	}
	def := opts.DefaultGroup
	if def == "" {
		def = DefaultGroupName
	}
	state := ""
	if opts.StateColumn {
		state = "0"
	}
	uid, udom := splitAddress(owner)

	trace := func(format string, a ...any) {
		if opts.Debug {
			log.Debugf(format, a...)
		}
	}
	groups := make(map[int]contactGroup, len(cl.Groups))
	for _, g := range cl.Groups {
		if _, dup := groups[g.Number]; dup {
			log.Warnf("Group [%s] with GroupId: [%d] of sip:%s ignored: GroupId used twice", g.Name, g.Number, owner)
			continue
		}
		groups[g.Number] = g
		trace("Found group: groupName : [%s] with GroupId: [%d]", g.Name, g.Number)
		if g.ExternalURI != "" {
			log.Warnf("Distribution group [%s] (%s) with GroupId: [%d] of sip:%s not exported: IM and Presence contact lists cannot hold distribution groups",
				g.Name, g.ExternalURI, g.Number, owner)
		}
	}

	rows := make([]batRow, 0, len(cl.Contacts))
	seen := make(map[string]struct{}, len(cl.Contacts))
	for _, c := range cl.Contacts {
		buddy := stripSIP(strings.TrimSpace(c.Buddy))
		if opts.Debug {
			if len(c.Groups) == 0 {
				trace("Found contact: SIPURI : [sip:%s] with GroupId: []", buddy)
			}
			for _, n := range c.Groups {
				trace("Found contact: SIPURI : [sip:%s] with GroupId: [%d]", buddy, n)
			}
		}
		if strings.EqualFold(buddy, owner) {
			trace("Skipped contact: SIPURI : [sip:%s] is the owner", buddy)
			continue
		}
		cid, cdom := splitAddress(buddy)
		names, bad := groupNames(c, groups, def, buddy, log)
		for i, name := range names {
			// Contact addresses are case-insensitive; group names are not.
			key := strings.ToLower(buddy) + "\x00" + name
			if _, dup := seen[key]; dup {
				trace("Duplicate contact: SIPURI : [sip:%s] in group [%s] collapsed", buddy, name)
				continue
			}
			seen[key] = struct{}{}
			rows = append(rows, batRow{
				UserID: uid, UserDomain: udom,
				ContactID: cid, ContactDomain: cdom,
				Nickname: c.Nickname, GroupName: name,
				State:       state,
				undecodable: undecodable(c, bad[i]),
			})
		}
	}
	return rows
}

// groupNames resolves a contact's group numbers to the BAT group names, one per
// number, with why a group's stored name could not be read ("" when it could).
func groupNames(c contactEntry, groups map[int]contactGroup, def, buddy string, log userLog) (names, bad []string) {
	if len(c.Groups) == 0 {
		return []string{def}, []string{""}
	}
	names = make([]string, 0, len(c.Groups))
	bad = make([]string, len(c.Groups))
	for i, n := range c.Groups {
		g, ok := groups[n]
		switch {
		case !ok:
			log.Warnf("Contact sip:%s is in GroupId: [%d], which does not exist: exported to group [%s]", buddy, n, def)
			names = append(names, def)
		case g.ExternalURI != "":
			log.Warnf("Contact sip:%s is in distribution group [%s] with GroupId: [%d]: exported to group [%s]", buddy, g.Name, n, def)
			names = append(names, def)
		case g.Undecodable != "":
			names, bad[i] = append(names, g.Name), g.Undecodable
		case g.Name == lyncDefaultGroup:
			names = append(names, def)
		case strings.TrimSpace(g.Name) == "":
			log.Warnf("Contact sip:%s is in GroupId: [%d], which has no name: exported to group [%s]", buddy, n, def)
			names = append(names, def)
		default:
			names = append(names, g.Name)
		}
	}
	return names, bad
}

// undecodable is the reason a row carries a name that is not text.
func undecodable(c contactEntry, group string) string {
	var why []string
	if c.Undecodable != "" {
		why = append(why, "Nickname "+c.Undecodable)
	}
	if group != "" {
		why = append(why, "Group Name "+group)
	}
	return strings.Join(why, "; ")
}
