package rtcschema

// Office Communications Server 2007 and 2007 R2. Detected by a Resource table
// without CertificateStore and ForestDirectory.
//
// (reconstructed) The whole plan: Cisco's log shows only Lync 2013, and its
// tool reached OCS through the same SQL connection class. OCS keeps the
// registered endpoints in rtc (the Endpoint table, moved to rtcdyn by Lync)
// and has no conferencing or policy procedures the plan relies on, so the plan
// is plain DELETEs, children before parents.

// tableEndpoint is a user's registered endpoints (reconstructed key).
var tableEndpoint = Table{Name: "Endpoint", Key: cols("OwnerId", "EndpointId"), Columns: intCols("OwnerId", "EndpointId")}

func ocs2007() *Schema {
	return &Schema{
		Version: OCS2007,
		Name:    "Office Communications Server 2007 / 2007 R2",
		Tables: []Table{
			Resource, ResourceDirectory, ContactGroup, Contact, ContactGroupAssoc,
			tableContainerMemberUser, tablePromptedSubscriber, tableDelegate,
			tableEndpoint, tableHomedResource,
		},
		Plan: []Step{
			del("ContactGroupAssoc", "OwnerId"),
			del("Contact", "OwnerId"),
			del("ContactGroup", "OwnerId"),
			del("ContainerMemberUser", "OwnerId"),
			del("PromptedSubscriber", "OwnerId"),
			del("Delegate", "OwnerId"),
			del("Endpoint", "OwnerId"),
			del("HomedResource", "ResourceId"),
			del("ResourceDirectory", "ResourceId"),
		},
	}
}
