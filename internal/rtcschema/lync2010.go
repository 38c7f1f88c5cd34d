package rtcschema

// Lync Server 2010. Detected by the CertificateStore table without
// ForestDirectory.
//
// (reconstructed) Cisco's log shows only Lync 2013, and its tool ran one
// sequence through a connection class per version, so the plan is taken to
// be the 2013 one. The difference kept here: Lync 2010 still has HomedResource
// in rtc (the probe finds it there, not on 2013), and its homed-resource
// procedure is taken to remove that row too.

// olderPlanFact grades the plans of the versions Cisco's log does not show.
var olderPlanFact = reconstructed("Cisco's log shows only Lync 2013; its tool ran one sequence for every version, taken to be this one")

// olderProcedure is a Lync 2013 plan procedure on an older version: the same
// name, believed but not seen there.
func olderProcedure(p Procedure, more ...Touch) Procedure {
	p.Fact = reconstructed("the Lync 2013 name (" + srcCiscoLog + "), taken to be the same on this version")
	p.Touches = append(append([]Touch{}, p.Touches...), more...)
	return p
}

func lync2010() *Schema {
	homed := olderProcedure(deleteHomedResource(), touch(HomedResource.ResourceID))
	return &Schema{
		Version:    Lync2010,
		Name:       "Lync Server 2010",
		Detected:   reconstructed(srcCiscoLog + `: "Found the CertificateStore table, dealing with a version of Lync"; that it is 2010 without ForestDirectory is ours`),
		Procedures: []Procedure{homed, olderProcedure(deleteConferenceParticipant())},
		Plan:       ciscoPlan(homed),
		PlanFact:   olderPlanFact,
	}
}
