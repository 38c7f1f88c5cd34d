package rtcschema

// Lync Server 2010. Detected by the CertificateStore table without
// ForestDirectory.
//
// (reconstructed) The whole plan: Cisco's log shows only Lync 2013. Lync 2010
// still has HomedResource in rtc (the probe finds it there, not on 2013), and
// its homed-resource procedure is taken to remove that row with the contact
// list. CachedContainerMember, RtcItem and PUIDDirectory are taken to be 2013
// additions and are absent here.

// procDeleteHomedResource2010 is the 2010 form of the homed-resource procedure
// (reconstructed: it also deletes the HomedResource row).
var procDeleteHomedResource2010 = Procedure{
	Name:    procDeleteHomedResource.Name,
	Params:  procDeleteHomedResource.Params,
	Touches: append(append([]Touch{}, ownerTouches...), Touch{Table: "HomedResource", Column: "ResourceId"}),
}

// tableHomedResource marks a user as homed on this pool (reconstructed key).
var tableHomedResource = Table{Name: "HomedResource", Key: cols("ResourceId"), Columns: intCols("ResourceId")}

func lync2010() *Schema {
	return &Schema{
		Version: Lync2010,
		Name:    "Lync Server 2010",
		Tables: []Table{
			Resource, ResourceDirectory, ContactGroup, Contact, ContactGroupAssoc,
			tableHomedResource, tableContainerMemberUser, tablePromptedSubscriber,
			tableDelegate, tableConferenceParticipant, tableUserPolicy, tableResourcePhone,
		},
		Procedures: []Procedure{procDeleteHomedResource2010, procDeleteConferenceParticipant},
		Plan: []Step{
			run(procDeleteHomedResource2010),
			del("ContainerMemberUser", "OwnerId"),
			del("PromptedSubscriber", "OwnerId"),
			del("Delegate", "OwnerId"),
			run(procDeleteConferenceParticipant),
			del("UserPolicy", "ResourceId"),
			del("ResourcePhone", "ResourceId"),
			del("ResourceDirectory", "ResourceId"),
		},
	}
}
