package rtcschema

// Lync Server 2013 and Skype for Business Server 2015 / 2019 / SE, which keep
// the 2013 rtc layout. Detected by the ForestDirectory table.
//
// The plan is Cisco's, in Cisco's order, as its DeleteAccount log shows it
// (SPEC 6): the procedure names and the tables of the DELETE steps are
// confirmed. Reconstructed: what each procedure takes and touches, and most
// of the columns the DELETEs match (names.go grades each).

// argumentGuess is what the product believes each plan procedure takes.
var argumentGuess = reconstructed("rtc procedures take @_-prefixed parameters (" + srcDuplicateSIP +
	"); that this one takes the user's ResourceId is ours; its name and type are read from INFORMATION_SCHEMA.PARAMETERS")

// deleteHomedResource removes a user's homed data: its own contact list and
// groups, its presence containers and published presence (reconstructed).
func deleteHomedResource() Procedure {
	return Procedure{
		Name:     "dbo.RtcpDeleteHomedResourceTransaction",
		Fact:     confirmed(srcCiscoLog),
		Argument: argumentGuess,
		Touches: []Touch{
			touch(ContactGroupAssoc.OwnerID), touch(Contact.OwnerID), touch(ContactGroup.OwnerID),
			touch(Container.OwnerID), touch(PublishedInstance.PublisherID),
		},
	}
}

// deleteConferenceParticipant removes the user from conferences; the
// "enterprise id" is taken to be the ResourceId (reconstructed).
func deleteConferenceParticipant() Procedure {
	return Procedure{
		Name:     "RtcpDeleteConferenceParticipantByEnterpriseId",
		Fact:     confirmed(srcCiscoLog),
		Argument: reconstructed("that its one parameter, the \"enterprise id\", is the user's ResourceId is ours; its name and type are read from INFORMATION_SCHEMA.PARAMETERS"),
		Touches:  []Touch{touch(ConferenceParticipant.EnterpriseID)},
	}
}

// ciscoPlan is Cisco's Lync 2013 order, with the version's homed-resource
// procedure.
func ciscoPlan(homed Procedure) []Step {
	return []Step{
		run(homed),
		del(CachedContainerMember.OwnerID),
		del(ContainerMemberUser.OwnerID),
		del(PromptedSubscriber.OwnerID),
		del(Delegate.OwnerID),
		run(deleteConferenceParticipant()),
		del(UserPolicy.ResourceID),
		del(ResourcePhone.ResourceID),
		del(RtcItem.ResourceID),
		del(PUIDDirectory.ResourceID),
		del(ResourceDirectory.ResourceID),
	}
}

func run(p Procedure) Step { return Step{Kind: StepProcedure, Procedure: p.Name} }
func del(c Column) Step    { return Step{Kind: StepDelete, Delete: c} }

func lync2013() *Schema {
	return &Schema{
		Version:    Lync2013,
		Name:       "Lync Server 2013 / Skype for Business Server 2015, 2019, SE",
		Detected:   confirmed(srcCiscoLog + `: "Found the ForestDirectory table, Creating Lync2013 Connection"`),
		Procedures: []Procedure{deleteHomedResource(), deleteConferenceParticipant()},
		Plan:       ciscoPlan(deleteHomedResource()),
		PlanFact:   confirmed(srcCiscoLog + ": these steps in this order"),
	}
}
