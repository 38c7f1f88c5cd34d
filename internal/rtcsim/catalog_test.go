package rtcsim

import (
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// Cisco's version probe (SPEC 6): the expected answers are SPEC 6's
// decision table and Cisco's log on a Lync 2013 front end, written by hand.
func TestCiscoVersionProbe(t *testing.T) {
	probes := []string{"Resource", "Endpoint", "Container", "HomedResource", "CertificateStore", "ForestDirectory"}
	want := map[string][]bool{
		"ocs2007":  {true, true, true, true, false, false},
		"lync2010": {true, false, true, true, true, false},
		"lync2013": {true, false, true, false, true, true},
	}
	for _, name := range ReconstructedSchemas {
		t.Run(name, func(t *testing.T) {
			_, addr := startServer(t, name)
			db := openClient(t, addr, "")
			for i, table := range probes {
				var id int
				err := db.QueryRowContext(ctxT(t), "SELECT id FROM sysobjects WHERE name = '"+table+"'").Scan(&id)
				found := err == nil
				if err != nil && err != sql.ErrNoRows {
					t.Fatalf("probe %s: %v", table, err)
				}
				if found != want[name][i] {
					t.Errorf("probe %s: found %v, want %v", table, found, want[name][i])
				}
				if found && id == 0 {
					t.Errorf("probe %s: id 0", table)
				}
			}
		})
	}
}

func TestSysobjects(t *testing.T) {
	_, addr := startServer(t, "lync2013")
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	var id1, id2 int
	var xtype string
	if err := db.QueryRowContext(ctx, "SELECT id, xtype FROM dbo.sysobjects WHERE name = @p1", "rtcpdeletehomedresourcetransaction").Scan(&id1, &xtype); err != nil {
		t.Fatal(err)
	}
	if xtype != "P " { // char(2), padded as SQL Server pads it
		t.Errorf("xtype %q, want \"P \"", xtype)
	}
	if err := db.QueryRowContext(ctx, "SELECT id FROM sysobjects WHERE name = @p1 AND xtype = 'U'", "Contact").Scan(&id2); err != nil {
		t.Fatal(err)
	}
	if id1 == id2 || id1 == 0 || id2 == 0 {
		t.Errorf("ids %d %d", id1, id2)
	}
	var n int
	db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sysobjects WHERE xtype = 'P'").Scan(&n)
	if n != 2 {
		t.Errorf("%d procedures, want 2", n)
	}
}

// The SPEC 7 contact tables as INFORMATION_SCHEMA.COLUMNS must show them:
// written by hand from the SPEC's text.
func TestInformationSchemaColumns(t *testing.T) {
	want := map[string][]string{
		"Resource":          {"ResourceId int - NO", "UserAtHost nvarchar 454 NO"},
		"ResourceDirectory": {"ResourceId int - NO", "AdDisplayName nvarchar 256 YES"},
		"ContactGroup":      {"OwnerId int - NO", "GroupNumber int - NO", "DisplayName nvarchar 256 NO", "ExternalUri nvarchar 2048 YES"},
		"Contact":           {"OwnerId int - NO", "BuddyId int - NO", "DisplayName nvarchar 256 YES", "SubscribePresence bit - NO"},
		"ContactGroupAssoc": {"OwnerId int - NO", "BuddyId int - NO", "GroupNumber int - NO"},
	}
	for _, name := range ReconstructedSchemas {
		t.Run(name, func(t *testing.T) {
			_, addr := startServer(t, name)
			db := openClient(t, addr, "")
			for table, cols := range want {
				rows, err := db.QueryContext(ctxT(t), `SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE, ORDINAL_POSITION
					FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = @p1 AND TABLE_SCHEMA = 'dbo' ORDER BY ORDINAL_POSITION`, table)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for rows.Next() {
					var col, typ, nullable string
					var max sql.NullInt64
					var ord int
					if err := rows.Scan(&col, &typ, &max, &nullable, &ord); err != nil {
						t.Fatal(err)
					}
					m := "-"
					if max.Valid {
						m = fmt.Sprint(max.Int64)
					}
					got = append(got, fmt.Sprintf("%s %s %s %s", col, typ, m, nullable))
					if ord != len(got) {
						t.Errorf("%s.%s ordinal %d", table, col, ord)
					}
				}
				rows.Close()
				if !reflect.DeepEqual(got, cols) {
					t.Errorf("%s columns\n got %v\nwant %v", table, got, cols)
				}
			}
			var def sql.NullString
			db.QueryRowContext(ctxT(t), "SELECT COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'Contact' AND COLUMN_NAME = 'SubscribePresence'").Scan(&def)
			if def.String != "((1))" {
				t.Errorf("SubscribePresence default %q, want ((1))", def.String)
			}
		})
	}
}

func TestInformationSchemaTablesRoutinesParameters(t *testing.T) {
	s, addr := startServer(t, "lync2013")
	db := openClient(t, addr, "")
	ctx := ctxT(t)
	var tables []string
	rows, err := db.QueryContext(ctx, "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, must := range []string{"CachedContainerMember", "ContainerMemberUser", "PromptedSubscriber", "Delegate", "UserPolicy",
		"ResourcePhone", "RtcItem", "PUIDDirectory", "ResourceDirectory", "Resource", "Container", "CertificateStore", "ForestDirectory"} {
		if !containsFold(tables, must) {
			t.Errorf("INFORMATION_SCHEMA.TABLES lacks %s", must)
		}
	}
	if len(tables) != len(s.Schema().Tables) || containsFold(tables, "rtcsim_meta") {
		t.Errorf("tables %v", tables)
	}
	var routines []string
	rows, err = db.QueryContext(ctx, "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM INFORMATION_SCHEMA.ROUTINES ORDER BY ROUTINE_NAME")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n, typ string
		rows.Scan(&n, &typ)
		routines = append(routines, n+" "+typ)
	}
	rows.Close()
	want := []string{"RtcpDeleteConferenceParticipantByEnterpriseId PROCEDURE", "RtcpDeleteHomedResourceTransaction PROCEDURE"}
	if !reflect.DeepEqual(routines, want) {
		t.Errorf("routines %v, want %v", routines, want)
	}
	var pname, ptype string
	var pos int
	err = db.QueryRowContext(ctx, `SELECT PARAMETER_NAME, DATA_TYPE, ORDINAL_POSITION FROM INFORMATION_SCHEMA.PARAMETERS
		WHERE SPECIFIC_NAME = @p1 ORDER BY ORDINAL_POSITION`, "RtcpDeleteHomedResourceTransaction").Scan(&pname, &ptype, &pos)
	if err != nil || pname != "@_ResourceId" || ptype != "int" || pos != 1 {
		t.Errorf("parameter %q %q %d %v", pname, ptype, pos, err)
	}
	// Result metadata of the views is SQL Server's: ORDINAL_POSITION int, names nvarchar.
	rows, err = db.QueryContext(ctx, "SELECT TOP 1 ORDINAL_POSITION, COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH FROM INFORMATION_SCHEMA.COLUMNS")
	if err != nil {
		t.Fatal(err)
	}
	cts, _ := rows.ColumnTypes()
	rows.Close()
	var types []string
	for _, ct := range cts {
		types = append(types, ct.DatabaseTypeName())
	}
	if strings.Join(types, " ") != "INT NVARCHAR INT" {
		t.Errorf("view column types %v", types)
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// sys.index_columns with OBJECT_NAME and COL_NAME, as SQL Server 2005 answers
// them: the columns that lead an index (key_ordinal 1), primary keys included.
// The expectations are the lync2013 and evidence schema files' own
// PRIMARY KEY and CREATE INDEX lines, written here by hand.
func TestIndexColumns(t *testing.T) {
	const q = "SELECT OBJECT_NAME(object_id), COL_NAME(object_id, column_id), index_id FROM sys.index_columns WHERE key_ordinal = 1 AND is_included_column = 0"
	cases := []struct {
		schema      string
		leads, none []string // Table.Column that lead an index, and that lead none
	}{
		{"lync2013", []string{"Contact.OwnerId", "Contact.BuddyId", "ContactGroupAssoc.BuddyId", "Delegate.DelegateId", "ContainerMemberUser.MemberId", "RtcItem.ResourceId", "Resource.ResourceId"},
			[]string{"Contact.GroupNumber", "ContactGroupAssoc.GroupNumber"}},
		{"lync2013-evidence", []string{"Contact.BuddyId", "Delegate.OwnerId", "UserNote.OwnerId"},
			[]string{"Delegate.DelegateId", "ContainerMemberUser.MemberId", "PromptedSubscriber.SubscriberId", "ConferenceInvitee.EnterpriseId"}},
	}
	for _, c := range cases {
		t.Run(c.schema, func(t *testing.T) {
			_, addr := startServer(t, c.schema)
			db := openClient(t, addr, "")
			rows, err := db.QueryContext(ctxT(t), q)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			got := map[string]int{}
			for rows.Next() {
				var tn, cn sql.NullString
				var ix int
				if err := rows.Scan(&tn, &cn, &ix); err != nil {
					t.Fatal(err)
				}
				if !tn.Valid || !cn.Valid {
					t.Fatalf("NULL name: %v %v", tn, cn)
				}
				got[tn.String+"."+cn.String] = ix
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			for _, w := range c.leads {
				if _, ok := got[w]; !ok {
					t.Errorf("%s leads no index; got %v", w, got)
				}
			}
			for _, w := range c.none {
				if _, ok := got[w]; ok {
					t.Errorf("%s leads an index; want none", w)
				}
			}
			if got["Contact.OwnerId"] != 1 || got["Contact.BuddyId"] != 2 {
				t.Errorf("Contact: index_id %d (OwnerId), %d (BuddyId); want 1 (the primary key), 2 (IX_Contact_BuddyId)", got["Contact.OwnerId"], got["Contact.BuddyId"])
			}
		})
	}
}

// A table's primary key as INFORMATION_SCHEMA gives it (TABLE_CONSTRAINTS
// joined to KEY_COLUMN_USAGE, in key order), as SQL Server 2005 answers it;
// the expectations are the schema files' PRIMARY KEY lines.
func TestPrimaryKeyConstraints(t *testing.T) {
	const q = "SELECT k.TABLE_NAME, k.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS c " +
		"JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON k.CONSTRAINT_NAME = c.CONSTRAINT_NAME AND k.TABLE_NAME = c.TABLE_NAME " +
		"WHERE c.CONSTRAINT_TYPE = 'PRIMARY KEY' AND c.TABLE_SCHEMA = @p1 ORDER BY k.TABLE_NAME, k.ORDINAL_POSITION"
	want := map[string]map[string]string{
		"lync2013":          {"Contact": "OwnerId,BuddyId", "PublishedInstance": "PublisherId,ContainerNum,CategoryId,InstanceNum", "Resource": "ResourceId", "RtcItem": "ItemId"},
		"lync2013-evidence": {"Contact": "OwnerId,BuddyId", "PublishedStaticInstance": "PublisherId,CategoryId,ContainerNum,InstanceNum", "ResourcePhone": "ResourceId,PhoneNum"},
	}
	for schema, tables := range want {
		t.Run(schema, func(t *testing.T) {
			_, addr := startServer(t, schema)
			db := openClient(t, addr, "")
			rows, err := db.QueryContext(ctxT(t), q, "dbo")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			got := map[string][]string{}
			for rows.Next() {
				var tn, cn string
				if err := rows.Scan(&tn, &cn); err != nil {
					t.Fatal(err)
				}
				got[tn] = append(got[tn], cn)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			for tn, cols := range tables {
				if g := strings.Join(got[tn], ","); g != cols {
					t.Errorf("%s: primary key %q, want %q", tn, g, cols)
				}
			}
		})
	}
}
