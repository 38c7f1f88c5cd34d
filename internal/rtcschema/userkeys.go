package rtcschema

import "strings"

// Side says whose row a user-key column makes it.
type Side int

const (
	// OwnerSide: the row is the user's own (its contact list, its presence,
	// its policies): the delete removes it.
	OwnerSide Side = iota + 1
	// OtherSide: the row names the user but belongs to another user (a
	// contact, a membership, a subscription): it must survive the delete.
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

// UserKey is a column name that, with an integer type, holds a user's
// ResourceId in whatever table has it (SPEC 6.1): the delete discovers the
// user-keyed tables of a server from this one list.
type UserKey struct {
	Name string
	Side Side
	Fact Fact
}

// UserKeys is that list.
var UserKeys = []UserKey{
	{Name: "OwnerId", Side: OwnerSide, Fact: confirmed(srcContactList + ": Contact.OwnerId")},
	{Name: "ResourceId", Side: OwnerSide, Fact: confirmed(srcContactList + ": Resource.ResourceId; " + srcUserReports)},
	{Name: "PublisherId", Side: OwnerSide, Fact: confirmed(srcPresence + ": PublishedStaticInstance.PublisherId")},
	{Name: "EnterpriseId", Side: OwnerSide, Fact: reconstructed("from the procedure name RtcpDeleteConferenceParticipantByEnterpriseId")},
	{Name: "BuddyId", Side: OtherSide, Fact: confirmed(srcContactList + ": Contact.BuddyId = Resource.ResourceId")},
	{Name: "MemberId", Side: OtherSide, Fact: reconstructed("a container member, by analogy with BuddyId")},
	{Name: "SubscriberId", Side: OtherSide, Fact: reconstructed("a subscriber, by analogy with BuddyId")},
	{Name: "DelegateId", Side: OtherSide, Fact: reconstructed("a delegate, by analogy with BuddyId")},
}

// UserKeyOf returns the user key a column name is (case-insensitive, as the
// rtc collation compares names).
func UserKeyOf(column string) (UserKey, bool) {
	for _, k := range UserKeys {
		if strings.EqualFold(k.Name, column) {
			return k, true
		}
	}
	return UserKey{}, false
}
