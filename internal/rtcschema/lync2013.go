package rtcschema

// Lync Server 2013 and Skype for Business Server 2015 / 2019 / SE, which keep
// the 2013 rtc layout. Detected by the ForestDirectory table.
//
// The plan is Cisco's, in Cisco's order, as its DeleteAccount log shows it
// (SPEC 6): the procedure names and the tables of the DELETE steps are
// confirmed. Reconstructed: the procedures' parameters (the rtc convention
// of an underscore after the @) and the tables they touch, the column each
// DELETE matches the ResourceId against, and the key columns and types of
// the non-contact tables.

// procDeleteHomedResource removes a user's homed data: its own contact list
// and groups, its presence containers and published presence
// (reconstructed: the touched tables and the parameter).
var procDeleteHomedResource = Procedure{
	Name:   "dbo.RtcpDeleteHomedResourceTransaction",
	Params: []Param{{Name: "@_ResourceId", Type: "int"}},
	Touches: append(append([]Touch{}, ownerTouches...),
		Touch{Table: "Container", Column: "OwnerId"},
		Touch{Table: "PublishedInstance", Column: "PublisherId"}),
}

// procDeleteConferenceParticipant removes the user from conferences; the
// "enterprise id" is taken to be the ResourceId (reconstructed, as are the
// table and the parameter).
var procDeleteConferenceParticipant = Procedure{
	Name:    "RtcpDeleteConferenceParticipantByEnterpriseId",
	Params:  []Param{{Name: "@_EnterpriseId", Type: "int"}},
	Touches: []Touch{{Table: "ConferenceParticipant", Column: "EnterpriseId"}},
}

// The non-contact tables of the plan (reconstructed: key columns and types;
// only the key and user columns are declared, the backup keeps every column).
// A row that relates two users belongs to its OwnerId: where the migrating
// user is the MemberId, SubscriberId or DelegateId, the row is the other
// user's and stays.
var (
	tableContainer             = Table{Name: "Container", Key: cols("OwnerId", "ContainerNum"), Columns: intCols("OwnerId", "ContainerNum")}
	tablePublishedInstance     = Table{Name: "PublishedInstance", Key: cols("PublisherId", "ContainerNum", "CategoryId", "InstanceNum"), Columns: append(intCols("PublisherId", "ContainerNum", "CategoryId"), Column{Name: "InstanceNum", Type: "bigint"})}
	tableCachedContainerMember = Table{Name: "CachedContainerMember", Key: cols("OwnerId", "ContainerNum", "MemberId"), Columns: intCols("OwnerId", "ContainerNum", "MemberId")}
	tableContainerMemberUser   = Table{Name: "ContainerMemberUser", Key: cols("OwnerId", "ContainerNum", "MemberId"), Columns: intCols("OwnerId", "ContainerNum", "MemberId")}
	tablePromptedSubscriber    = Table{Name: "PromptedSubscriber", Key: cols("OwnerId", "SubscriberId"), Columns: intCols("OwnerId", "SubscriberId")}
	tableDelegate              = Table{Name: "Delegate", Key: cols("OwnerId", "DelegateId"), Columns: intCols("OwnerId", "DelegateId")}
	tableConferenceParticipant = Table{Name: "ConferenceParticipant", Key: cols("ConferenceId", "EnterpriseId"), Columns: intCols("ConferenceId", "EnterpriseId")}
	tableUserPolicy            = Table{Name: "UserPolicy", Key: cols("ResourceId", "PolicyType"), Columns: intCols("ResourceId", "PolicyType")}
	tableResourcePhone         = Table{Name: "ResourcePhone", Key: cols("ResourceId", "PhoneType"), Columns: []Column{{Name: "ResourceId", Type: "int"}, {Name: "PhoneType", Type: "smallint"}}}
	tableRtcItem               = Table{Name: "RtcItem", Key: cols("ItemId"), Columns: []Column{{Name: "ItemId", Type: "bigint"}, {Name: "ResourceId", Type: "int"}}}
	tablePUIDDirectory         = Table{Name: "PUIDDirectory", Key: cols("ResourceId"), Columns: intCols("ResourceId")}
)

// planTables are the tables of Cisco's plan, contact tables first.
func planTables() []Table {
	return []Table{
		Resource, ResourceDirectory, ContactGroup, Contact, ContactGroupAssoc,
		tableContainer, tablePublishedInstance,
		tableCachedContainerMember, tableContainerMemberUser, tablePromptedSubscriber,
		tableDelegate, tableConferenceParticipant, tableUserPolicy, tableResourcePhone,
		tableRtcItem, tablePUIDDirectory,
	}
}

// ciscoPlan is Cisco's Lync 2013 order, with the version's homed-resource
// procedure.
func ciscoPlan(homed Procedure) []Step {
	return []Step{
		run(homed),
		del("CachedContainerMember", "OwnerId"),
		del("ContainerMemberUser", "OwnerId"),
		del("PromptedSubscriber", "OwnerId"),
		del("Delegate", "OwnerId"),
		run(procDeleteConferenceParticipant),
		del("UserPolicy", "ResourceId"),
		del("ResourcePhone", "ResourceId"),
		del("RtcItem", "ResourceId"),
		del("PUIDDirectory", "ResourceId"),
		del("ResourceDirectory", "ResourceId"),
	}
}

func lync2013() *Schema {
	return &Schema{
		Version:    Lync2013,
		Name:       "Lync Server 2013 / Skype for Business Server 2015, 2019, SE",
		Tables:     planTables(),
		Procedures: []Procedure{procDeleteHomedResource, procDeleteConferenceParticipant},
		Plan:       ciscoPlan(procDeleteHomedResource),
	}
}
