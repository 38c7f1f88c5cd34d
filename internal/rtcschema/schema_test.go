package rtcschema

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestVersionsValidate(t *testing.T) {
	for _, v := range Versions {
		s := For(v)
		if s == nil {
			t.Fatalf("For(%s) = nil", v)
		}
		if s.Version != v {
			t.Errorf("For(%s).Version = %s", v, s.Version)
		}
		if err := s.Validate(); err != nil {
			t.Error(err)
		}
	}
	if For("lync2099") != nil {
		t.Error("For(unknown) != nil")
	}
}

func TestValidateCatchesMistakes(t *testing.T) {
	s := For(Lync2013)
	s.Plan = append(s.Plan, del(Resource.ResourceID), del(Column{Name: "OwnerId"}), del(Resource.UserAtHost),
		Step{Kind: StepProcedure, Procedure: "dbo.Missing"})
	err := s.Validate()
	if err == nil {
		t.Fatal("Validate accepted a plan deleting Resource")
	}
	for _, want := range []string{"deletes from Resource", ".OwnerId is not a declared integer column",
		"Resource.UserAtHost is not a declared integer column", "procedure dbo.Missing not declared"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error %q lacks %q", err, want)
		}
	}
}

// The Lync 2013 plan in Cisco's order, copied by hand from SPEC 6.
func TestLync2013PlanIsCiscos(t *testing.T) {
	want := []string{
		"dbo.RtcpDeleteHomedResourceTransaction",
		"CachedContainerMember", "ContainerMemberUser", "PromptedSubscriber", "Delegate",
		"RtcpDeleteConferenceParticipantByEnterpriseId",
		"UserPolicy", "ResourcePhone", "RtcItem", "PUIDDirectory", "ResourceDirectory",
	}
	var got []string
	for _, st := range For(Lync2013).Plan {
		if st.Kind == StepProcedure {
			got = append(got, st.Procedure)
		} else {
			got = append(got, st.Delete.Table)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Lync 2013 plan\n got %q\nwant %q", got, want)
	}
}

// SPEC 6 invariants as far as the plan can show them: no version deletes from
// Resource, and Contact rows go only by OwnerId (never by BuddyId, which would
// take the user off other users' lists).
func TestPlansKeepResourceAndOthersContacts(t *testing.T) {
	for _, v := range Versions {
		touched := map[string]string{}
		for _, tc := range For(v).Touched() {
			touched[tc.Table] = tc.Column
		}
		if _, ok := touched["Resource"]; ok {
			t.Errorf("%s plan touches Resource", v)
		}
		for _, tb := range []string{"Contact", "ContactGroup", "ContactGroupAssoc"} {
			if touched[tb] != "OwnerId" {
				t.Errorf("%s plan deletes %s by %q, want OwnerId", v, tb, touched[tb])
			}
		}
		if touched["ResourceDirectory"] != "ResourceId" {
			t.Errorf("%s plan does not delete ResourceDirectory by ResourceId", v)
		}
	}
}

func TestTouchedOncePerTableInPlanOrder(t *testing.T) {
	got := For(Lync2013).Touched()
	want := []Touch{
		{"ContactGroupAssoc", "OwnerId"}, {"Contact", "OwnerId"}, {"ContactGroup", "OwnerId"},
		{"Container", "OwnerId"}, {"PublishedInstance", "PublisherId"},
		{"CachedContainerMember", "OwnerId"}, {"ContainerMemberUser", "OwnerId"},
		{"PromptedSubscriber", "OwnerId"}, {"Delegate", "OwnerId"},
		{"ConferenceParticipant", "EnterpriseId"}, {"UserPolicy", "ResourceId"},
		{"ResourcePhone", "ResourceId"}, {"RtcItem", "ResourceId"}, {"PUIDDirectory", "ResourceId"},
		{"ResourceDirectory", "ResourceId"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Touched\n got %v\nwant %v", got, want)
	}
}

func TestDecide(t *testing.T) {
	set := func(names ...string) map[string]bool {
		m := map[string]bool{}
		for _, n := range names {
			m[n] = true
		}
		return m
	}
	cases := []struct {
		name  string
		found map[string]bool
		want  Version
		err   error
	}{
		{"empty database", set(), "", ErrNotRTC},
		{"ForestDirectory without Resource", set("ForestDirectory", "CertificateStore"), "", ErrNotRTC},
		// what Cisco's sample log found on a Lync 2013 front end
		{"Lync 2013 FE", set("Resource", "Container", "CertificateStore", "ForestDirectory"), Lync2013, nil},
		{"Lync 2010", set("Resource", "Container", "HomedResource", "CertificateStore"), Lync2010, nil},
		{"OCS 2007", set("Resource", "Endpoint", "Container", "HomedResource"), OCS2007, nil},
		{"Resource only", set("Resource"), OCS2007, nil},
	}
	for _, c := range cases {
		got, err := Decide(c.found)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("%s: Decide = %q, %v; want %q, %v", c.name, got, err, c.want, c.err)
		}
	}
}

// Probe order and text as Cisco logged them (SPEC 6, research A.3).
func TestProbesAreCiscos(t *testing.T) {
	order := []string{"Resource", "Endpoint", "Container", "HomedResource", "CertificateStore", "ForestDirectory"}
	if len(Probes) != len(order) {
		t.Fatalf("%d probes, want %d", len(Probes), len(order))
	}
	for i, p := range Probes {
		if p.Table != order[i] {
			t.Errorf("probe %d is %s, want %s", i, p.Table, order[i])
		}
		if want := "SELECT id FROM sysobjects WHERE name = '" + order[i] + "'"; p.SQL != want {
			t.Errorf("probe %s SQL %q, want %q", p.Table, p.SQL, want)
		}
	}
	if Probes[5].Found != "Found the ForestDirectory table, Creating Lync2013 Connection" ||
		Probes[4].Found != "Found the CertificateStore table, dealing with a version of Lync." ||
		Probes[0].Found != "Found the Resource Table, appears to be a valid Communications Server Database" {
		t.Error("probe log lines differ from Cisco's")
	}
}

func TestParseVersion(t *testing.T) {
	for _, v := range Versions {
		got, err := ParseVersion(strings.ToUpper(string(v)))
		if err != nil || got != v {
			t.Errorf("ParseVersion(%s) = %v, %v", v, got, err)
		}
	}
	if _, err := ParseVersion("sfb2019"); err == nil {
		t.Error("ParseVersion accepted sfb2019")
	}
}

func TestPlanLines(t *testing.T) {
	s := For(Lync2013)
	lines := s.PlanLines()
	want := []string{
		"plan, one transaction per user (confirmed: Cisco's DeleteAccount log (Lync 2013): these steps in this order):",
		"   1. run dbo.RtcpDeleteHomedResourceTransaction (ResourceId)",
		"      its one parameter takes the ResourceId: reconstructed: rtc procedures take @_-prefixed parameters",
		"      believed to delete from ContactGroupAssoc, Contact, ContactGroup, Container, PublishedInstance: reconstructed",
		"   2. delete CachedContainerMember where OwnerId = ResourceId",
		"  11. delete ResourceDirectory where ResourceId = ResourceId",
	}
	text := strings.Join(lines, "\n")
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("plan lacks %q:\n%s", w, text)
		}
	}
	if len(lines) != 1+len(s.Plan)+2*len(s.Procedures) {
		t.Errorf("%d lines", len(lines))
	}
	if l := For(OCS2007).PlanLines()[0]; !strings.Contains(l, "reconstructed: Cisco's log shows only Lync 2013") {
		t.Errorf("OCS plan line %q", l)
	}
}

