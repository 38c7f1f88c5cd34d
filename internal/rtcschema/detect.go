package rtcschema

import "errors"

// Probe is one sysobjects probe of Cisco's version detection.
type Probe struct {
	Table string
	// SQL is the statement, a constant exactly as Cisco logged it
	// ("SQL is [...]"); no user input ever reaches it.
	SQL string
	// Found is Cisco's log line when the table exists ("" for none).
	Found string
}

// Probes are Cisco's probes in Cisco's order (SPEC 6, DeleteAccount log).
var Probes = []Probe{
	{Table: "Resource", SQL: "SELECT id FROM sysobjects WHERE name = 'Resource'",
		Found: "Found the Resource Table, appears to be a valid Communications Server Database"},
	{Table: "Endpoint", SQL: "SELECT id FROM sysobjects WHERE name = 'Endpoint'"},
	{Table: "Container", SQL: "SELECT id FROM sysobjects WHERE name = 'Container'"},
	{Table: "HomedResource", SQL: "SELECT id FROM sysobjects WHERE name = 'HomedResource'"},
	{Table: "CertificateStore", SQL: "SELECT id FROM sysobjects WHERE name = 'CertificateStore'",
		Found: "Found the CertificateStore table, dealing with a version of Lync."},
	{Table: "ForestDirectory", SQL: "SELECT id FROM sysobjects WHERE name = 'ForestDirectory'",
		Found: "Found the ForestDirectory table, Creating Lync2013 Connection"},
}

// ErrNotRTC means the database has no Resource table: it is not an rtc database.
var ErrNotRTC = errors.New("no Resource table: not a Communications Server (rtc) database")

// Decide is the decision table of SPEC 6 (reconstructed): no Resource → not
// rtc; ForestDirectory → Lync 2013 and later; CertificateStore → Lync 2010;
// otherwise OCS 2007 / R2. Endpoint, Container and HomedResource are probed
// and logged as Cisco did but decide nothing. found is keyed by Probe.Table.
func Decide(found map[string]bool) (Version, error) {
	switch {
	case !found["Resource"]:
		return "", ErrNotRTC
	case found["ForestDirectory"]:
		return Lync2013, nil
	case found["CertificateStore"]:
		return Lync2010, nil
	default:
		return OCS2007, nil
	}
}

// Conclusion is the log line that closes detection. Lync 2013's is Cisco's
// ForestDirectory line (already logged by its probe); the others are ours
// (reconstructed wording in Cisco's style).
func Conclusion(v Version) string {
	switch v {
	case Lync2010:
		return "No ForestDirectory table, Creating Lync2010 Connection"
	case OCS2007:
		return "No CertificateStore table, Creating OCS2007 Connection"
	}
	return ""
}
