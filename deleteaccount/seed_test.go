package deleteaccount

import (
	"fmt"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
)

// The test population. Every row the seed writes is owned by one user: the
// test's own notion of "a user's data", independent of the product's plan.
// Deleting a user must remove exactly the rows it owns (Resource excepted)
// and nothing else.

// ownerKeys are the SPEC 6.1 names of the columns that make a row a user's
// own (the test's own copy of the list): a row is a user's when one of them
// holds the user's ResourceId, in any table but Resource.
var ownerKeys = []string{"OwnerId", "ResourceId", "PublisherId", "EnterpriseId"}

// ownedBy reports whether a dumped row of table is the user's own.
func ownedBy(table string, r rtcsim.Row, id int64) bool {
	if table == "Resource" {
		return false
	}
	for _, k := range ownerKeys {
		if v, ok := r[k].(int64); ok && v == id {
			return true
		}
	}
	return false
}

// seedUser is one user of the population.
type seedUser struct {
	id      int
	address string // UserAtHost as stored
	bare    bool   // only the Resource row: found, nothing left to delete
}

// population: user01…user08 with data; User07 stored in mixed case; user09
// has only its Resource row.
func population() []seedUser {
	var us []seedUser
	for i := 1; i <= 9; i++ {
		u := seedUser{id: 1000 + i, address: fmt.Sprintf("user%02d@lynctest.local", i)}
		if i == 7 {
			u.address = "User07@LyncTest.local"
		}
		u.bare = i == 9
		us = append(us, u)
	}
	return us
}

// seedSQL writes the population's INSERTs for a version: every table of the
// plans, plus HomedResource (Lync 2010, OCS) and Endpoint (OCS). Rows point
// at other users (buddies, members, delegates, subscribers) so that the
// invariants have something to protect.
func seedSQL(v rtcschema.Version, users []seedUser) string {
	var b strings.Builder
	withData := []seedUser{}
	for _, u := range users {
		fmt.Fprintf(&b, "INSERT INTO dbo.Resource (ResourceId, UserAtHost) VALUES (%d, N'%s');\n", u.id, u.address)
		if !u.bare {
			withData = append(withData, u)
		}
	}
	n := len(withData)
	for i, u := range withData {
		id := u.id
		b1 := withData[(i+1)%n].id // buddies: the next two users
		b2 := withData[(i+2)%n].id
		ins := func(table, cols, vals string) {
			fmt.Fprintf(&b, "INSERT INTO dbo.%s (%s) VALUES (%s);\n", table, cols, vals)
		}
		ins("ResourceDirectory", "ResourceId, AdDisplayName", fmt.Sprintf("%d, N'User %d Ölund, \"Jr\"'", id, id))
		ins("ContactGroup", "OwnerId, GroupNumber, DisplayName, ExternalUri", fmt.Sprintf("%d, 1, N'~', NULL", id))
		ins("ContactGroup", "OwnerId, GroupNumber, DisplayName, ExternalUri", fmt.Sprintf("%d, 2, N'Friends', N'dl%d@lynctest.local'", id, id))
		ins("Contact", "OwnerId, BuddyId, DisplayName, SubscribePresence", fmt.Sprintf("%d, %d, N'Buddy %d', 1", id, b1, b1))
		ins("Contact", "OwnerId, BuddyId, DisplayName, SubscribePresence", fmt.Sprintf("%d, %d, NULL, 0", id, b2))
		ins("ContactGroupAssoc", "OwnerId, BuddyId, GroupNumber", fmt.Sprintf("%d, %d, 1", id, b1))
		ins("ContactGroupAssoc", "OwnerId, BuddyId, GroupNumber", fmt.Sprintf("%d, %d, 2", id, b2))
		ins("Container", "OwnerId, ContainerNum, Version", fmt.Sprintf("%d, 1, 0", id))
		ins("Container", "OwnerId, ContainerNum, Version", fmt.Sprintf("%d, 2, 5", id))
		ins("PublishedInstance", "PublisherId, ContainerNum, CategoryId, InstanceNum, InstanceData, LastModified",
			fmt.Sprintf("%d, 2, 3, %d, 0xDEADBEEF00, '2024-05-06 07:08:09.1234567'", id, int64(id)*10000000000))
		ins("CachedContainerMember", "OwnerId, ContainerNum, MemberId", fmt.Sprintf("%d, 2, %d", id, b1))
		ins("ContainerMemberUser", "OwnerId, ContainerNum, MemberId", fmt.Sprintf("%d, 2, %d", id, b2))
		ins("PromptedSubscriber", "OwnerId, SubscriberId, PromptedAt", fmt.Sprintf("%d, %d, '2024-01-02 03:04:05'", id, b1))
		ins("Delegate", "OwnerId, DelegateId, DelegateType", fmt.Sprintf("%d, %d, 2", id, b2))
		ins("ConferenceParticipant", "ConferenceId, EnterpriseId, ParticipantRole", fmt.Sprintf("%d, %d, 1", 7000+id, id))
		ins("ConferenceParticipant", "ConferenceId, EnterpriseId, ParticipantRole", fmt.Sprintf("%d, %d, 0", 7000+b1, id))
		ins("UserPolicy", "ResourceId, PolicyType, PolicyInstance", fmt.Sprintf("%d, 1, '6F9619FF-8B86-D011-B42D-00C04FC9%04d'", id, id))
		ins("UserPolicy", "ResourceId, PolicyType, PolicyInstance", fmt.Sprintf("%d, 2, NULL", id))
		ins("ResourcePhone", "ResourceId, PhoneType, PhoneUri", fmt.Sprintf("%d, 3, N'tel:+1555%04d'", id, id))
		ins("RtcItem", "ItemId, ResourceId, ItemType, ItemData, LastModified", fmt.Sprintf("%d, %d, 7, 0x0102FF, '2023-12-31 23:59:59.997'", int64(id)*100, id))
		ins("PUIDDirectory", "ResourceId, PUID, DeviceId", fmt.Sprintf("%d, %d, NULL", id, int64(id)*1000003))
		if v != rtcschema.Lync2013 {
			ins("HomedResource", "ResourceId, HomeServerId, MaxContacts, LastUpdated", fmt.Sprintf("%d, 1, 250, NULL", id))
		}
		if v == rtcschema.OCS2007 {
			ins("Endpoint", "EndpointId, OwnerId, ExpiresAt", fmt.Sprintf("'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD38%04d', %d, '2030-01-01 00:00:00'", id, id))
		}
	}
	return b.String()
}