// The older versions run Cisco's sequence too; only what the homed-resource
// procedure is believed to remove differs (HomedResource, and Endpoint on OCS).
func TestOlderVersionsDifferOnlyInHomedResource(t *testing.T) {
	base := For(Lync2013)
	extra := map[Version][]Touch{
		Lync2010: {{"HomedResource", "ResourceId"}},
		OCS2007:  {{"HomedResource", "ResourceId"}, {"Endpoint", "OwnerId"}},
	}
	for v, more := range extra {
		s := For(v)
		if !reflect.DeepEqual(s.Plan, base.Plan) {
			t.Errorf("%s plan differs from Lync 2013's", v)
		}
		p, _ := s.Procedure("dbo.RtcpDeleteHomedResourceTransaction")
		want := append(append([]Touch{}, base.Procedures[0].Touches...), more...)
		if !reflect.DeepEqual(p.Touches, want) {
			t.Errorf("%s homed-resource procedure touches %v, want %v", v, p.Touches, want)
		}
		touched := map[string]bool{}
		for _, tc := range s.Touched() {
			touched[tc.Table] = true
		}
		for _, tc := range more {
			if !touched[tc.Table] {
				t.Errorf("%s: Touched lacks table %s", v, tc.Table)
			}
		}
		if p.Fact.Grade != Reconstructed || !strings.HasPrefix(s.PlanFact.Source, "Cisco's log shows only Lync 2013") {
			t.Errorf("%s: the procedure and the plan should be reconstructed: %v, %v", v, p.Fact, s.PlanFact)
		}
	}
}
