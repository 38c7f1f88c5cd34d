package rtcschema

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// every declared column, by "Table.Column".
func allColumns() map[string]Column {
	out := map[string]Column{}
	for _, c := range columnByKey {
		out[c.String()] = c
	}
	return out
}

// Every name is a plain identifier, knows its table and family, and carries a
// grade; a confirmed one names its public source.
func TestNamesAreGraded(t *testing.T) {
	ident := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	check := func(what string, f Fact) {
		switch {
		case f.Grade != Confirmed && f.Grade != Reconstructed:
			t.Errorf("%s: grade %q", what, f.Grade)
		case f.Grade == Confirmed && f.Source == "":
			t.Errorf("%s: confirmed without a source", what)
		case strings.Contains(f.Source, "\n"):
			t.Errorf("%s: source longer than one line", what)
		}
	}
	if len(tableByKey) != len(registry) || len(Tables()) != len(registry) {
		t.Fatalf("%d tables indexed, %d registered", len(tableByKey), len(registry))
	}
	for key, tb := range tableByKey {
		if !ident.MatchString(tb.Name) || !strings.EqualFold(key, tb.Name) {
			t.Errorf("table %s named %q", key, tb.Name)
		}
		check("table "+tb.Name, tb.Fact)
	}
	for key, c := range columnByKey {
		tb, _ := tableNamed(c.Table)
		if !ident.MatchString(c.Name) || tb.Name != c.Table || !strings.HasPrefix(key, c.Table+".") {
			t.Errorf("column %s: %+v", key, c)
		}
		if c.Family != Integer && c.Family != String && c.Family != StringOrBinary && c.Family != Flag {
			t.Errorf("column %s: family %q", key, c.Family)
		}
		check("column "+key, c.Fact)
	}
}

// The confirmed names are exactly what research/rtc-evidence.md lists, copied
// here by hand: a grade is never raised without evidence.
func TestConfirmedNamesAreTheEvidence(t *testing.T) {
	wantColumns := []string{
		"Contact.BuddyId", "Contact.OwnerId",
		"ContactGroupAssoc.BuddyId", "ContactGroupAssoc.GroupNumber", "ContactGroupAssoc.OwnerId",
		"HomedResource.ResourceId",
		"Resource.ResourceId", "Resource.UserAtHost",
		"ResourceDirectory.Enabled", "ResourceDirectory.ResourceId", "ResourcePhone.ResourceId",
	}
	var got []string
	for k, c := range allColumns() {
		if c.Fact.Grade == Confirmed {
			got = append(got, k)
		}
	}
	sort.Strings(got)
	if !slices.Equal(got, wantColumns) {
		t.Errorf("confirmed columns\n got %q\nwant %q", got, wantColumns)
	}
	// Tables: the contact tables public SQL shows, HomedResource, and every
	// table Cisco's log names (its plan and its probes).
	wantTables := []string{
		"CachedContainerMember", "Contact", "ContactGroupAssoc", "Container", "ContainerMemberUser", "Delegate",
		"HomedResource", "PUIDDirectory", "PromptedSubscriber", "Resource", "ResourceDirectory", "ResourcePhone",
		"RtcItem", "UserPolicy",
	}
	got = nil
	for _, tb := range Tables() {
		if tb.Fact.Grade == Confirmed {
			got = append(got, tb.Name)
		}
	}
	if !slices.Equal(got, wantTables) {
		t.Errorf("confirmed tables\n got %q\nwant %q", got, wantTables)
	}
	// No column type is confirmed anywhere: ids are integers, names may be binary.
	for _, c := range []Column{Contact.DisplayName, ContactGroup.DisplayName, ContactGroup.ExternalURI} {
		if c.Family != StringOrBinary {
			t.Errorf("%s: family %s, want string or binary", c, c.Family)
		}
	}
}

func TestSQLTemplate(t *testing.T) {
	st := SQL("SELECT c.{Contact.OwnerID}, r.{Resource.UserAtHost} FROM {Contact} c " +
		"LEFT JOIN {Resource} r ON r.{Resource.ResourceID} = c.{Contact.BuddyID} WHERE c.{Contact.OwnerID} IN (%s)")
	want := "SELECT c.OwnerId, r.UserAtHost FROM Contact c LEFT JOIN Resource r ON r.ResourceId = c.BuddyId WHERE c.OwnerId IN (%s)"
	if st.Text != want || st.String() != want {
		t.Errorf("text %q\nwant %q", st.Text, want)
	}
	var cols []string
	for _, c := range st.Columns {
		cols = append(cols, c.String())
	}
	if w := []string{"Contact.OwnerId", "Resource.UserAtHost", "Resource.ResourceId", "Contact.BuddyId"}; !slices.Equal(cols, w) {
		t.Errorf("columns %q, want %q", cols, w)
	}
	if len(st.Tables) != 2 || st.Tables[0].Name != "Contact" || st.Tables[1].Name != "Resource" {
		t.Errorf("tables %+v", st.Tables)
	}
	for _, bad := range []string{"SELECT {Contact.Nickname} FROM {Contact}", "SELECT x FROM {Contacts}", "SELECT {Contact"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SQL(%q) did not panic", bad)
				}
			}()
			SQL(bad)
		}()
	}
}

