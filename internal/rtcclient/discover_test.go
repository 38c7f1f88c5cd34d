package rtcclient

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// Discovery on the evidence schema (SPEC 6.1): every base table with an
// integer user-key column, alias types included, each side named, every
// column with what --undo must know (IDENTITY, computed, rowversion); a
// table without a user key is not one.
func TestDiscoverUserTables(t *testing.T) {
	env := testenv.RTC(t, "lync2013-evidence")
	db := open(t, env, &recLog{})
	ctx := context.Background()
	if _, err := db.Detect(ctx, &recLog{}); err != nil {
		t.Fatal(err)
	}
	cat, err := db.Check(ctx, rtcschema.For(rtcschema.Lync2013).Needs())
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.DiscoverUserTables(ctx, cat)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"Contact":               "owner OwnerId; other BuddyId",
		"ContactGroupAssoc":     "owner OwnerId; other BuddyId",
		"Resource":              "owner ResourceId; other ",
		"CachedContainerMember": "owner OwnerId; other MemberId",
		"UserNote":              "owner OwnerId; other ",
		"ConferenceInvitee":     "owner EnterpriseId; other ",
	} {
		tb, ok := u.Table(strings.ToUpper(name))
		if !ok {
			t.Errorf("%s not discovered", name)
			continue
		}
		if got := "owner " + strings.Join(tb.Owner, ",") + "; other " + strings.Join(tb.Other, ","); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	for _, name := range []string{"CategoryDef", "CertificateStore", "ForestDirectory"} {
		if _, ok := u.Table(name); ok {
			t.Errorf("%s has no user key but was discovered", name)
		}
	}
	note, _ := u.Table("UserNote")
	kinds := map[string]string{}
	for _, c := range note.Columns {
		kinds[c.Name] = c.DataType
		switch {
		case c.Identity:
			kinds[c.Name] += " identity"
		case c.Computed:
			kinds[c.Name] += " computed"
		}
		if !c.Writable() {
			kinds[c.Name] += " not writable"
		}
	}
	want := map[string]string{"NoteId": "int identity", "OwnerId": "int", "NoteText": "varbinary", "NoteSize": "bigint computed not writable",
		"CreatedAt": "datetime", "Version": "timestamp not writable"}
	for k, v := range want {
		if kinds[k] != v {
			t.Errorf("UserNote.%s: %q, want %q (all: %v)", k, kinds[k], v, kinds)
		}
	}
	// the primary keys, read from the live catalog (the evidence file's PRIMARY KEY lines)
	for name, want := range map[string]string{"Contact": "OwnerId,BuddyId", "ResourcePhone": "ResourceId,PhoneNum", "Resource": "ResourceId"} {
		if tb, ok := u.Table(name); !ok || strings.Join(tb.Key, ",") != want {
			t.Errorf("%s: primary key %v, want %s", name, tb, want)
		}
	}
	if id, ok := note.IdentityColumn(); !ok || id != "NoteId" {
		t.Errorf("identity column %q %v", id, ok)
	}
	if d := strings.Join(u.Describe(), "\n"); !strings.Contains(d, "  UserNote: owner side OwnerId (NoteId identity, NoteSize computed, Version timestamp)") {
		t.Errorf("Describe:\n%s", d)
	}
}

// Which user-key columns lead no index is measured from the live catalog
// (sys.index_columns), never assumed: on the evidence schema five do (its
// file indexes only the BuddyId columns besides the primary keys), on the
// reconstructed lync2013 none.
func TestMeasureKeyIndexes(t *testing.T) {
	cases := []struct {
		schema string
		want   []string
	}{
		{"lync2013-evidence", []string{"CachedContainerMember.MemberId", "ConferenceInvitee.EnterpriseId", "ContainerMemberUser.MemberId", "Delegate.DelegateId", "PromptedSubscriber.SubscriberId"}},
		{"lync2013", nil},
	}
	for _, c := range cases {
		t.Run(c.schema, func(t *testing.T) {
			env := testenv.RTC(t, c.schema)
			db := open(t, env, &recLog{})
			ctx := context.Background()
			v, err := db.Detect(ctx, &recLog{})
			if err != nil {
				t.Fatal(err)
			}
			cat, err := db.Check(ctx, rtcschema.For(v).Needs())
			if err != nil {
				t.Fatal(err)
			}
			u, err := db.DiscoverUserTables(ctx, cat)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.MeasureKeyIndexes(ctx, u); err != nil {
				t.Fatal(err)
			}
			if got := u.Unindexed(); strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("unindexed %v, want %v", got, c.want)
			}
			d := strings.Join(u.Describe(), "\n")
			if !strings.Contains(d, fmt.Sprintf("  indexes: measured from sys.index_columns: %d user-key columns lead no index", len(c.want))) {
				t.Errorf("Describe:\n%s", d)
			}
			if len(c.want) > 0 && !strings.Contains(d, "  Delegate: owner side OwnerId; other side DelegateId; no index leads DelegateId (each count scans the table)") {
				t.Errorf("Describe:\n%s", d)
			}
		})
	}
}
