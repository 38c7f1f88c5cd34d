package rtcschema

// Office Communications Server 2007 and 2007 R2. Detected by a Resource table
// without CertificateStore and ForestDirectory.
//
// (reconstructed) Cisco's log shows only Lync 2013; the plan is taken to be
// the same sequence. OCS keeps HomedResource and the registered endpoints in
// rtc (Lync moved Endpoint to rtcdyn): its homed-resource procedure is taken
// to remove the user's rows from both.

func ocs2007() *Schema {
	homed := olderProcedure(deleteHomedResource(), touch(HomedResource.ResourceID), touch(Endpoint.OwnerID))
	return &Schema{
		Version:    OCS2007,
		Name:       "Office Communications Server 2007 / 2007 R2",
		Detected:   reconstructed("a Resource table without CertificateStore or ForestDirectory: ours"),
		Procedures: []Procedure{homed, olderProcedure(deleteConferenceParticipant())},
		Plan:       ciscoPlan(homed),
		PlanFact:   olderPlanFact,
	}
}
