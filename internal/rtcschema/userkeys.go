package rtcschema

import "strings"

// What the stored procedures of a plan really delete is not public (SPEC 6.1),
// so the delete does not trust a list of touched tables: it discovers, on each
// server, every base table with an integer column named as one of the user
// keys below, and measures inside each user's transaction which of the user's
// rows vanished. The names are the one list of SPEC 6.1, each with its grade.

// Side says whose row a user-key column makes it.
type Side int

const (
	// OwnerSide: the row is the user's own (their contact, their group,
	// their published presence). The delete removes these and backs them up.
	OwnerSide Side = iota + 1
	// OtherSide: the row is another user's and names this user (this user
	// on someone's contact list, in someone's container, as someone's
	// delegate). The delete must never remove these (SPEC 6 invariants).
	OtherSide
)

func (s Side) String() string {
	switch s {
	case OwnerSide:
		return "owner side"
	case OtherSide:
		return "other side"
	}
	return "unknown side"
}

// UserKey is a column name that holds a Resource.ResourceId wherever it
// appears (in any table with an integer column of that name).
type UserKey struct {
	Column   string
	Side     Side
	Evidence string // "confirmed: <public source>" or "reconstructed: <why>"
}

// UserKeys is the one list of user-key column names (SPEC 6.1).
var UserKeys = []UserKey{
	{"OwnerId", OwnerSide, "confirmed: Contact.OwnerId, ContactGroupAssoc.OwnerId (Get-CsUserContactList.ps1)"},
	{"ResourceId", OwnerSide, "confirmed: Resource.ResourceId, ResourceDirectory.ResourceId, ResourcePhone.ResourceId (Get-CsUserContactList.ps1, FindDeletedObjects.ps1)"},
	{"PublisherId", OwnerSide, "confirmed: PublishedStaticInstance.PublisherId (masteringlync.com, 2014-05-19)"},
	{"EnterpriseId", OwnerSide, "reconstructed: named after RtcpDeleteConferenceParticipantByEnterpriseId (Cisco's log)"},
	{"BuddyId", OtherSide, "confirmed: Contact.BuddyId joined to Resource.ResourceId (Get-CsUserContactList.ps1)"},
	{"MemberId", OtherSide, "reconstructed: container membership of another user's presence"},
	{"SubscriberId", OtherSide, "reconstructed: another user's prompted subscriber"},
	{"DelegateId", OtherSide, "reconstructed: another user's delegate"},
}

// UserKeySide returns the side of a user-key column name (case-insensitive,
// as the rtc collation compares names), or false for any other column.
func UserKeySide(column string) (Side, bool) {
	for _, k := range UserKeys {
		if strings.EqualFold(k.Column, column) {
			return k.Side, true
		}
	}
	return 0, false
}

// UserKeyColumns lists the names of one side, in the order above.
func UserKeyColumns(side Side) []string {
	var out []string
	for _, k := range UserKeys {
		if k.Side == side {
			out = append(out, k.Column)
		}
	}
	return out
}

// Replicated is the column that tells whether a user's AD change has
// reached this pool: where ResourceDirectory has it and it still says
// enabled (non-zero), the User Replicator has not seen the disable yet, and
// the delete refuses the user (SPEC 6.1). Whether the server has it is
// discovered, not assumed.
var Replicated = struct {
	Table, Key, Column, Evidence string
}{
	Table:    "ResourceDirectory",
	Key:      "ResourceId",
	Column:   "Enabled",
	Evidence: "confirmed column: ResourceDirectory.Enabled (\"New Lync Users Report\", Get-UserPrimaryFrontEnds.ps1); reconstructed meaning: it mirrors msRTCSIP-UserEnabled as the User Replicator last saw it",
}