func TestFamilies(t *testing.T) {
	cases := []struct {
		f    Family
		ok   []string
		nope []string
	}{
		{Integer, []string{"int", "BIGINT", "smallint", "tinyint"}, []string{"nvarchar", "uniqueidentifier", "bit", "decimal", "varbinary"}},
		{String, []string{"nvarchar", "VARCHAR", "nchar", "char"}, []string{"varbinary", "ntext", "int"}},
		{StringOrBinary, []string{"nvarchar", "varchar", "varbinary", "binary", "ntext", "image"}, []string{"int", "xml", "uniqueidentifier"}},
		{Flag, []string{"bit", "int", "tinyint"}, []string{"nvarchar", "varbinary"}},
	}
	for _, c := range cases {
		for _, d := range c.ok {
			if !c.f.Accepts(d) {
				t.Errorf("%s refuses %s", c.f, d)
			}
		}
		for _, d := range c.nope {
			if c.f.Accepts(d) {
				t.Errorf("%s accepts %s", c.f, d)
			}
		}
	}
}

// The plan needs the tables of its DELETE steps with their columns and its
// procedures, nothing a procedure is only believed to touch.
func TestPlanNeeds(t *testing.T) {
	for _, v := range Versions {
		n := For(v).Needs()
		var tables, cols []string
		for _, tb := range n.Tables {
			tables = append(tables, tb.Name)
		}
		for _, c := range n.Columns {
			cols = append(cols, c.String())
		}
		wantTables := []string{"CachedContainerMember", "ContainerMemberUser", "PromptedSubscriber", "Delegate",
			"UserPolicy", "ResourcePhone", "RtcItem", "PUIDDirectory", "ResourceDirectory"}
		wantCols := []string{"CachedContainerMember.OwnerId", "ContainerMemberUser.OwnerId", "PromptedSubscriber.OwnerId",
			"Delegate.OwnerId", "UserPolicy.ResourceId", "ResourcePhone.ResourceId", "RtcItem.ResourceId",
			"PUIDDirectory.ResourceId", "ResourceDirectory.ResourceId"}
		if !slices.Equal(tables, wantTables) || !slices.Equal(cols, wantCols) {
			t.Errorf("%s needs tables %q columns %q", v, tables, cols)
		}
		if len(n.Procedures) != 2 || n.Procedures[0].Name != "dbo.RtcpDeleteHomedResourceTransaction" ||
			n.Procedures[1].Name != "RtcpDeleteConferenceParticipantByEnterpriseId" {
			t.Errorf("%s needs procedures %+v", v, n.Procedures)
		}
		// With adds a statement's names once.
		lookup := SQL("SELECT {Resource.ResourceID} FROM {Resource} WHERE {Resource.UserAtHost} = @p1")
		m := n.With(lookup, lookup)
		if len(m.Tables) != len(n.Tables)+1 || len(m.Columns) != len(n.Columns)+2 || len(m.Procedures) != 2 || len(n.Tables) != len(wantTables) {
			t.Errorf("%s: With gave %d tables %d columns", v, len(m.Tables), len(m.Columns))
		}
	}
}

func TestUserKeys(t *testing.T) {
	for _, name := range []string{"ownerid", "ResourceId", "PublisherId", "EnterpriseId"} {
		if k, ok := UserKeyOf(name); !ok || k.Side != OwnerSide {
			t.Errorf("%s: %+v %v", name, k, ok)
		}
	}
	for _, name := range []string{"BuddyId", "MemberId", "SubscriberId", "delegateid"} {
		if k, ok := UserKeyOf(name); !ok || k.Side != OtherSide {
			t.Errorf("%s: %+v %v", name, k, ok)
		}
	}
	if _, ok := UserKeyOf("GroupNumber"); ok {
		t.Error("GroupNumber is a user key")
	}
	// Every key column the plan deletes by is an owner-side user key.
	for _, v := range Versions {
		for _, tc := range For(v).Touched() {
			if k, ok := UserKeyOf(tc.Column); !ok || k.Side != OwnerSide {
				t.Errorf("%s: %s.%s is not an owner-side user key", v, tc.Table, tc.Column)
			}
		}
	}
}
