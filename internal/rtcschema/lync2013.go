package rtcschema

// Lync Server 2013 and Skype for Business Server 2015 / 2019 / SE, which keep
// the 2013 rtc layout. Detected by the ForestDirectory table.
//
// The plan is Cisco's, in Cisco's order, as its DeleteAccount log shows it
// (SPEC 6): the procedure names and the tables of the DELETE steps are
// confirmed. Reconstructed: the procedures' parameters and the tables they
// touch, the column each DELETE matches the ResourceId against, and the key
// columns of the non-contact tables.

// procDeleteHomedResource removes a user's homed data: its own contact list
// and groups (reconstructed: the touched tables and the @ResourceId parameter).
var procDeleteHomedResource = Procedure{
	Name:    "dbo.RtcpDeleteHomedResourceTransaction",
	Params:  []Param{{Name: "@ResourceId", Type: "int"}},
	Touches: ownerTouches,
}

// procDeleteConferenceParticipant removes the user from conferences; the
// "enterprise id" is taken to be the ResourceId (reconstructed, as are the
// table and the parameter).
var procDeleteConferenceParticipant = Procedure{
	Name:    "RtcpDeleteConferenceParticipantByEnterpriseId",
	Params:  []Param{{Name: "@EnterpriseId", Type: "int"}},
	Touches: []Touch{{Table: "ConferenceParticipant", Column: "EnterpriseId"}},
}

// The non-contact tables of the plans (reconstructed: key columns and types;
// only the columns the product relies on are declared, the backup keeps all).
var (
	tableCachedContainerMember = Table{Name: "CachedContainerMember", Key: cols("OwnerId", "ContainerNum", "MemberId"), Columns: intCols("OwnerId", "ContainerNum", "MemberId")}
	tableContainerMemberUser   = Table{Name: "ContainerMemberUser", Key: cols("OwnerId", "ContainerNum", "MemberId"), Columns: intCols("OwnerId", "ContainerNum", "MemberId")}
	tablePromptedSubscriber    = Table{Name: "PromptedSubscriber", Key: cols("OwnerId", "SubscriberId"), Columns: intCols("OwnerId", "SubscriberId")}
	tableDelegate              = Table{Name: "Delegate", Key: cols("OwnerId", "DelegateId"), Columns: intCols("OwnerId", "DelegateId")}
	tableConferenceParticipant = Table{Name: "ConferenceParticipant", Key: cols("ConferenceId", "EnterpriseId"), Columns: intCols("ConferenceId", "EnterpriseId")}
	tableUserPolicy            = Table{Name: "UserPolicy", Key: cols("ResourceId", "PolicyType"), Columns: intCols("ResourceId", "PolicyType")}
	tableResourcePhone         = Table{Name: "ResourcePhone", Key: cols("ResourceId", "PhoneType"), Columns: intCols("ResourceId", "PhoneType")}
	tableRtcItem               = Table{Name: "RtcItem", Key: cols("OwnerId", "ItemId"), Columns: intCols("OwnerId", "ItemId")}
	tablePUIDDirectory         = Table{Name: "PUIDDirectory", Key: cols("ResourceId"), Columns: intCols("ResourceId")}
)

func lync2013() *Schema {
	return &Schema{
		Version: Lync2013,
		Name:    "Lync Server 2013 / Skype for Business Server 2015, 2019, SE",
		Tables: []Table{
			Resource, ResourceDirectory, ContactGroup, Contact, ContactGroupAssoc,
			tableCachedContainerMember, tableContainerMemberUser, tablePromptedSubscriber,
			tableDelegate, tableConferenceParticipant, tableUserPolicy, tableResourcePhone,
			tableRtcItem, tablePUIDDirectory,
		},
		Procedures: []Procedure{procDeleteHomedResource, procDeleteConferenceParticipant},
		Plan: []Step{
			run(procDeleteHomedResource),
			del("CachedContainerMember", "OwnerId"),
			del("ContainerMemberUser", "OwnerId"),
			del("PromptedSubscriber", "OwnerId"),
			del("Delegate", "OwnerId"),
			run(procDeleteConferenceParticipant),
			del("UserPolicy", "ResourceId"),
			del("ResourcePhone", "ResourceId"),
			del("RtcItem", "OwnerId"),
			del("PUIDDirectory", "ResourceId"),
			del("ResourceDirectory", "ResourceId"),
		},
	}
}
