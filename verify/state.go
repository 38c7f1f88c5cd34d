package verify

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// decide gives a user exactly one state from what AD and the servers say
// (SPEC 9). The order of the checks is the order in which the migration's
// steps must be redone, so that the state names the first thing to do:
//
//  1. not_disabled: still msRTCSIP-UserEnabled TRUE in AD, whatever the
//     pools say (nothing else can be fixed before the disable).
//  2. address_lost: no AD user has the address as
//     msRTCSIP-PrimaryUserAddress but one has it in proxyAddresses: IM and
//     Presence and the Lync address book need it back before anything else
//     is worth checking.
//  3. not_replicated: a server's ResourceDirectory.Enabled still says
//     enabled: deleteaccount would refuse the user there (SPEC 6.1), so
//     waiting comes before deleting.
//  4. not_deleted: homed rows left on some servers.
//  5. migrated: found in AD by its address, and none of the above.
//  6. not_found: in neither AD nor any rtc database as a homed user (a
//     Resource row alone is not a user: every contact, federated ones
//     included, has one, and it stays after a delete by design).
//
// Servers that could not be read say nothing; the caller qualifies a state
// that claims something of every server (see outcomeFor).
func decide(ad result.ADStatus, servers []result.ServerStatus) (result.State, string) {
	inAD := ad.Found && ad.Address != ""
	switch {
	case inAD && ad.Enabled:
		return result.StateNotDisabled, "still SIP-enabled in Active Directory (msRTCSIP-UserEnabled TRUE)" + twins(ad) + ": run disableaccount"
	case ad.Found && ad.Address == "":
		return result.StateAddressLost, fmt.Sprintf("no AD user has this address in msRTCSIP-PrimaryUserAddress, but %s has %s in proxyAddresses: "+
			"restore msRTCSIP-PrimaryUserAddress (IM and Presence and the Lync address book need it)", ad.DN, ad.ProxyAddress)
	}
	var enabled, homed []string
	for _, s := range servers {
		if s.Replicated != nil && !*s.Replicated {
			enabled = append(enabled, s.Server)
		}
		if len(s.HomedRows) > 0 {
			homed = append(homed, s.Server+" ("+rowSummary(s.HomedRows)+")")
		}
	}
	who := "disabled in Active Directory"
	if !inAD {
		who = "no AD user has this address"
	}
	switch {
	case len(enabled) > 0:
		return result.StateNotReplicated, fmt.Sprintf("%s, but ResourceDirectory on %s still says enabled: "+
			"wait for AD to reach the Lync servers (up to 30 minutes), then run verify again", who, strings.Join(enabled, ", "))
	case len(homed) > 0:
		return result.StateNotDeleted, fmt.Sprintf("%s; homed data left on %s: run deleteaccount there", who, strings.Join(homed, ", "))
	case inAD:
		d := fmt.Sprintf("disabled in Active Directory%s, address kept, no homed data on %s", twins(ad), serverCount(servers))
		if ad.HomeServer != "" {
			d += "; msRTCSIP-PrimaryHomeServer is still set"
		}
		if n := listedBy(servers); n > 0 {
			d += "; on the contact lists of " + users(n) + " still on Lync (kept on purpose)"
		}
		return result.StateMigrated, d
	}
	d := "not in Active Directory and not homed on any rtc server: check the input"
	if n := listedBy(servers); n > 0 {
		d += " (the address is on the contact lists of " + users(n) + ")"
	}
	return result.StateNotFound, d
}

// outcomeFor is the SPEC 9 outcome of a user in state s, and its detail: the
// state's name first. A state that claims something of every server
// (migrated, not_found) is not proven while a server could not be read: a
// migrated user is then an error, and both say which server is missing.
func outcomeFor(s result.State, detail string, servers []result.ServerStatus) (result.Outcome, string) {
	o := s.Outcome()
	var unread []string
	for _, sv := range servers {
		if sv.Error != "" {
			unread = append(unread, sv.Server)
		}
	}
	if len(unread) > 0 && (s == result.StateMigrated || s == result.StateNotFound) {
		detail += "; not proven: " + strings.Join(unread, ", ") + " could not be read"
		if s == result.StateMigrated {
			o = result.Error
		}
	}
	return o, string(s) + ": " + detail
}

// twins notes more than one AD user with the address: Lync itself refuses
// such users; the state counts any of them enabled as enabled.
func twins(ad result.ADStatus) string {
	if ad.Users > 1 {
		return fmt.Sprintf(" (%d AD users have this address)", ad.Users)
	}
	return ""
}

// rowList is "Contact 3, ContactGroup 1", tables in name order.
func rowList(rows map[string]int64) string {
	names := make([]string, 0, len(rows))
	for t := range rows {
		names = append(names, t)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, t := range names {
		parts[i] = fmt.Sprintf("%s %d", t, rows[t])
	}
	return strings.Join(parts, ", ")
}

// rowSummary names the tables of a few rows ("Contact 3, ContactGroup 1");
// more than four tables are counted ("31 rows in 15 tables"): --json and
// the log at debug level have every table.
func rowSummary(rows map[string]int64) string {
	if len(rows) <= 4 {
		return rowList(rows)
	}
	var n int64
	for _, v := range rows {
		n += v
	}
	return fmt.Sprintf("%d rows in %d tables", n, len(rows))
}

// serverCount is "1 server" or "3 servers", counting those read.
func serverCount(servers []result.ServerStatus) string {
	n := 0
	for _, s := range servers {
		if s.Error == "" {
			n++
		}
	}
	if n == 1 {
		return "1 server"
	}
	return fmt.Sprintf("%d servers", n)
}

// listedBy is the most users listing the user on any one server: servers
// may hold copies of the same lists (a back end and its front ends'
// rtclocal), so a sum could count people twice.
func listedBy(servers []result.ServerStatus) int64 {
	var n int64
	for _, s := range servers {
		n = max(n, s.ListedBy)
	}
	return n
}

// users is "1 user" or "3 users".
func users(n int64) string {
	if n == 1 {
		return "1 user"
	}
	return fmt.Sprintf("%d users", n)
}

// action is SPEC 9's "what the admin does", for the report.
var action = map[result.State]string{
	result.StateMigrated:      "Nothing.",
	result.StateNotDisabled:   "Run disableaccount for these users, then let AD reach the Lync servers (up to 30 minutes).",
	result.StateNotReplicated: "Wait for AD to reach the Lync servers (up to 30 minutes), then run verify again.",
	result.StateNotDeleted:    "Run deleteaccount on the servers named.",
	result.StateAddressLost:   "Restore msRTCSIP-PrimaryUserAddress in AD: IM and Presence and the Lync address book need it.",
	result.StateNotFound:      "Check the input: the address is in neither AD nor any rtc database (a typo?).",
}

// title names each state for a person.
var title = map[result.State]string{
	result.StateMigrated:      "Migrated",
	result.StateNotDisabled:   "Not disabled in AD",
	result.StateNotReplicated: "Not replicated yet",
	result.StateNotDeleted:    "Homed data left",
	result.StateAddressLost:   "SIP address lost",
	result.StateNotFound:      "Not found",
}
