package rtcschema

// Office Communications Server 2007 and 2007 R2. Detected by a Resource table
// without CertificateStore and ForestDirectory.
//
// (reconstructed) Cisco's log shows only Lync 2013; the plan is taken to be
// the same sequence. OCS keeps HomedResource and the registered endpoints in
// rtc (Lync moved Endpoint to rtcdyn): its homed-resource procedure is taken
// to remove the user's rows from both.

// procDeleteHomedResourceOCS also deletes HomedResource and the user's
// Endpoint rows (reconstructed).
var procDeleteHomedResourceOCS = Procedure{
	Name:   procDeleteHomedResource.Name,
	Params: procDeleteHomedResource.Params,
	Touches: append(append([]Touch{}, procDeleteHomedResource.Touches...),
		Touch{Table: "HomedResource", Column: "ResourceId"},
		Touch{Table: "Endpoint", Column: "OwnerId"}),
}

// tableEndpoint is a user's registered endpoints (reconstructed key and types).
var tableEndpoint = Table{Name: "Endpoint", Key: cols("EndpointId"), Columns: []Column{{Name: "EndpointId", Type: "uniqueidentifier"}, {Name: "OwnerId", Type: "int"}}}

func ocs2007() *Schema {
	return &Schema{
		Version:    OCS2007,
		Name:       "Office Communications Server 2007 / 2007 R2",
		Tables:     append(planTables(), tableHomedResource, tableEndpoint),
		Procedures: []Procedure{procDeleteHomedResourceOCS, procDeleteConferenceParticipant},
		Plan:       ciscoPlan(procDeleteHomedResourceOCS),
	}
}
