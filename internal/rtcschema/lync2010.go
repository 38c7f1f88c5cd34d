package rtcschema

// Lync Server 2010. Detected by the CertificateStore table without
// ForestDirectory.
//
// (reconstructed) Cisco's log shows only Lync 2013, and its tool ran one
// sequence through a connection class per version, so the plan is taken to
// be the 2013 one. The difference kept here: Lync 2010 still has HomedResource
// in rtc (the probe finds it there, not on 2013), and its homed-resource
// procedure is taken to remove that row too.

// procDeleteHomedResource2010 also deletes the HomedResource row (reconstructed).
var procDeleteHomedResource2010 = Procedure{
	Name:    procDeleteHomedResource.Name,
	Params:  procDeleteHomedResource.Params,
	Touches: append(append([]Touch{}, procDeleteHomedResource.Touches...), Touch{Table: "HomedResource", Column: "ResourceId"}),
}

// tableHomedResource marks a user as homed on this pool (reconstructed key).
var tableHomedResource = Table{Name: "HomedResource", Key: cols("ResourceId"), Columns: intCols("ResourceId")}

func lync2010() *Schema {
	return &Schema{
		Version:    Lync2010,
		Name:       "Lync Server 2010",
		Tables:     append(planTables(), tableHomedResource),
		Procedures: []Procedure{procDeleteHomedResource2010, procDeleteConferenceParticipant},
		Plan:       ciscoPlan(procDeleteHomedResource2010),
	}
}
