package rtcschema

import "strings"

// What the delete's backup, counts and --undo rely on until they measure what
// a transaction really removed and restore from the live catalog (SPEC 6.1,
// issue 11): the tables the plan is believed to touch and their believed
// primary keys. All reconstructed; remove this file with its last user.

// Touched lists every table the whole plan is believed to delete from, in
// plan order, each once.
func (s *Schema) Touched() []Touch {
	var out []Touch
	seen := map[string]bool{}
	for _, st := range s.Plan {
		for _, t := range s.Touches(st) {
			k := strings.ToLower(t.Table)
			if !seen[k] {
				seen[k] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// KeyedTable is a touched table with the primary key --undo believes it has.
type KeyedTable struct {
	Name string
	Key  []string
}

// believedKeys are the primary keys of the rtcsim reconstruction (SPEC 7),
// by table name.
var believedKeys = map[string][]string{
	Resource.Name:              {Resource.ResourceID.Name},
	ResourceDirectory.Name:     {ResourceDirectory.ResourceID.Name},
	ContactGroup.Name:          {"OwnerId", "GroupNumber"},
	Contact.Name:               {"OwnerId", "BuddyId"},
	ContactGroupAssoc.Name:     {"OwnerId", "BuddyId", "GroupNumber"},
	Container.Name:             {"OwnerId", "ContainerNum"},
	PublishedInstance.Name:     {"PublisherId", "ContainerNum", "CategoryId", "InstanceNum"},
	CachedContainerMember.Name: {"OwnerId", "ContainerNum", "MemberId"},
	ContainerMemberUser.Name:   {"OwnerId", "ContainerNum", "MemberId"},
	PromptedSubscriber.Name:    {"OwnerId", "SubscriberId"},
	Delegate.Name:              {"OwnerId", "DelegateId"},
	ConferenceParticipant.Name: {"ConferenceId", "EnterpriseId"},
	UserPolicy.Name:            {"ResourceId", "PolicyType"},
	ResourcePhone.Name:         {"ResourceId", "PhoneType"},
	RtcItem.Name:               {"ItemId"},
	PUIDDirectory.Name:         {"ResourceId"},
	HomedResource.Name:         {"ResourceId"},
	Endpoint.Name:              {"EndpointId"},
}

// Table returns a table the plan touches with its believed key.
func (s *Schema) Table(name string) (KeyedTable, bool) {
	for _, t := range s.Touched() {
		if strings.EqualFold(t.Table, name) {
			k, ok := believedKeys[t.Table]
			return KeyedTable{Name: t.Table, Key: k}, ok
		}
	}
	return KeyedTable{}, false
}
