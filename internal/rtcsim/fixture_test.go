package rtcsim

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func testFixture() Fixture {
	return Fixture{Users: []FixtureUser{
		{ResourceID: 11, UserAtHost: "zoë@foo.com", DisplayName: "Zoë Ångström",
			Groups: []FixtureGroup{{Number: 1, Name: "~"}, {Number: 2, Name: "Équipe, Paris"}, {Number: 3, Name: "Vertrieb DL", ExternalURI: "vertrieb@foo.com"}},
			Contacts: []FixtureContact{
				{Buddy: 12, DisplayName: Text("Jürgen „Jo“"), Groups: []int{1, 2}},
				{Buddy: 13, DisplayName: nil, Unsubscribed: true},
				{Buddy: 11, DisplayName: Text(""), Groups: []int{3}},
			}},
		{ResourceID: 12, UserAtHost: "jo@foo.com", Enabled: true, Groups: []FixtureGroup{{Number: 1, Name: "~"}},
			Contacts: []FixtureContact{{Buddy: 11, DisplayName: Text("日本語の名前"), Groups: []int{1}}}},
		{ResourceID: 13, UserAtHost: "empty@foo.com"},
	}}
}

// One fixture, every schema: the contact data a client reads is the same
// text, stored as nvarchar in the reconstructed schemas and as UTF-8 bytes in
// the evidence schema's varbinary columns.
func TestLoadFixtureAcrossSchemas(t *testing.T) {
	const q = `SELECT r.UserAtHost, g.GroupNumber, g.DisplayName, g.ExternalUri, c.BuddyId, c.DisplayName, c.SubscribePresence, a.GroupNumber
		FROM Resource r LEFT JOIN ContactGroup g ON g.OwnerId = r.ResourceId
		LEFT JOIN Contact c ON c.OwnerId = r.ResourceId LEFT JOIN ContactGroupAssoc a ON a.OwnerId = c.OwnerId AND a.BuddyId = c.BuddyId
		ORDER BY r.ResourceId, g.GroupNumber, c.BuddyId, a.GroupNumber`
	var first []string
	for _, schema := range SchemaNames {
		t.Run(schema, func(t *testing.T) {
			s, addr := startServer(t, schema)
			if err := s.LoadFixture(ctxT(t), testFixture()); err != nil {
				t.Fatal(err)
			}
			rows, err := openClient(t, addr, "").QueryContext(ctxT(t), q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			binary := 0
			vals := make([]any, 8)
			ptrs := make([]any, 8)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					if b, ok := v.([]byte); ok {
						if !strings.HasPrefix(schema, "lync2013-evidence") {
							t.Errorf("column %d is binary in %s", i, schema)
						}
						vals[i] = string(b)
						binary++
					}
					if bl, ok := v.(bool); ok { // bit
						vals[i] = map[bool]int64{false: 0, true: 1}[bl]
					}
				}
				got = append(got, fmt.Sprintf("%q", vals))
			}
			if strings.HasPrefix(schema, "lync2013-evidence") && binary == 0 {
				t.Errorf("%s: no name came back as varbinary", schema)
			}
			if first == nil {
				first = got
				if len(got) < 8 || !strings.Contains(strings.Join(got, "\n"), "日本語の名前") {
					t.Fatalf("rows %v", got)
				}
			} else if !reflect.DeepEqual(got, first) {
				t.Errorf("%s reads\n%s\nwant (as %s)\n%s", schema, strings.Join(got, "\n"), SchemaNames[0], strings.Join(first, "\n"))
			}
			d := dump(t, s)
			if rd := d["ResourceDirectory"]; len(rd) != 3 || rd[0]["AdDisplayName"] != "Zoë Ångström" || rd[2]["AdDisplayName"] != nil {
				t.Errorf("ResourceDirectory %v", rd)
			} else if _, ok := rd[0]["Enabled"]; ok && (rd[0]["Enabled"] != int64(0) || rd[1]["Enabled"] != int64(1)) {
				t.Errorf("Enabled %v %v", rd[0]["Enabled"], rd[1]["Enabled"])
			}
		})
	}
}

// HomedRows fills every user-keyed table — the unknown UserNote included —
// and the homed-resource procedure of the evidence schema empties the
// owner's rows of the tables it touches, leaving the rows naming the user
// on the other side.
func TestLoadFixtureHomedRows(t *testing.T) {
	s, addr := startServer(t, "lync2013-evidence")
	f := testFixture()
	f.HomedRows = 2
	if err := s.LoadFixture(ctxT(t), f); err != nil {
		t.Fatal(err)
	}
	d := dump(t, s)
	want := map[string]int{"UserNote": 6, "HomedResource": 3, "PUIDDirectory": 3, "Delegate": 3, "CachedContainerMember": 6,
		"RtcItem": 6, "PublishedStaticInstance": 6, "ConferenceInvitee": 6, "ResourcePhone": 6, "Container": 6, "CategoryDef": 0, "ForestDirectory": 0}
	for table, n := range want {
		if len(d[table]) != n {
			t.Errorf("%s: %d rows, want %d", table, len(d[table]), n)
		}
	}
	if r := d["Delegate"][0]; r["OwnerId"] != int64(11) || r["DelegateId"] != int64(12) {
		t.Errorf("Delegate row %v: the other side should name the next user", r)
	}
	if r := d["UserNote"][0]; len(r["Version"].([]byte)) != 8 || r["NoteSize"] == nil || r["NoteText"] == nil {
		t.Errorf("UserNote row %v", r)
	}
	if _, err := openClient(t, addr, "").ExecContext(ctxT(t), "dbo.RtcpDeleteHomedResourceTransaction", 11); err != nil {
		t.Fatal(err)
	}
	after := dump(t, s)
	for _, tc := range s.Schema().Proc("RtcpDeleteHomedResourceTransaction").Touches {
		for _, r := range after[tc.Table] {
			if r[tc.Key] == int64(11) {
				t.Errorf("%s row of user 11 left: %v", tc.Table, r)
			}
		}
	}
	if len(after["UserNote"]) != 4 || len(after["Delegate"]) != 3 {
		t.Errorf("after the procedure: %d notes (want 4), %d delegates (want 3: not its table)", len(after["UserNote"]), len(after["Delegate"]))
	}
}

func TestLoadFixtureErrors(t *testing.T) {
	s, _ := startServer(t, "lync2013-evidence")
	bad := Fixture{Users: []FixtureUser{{ResourceID: 1, UserAtHost: "a@x"}, {ResourceID: 1, UserAtHost: "b@x"}}}
	if err := s.LoadFixture(ctxT(t), bad); err == nil || !strings.Contains(err.Error(), "b@x") || !strings.Contains(err.Error(), "Violation of PRIMARY KEY") {
		t.Errorf("duplicate id: %v", err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM Resource"); n != 0 {
		t.Errorf("%d rows left after a failed fixture", n)
	}
}
