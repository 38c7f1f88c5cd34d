package rtcsim

import (
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// The evidence schema as INFORMATION_SCHEMA shows it to a client: what the
// tests below expect is written by hand from SPEC 7.1, the evidence file and
// SQL Server 2005's view definitions (alias types show their base type as
// DATA_TYPE and their own name as DOMAIN_NAME; rowversion shows timestamp).
func TestEvidenceSchemaColumns(t *testing.T) {
	_, addr := startServer(t, "lync2013-evidence")
	db := openClient(t, addr, "")
	want := map[string][]string{
		"ResourceDirectory": {"ResourceId int - NO ResourceId", "UserPrincipalName nvarchar 256 YES -", "AdUserSid varbinary 85 YES -",
			"InsertTime datetime - NO -", "UpdateTime datetime - NO -", "Enabled bit - NO -", "SmtpUserAtHost nvarchar 320 YES -",
			"AdDisplayName nvarchar 512 YES -", "RoutingGroupId uniqueidentifier - YES -"},
		"ContactGroup": {"OwnerId int - NO ResourceId", "GroupNumber int - NO -", "DisplayName varbinary 512 NO -",
			"ExternalUri varbinary 1024 YES -", "Version timestamp - NO -"},
		"Contact": {"OwnerId int - NO ResourceId", "BuddyId int - NO ResourceId", "DisplayName varbinary 512 YES -",
			"SubscribePresence bit - NO -", "ContactExtension varbinary -1 YES -"},
		"ResourcePhone":           {"ResourceId int - NO ResourceId", "PhoneNum nvarchar 128 NO -"},
		"HomedResource":           {"ResourceId int - NO ResourceId", "Unavailable bit - NO -", "VersionContact int - NO -"},
		"PublishedStaticInstance": {"PublisherId int - NO ResourceId", "CategoryId int - NO -", "ContainerNum int - NO -", "InstanceNum bigint - NO -", "Data varbinary -1 YES -", "DataSize bigint - YES -"},
		"UserNote":                {"NoteId int - NO -", "OwnerId int - NO ResourceId", "NoteText varbinary -1 YES -", "NoteSize bigint - YES -", "CreatedAt datetime - NO -", "Version timestamp - NO -"},
	}
	for table, cols := range want {
		rows, err := db.QueryContext(ctxT(t), `SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE, DOMAIN_NAME, ORDINAL_POSITION
			FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'dbo' AND TABLE_NAME = @p1 ORDER BY ORDINAL_POSITION`, table)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var col, typ, nullable string
			var max sql.NullInt64
			var domain sql.NullString
			var ord int
			if err := rows.Scan(&col, &typ, &max, &nullable, &domain, &ord); err != nil {
				t.Fatal(err)
			}
			m, d := "-", "-"
			if max.Valid {
				m = fmt.Sprint(max.Int64)
			}
			if domain.Valid {
				d = domain.String
			}
			got = append(got, fmt.Sprintf("%s %s %s %s %s", col, typ, m, nullable, d))
			if ord != len(got) {
				t.Errorf("%s.%s ordinal %d", table, col, ord)
			}
		}
		rows.Close()
		if !reflect.DeepEqual(got, cols) {
			t.Errorf("%s columns\n got %q\nwant %q", table, got, cols)
		}
	}
	// No PublishedInstance (the evidence sees PublishedStaticInstance only); the version probes.
	for table, found := range map[string]bool{"PublishedInstance": false, "Resource": true, "Endpoint": false, "Container": true,
		"HomedResource": true, "CertificateStore": true, "ForestDirectory": true, "UserNote": true} {
		var id int
		err := db.QueryRowContext(ctxT(t), "SELECT id FROM sysobjects WHERE name = @p1", table).Scan(&id)
		if (err == nil) != found || (err != nil && err != sql.ErrNoRows) {
			t.Errorf("sysobjects %s: found %v (%v), want %v", table, err == nil, err, found)
		}
	}
}

func TestEvidenceSchemaParameters(t *testing.T) {
	_, addr := startServer(t, "lync2013-evidence")
	db := openClient(t, addr, "")
	rows, err := db.QueryContext(ctxT(t), `SELECT SPECIFIC_NAME, ORDINAL_POSITION, PARAMETER_MODE, IS_RESULT, PARAMETER_NAME, DATA_TYPE,
		CHARACTER_MAXIMUM_LENGTH, USER_DEFINED_TYPE_NAME FROM INFORMATION_SCHEMA.PARAMETERS ORDER BY SPECIFIC_NAME, ORDINAL_POSITION`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var proc, mode, result, name, typ string
		var pos int
		var max sql.NullInt64
		var udt sql.NullString
		if err := rows.Scan(&proc, &pos, &mode, &result, &name, &typ, &max, &udt); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %d %s %s %s %s %v %s", proc, pos, mode, result, name, typ, max.Int64, udt.String))
	}
	rows.Close()
	want := []string{
		"RtcDeleteResource 1 IN NO @_UserAtHost nvarchar 256 ",
		"RtcpDeleteConferenceParticipantByEnterpriseId 1 IN NO @_EnterpriseIdentity int 0 ResourceId",
		"RtcpDeleteHomedResourceTransaction 1 IN NO @_ResourceIdentity int 0 ResourceId",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parameters\n got %q\nwant %q", got, want)
	}
	// An OUTPUT parameter is INOUT.
	s, err := ParseSchema("CREATE TABLE T (a INT);\n-- PROCEDURE dbo.P (@_a INT, @_b NVARCHAR(10) OUTPUT)\n")
	if err != nil || !s.Procs[0].Params[1].Output || s.Procs[0].Params[0].Output {
		t.Errorf("OUTPUT parameter parsed as %+v, %v", s, err)
	}
}

// The product learns which columns an undo may write from COLUMNPROPERTY
// over INFORMATION_SCHEMA.COLUMNS (SPEC 6.1).
func TestColumnProperty(t *testing.T) {
	_, addr := startServer(t, "lync2013-evidence")
	db := openClient(t, addr, "")
	for _, form := range []string{
		"COLUMNPROPERTY(OBJECT_ID(TABLE_SCHEMA + '.' + TABLE_NAME), COLUMN_NAME, 'IsIdentity'), COLUMNPROPERTY(OBJECT_ID(TABLE_SCHEMA + '.' + TABLE_NAME), COLUMN_NAME, 'IsComputed')",
		"COLUMNPROPERTY(OBJECT_ID(QUOTENAME(TABLE_SCHEMA) + '.' + QUOTENAME(TABLE_NAME)), COLUMN_NAME, 'isidentity') AS i, COLUMNPROPERTY(OBJECT_ID(QUOTENAME(TABLE_SCHEMA) + N'.' + QUOTENAME(TABLE_NAME)), COLUMN_NAME, 'IsComputed') c",
		"COLUMNPROPERTY(OBJECT_ID(TABLE_NAME), COLUMN_NAME, 'IsIdentity'), COLUMNPROPERTY(OBJECT_ID(@p2), COLUMN_NAME, 'IsComputed')",
		"COLUMNPROPERTY(OBJECT_ID(c.TABLE_SCHEMA + '.' + c.TABLE_NAME), c.COLUMN_NAME, 'IsIdentity'), COLUMNPROPERTY(OBJECT_ID(c.TABLE_SCHEMA + '.' + c.TABLE_NAME), c.COLUMN_NAME, 'IsComputed')",
	} {
		rows, err := db.QueryContext(ctxT(t), "SELECT COLUMN_NAME, DATA_TYPE, "+form+
			" FROM INFORMATION_SCHEMA.COLUMNS c WHERE TABLE_NAME = @p1 ORDER BY ORDINAL_POSITION", "UserNote", "[rtc].[dbo].[UserNote]")
		if err != nil {
			t.Fatalf("%s: %v", form, err)
		}
		cts, _ := rows.ColumnTypes()
		if tn := cts[2].DatabaseTypeName(); tn != "INT" {
			t.Errorf("COLUMNPROPERTY column type %s, want INT", tn)
		}
		var got []string
		for rows.Next() {
			var col, typ string
			var ident, comp sql.NullInt64
			if err := rows.Scan(&col, &typ, &ident, &comp); err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%s %s %d %d", col, typ, ident.Int64, comp.Int64))
		}
		rows.Close()
		want := []string{"NoteId int 1 0", "OwnerId int 0 0", "NoteText varbinary 0 0", "NoteSize bigint 0 1", "CreatedAt datetime 0 0", "Version timestamp 0 0"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s\n got %q\nwant %q", form, got, want)
		}
	}
	// Unknown column or object: NULL, as SQL Server answers invalid input.
	var v sql.NullInt64
	if err := db.QueryRowContext(ctxT(t), "SELECT COLUMNPROPERTY(OBJECT_ID('dbo.UserNote'), 'Nope', 'IsIdentity')").Scan(&v); err != nil || v.Valid {
		t.Errorf("unknown column: %v, %v", v, err)
	}
	if err := db.QueryRowContext(ctxT(t), "SELECT COLUMNPROPERTY(OBJECT_ID('other.UserNote'), 'NoteId', 'IsIdentity')").Scan(&v); err != nil || v.Valid {
		t.Errorf("other schema: %v, %v", v, err)
	}
}

func TestObjectID(t *testing.T) {
	_, addr := startServer(t, "lync2013-evidence")
	db := openClient(t, addr, "")
	var want int
	if err := db.QueryRowContext(ctxT(t), "SELECT id FROM sysobjects WHERE name = 'UserNote'").Scan(&want); err != nil {
		t.Fatal(err)
	}
	for name, ok := range map[string]bool{"UserNote": true, "usernote": true, "dbo.UserNote": true, "[dbo].[UserNote]": true,
		`"dbo"."UserNote"`: true, "rtc.dbo.UserNote": true, "rtc..UserNote": true, "[rtc].[dbo].[UserNote]": true,
		"guest.UserNote": false, "master.dbo.UserNote": false, "UserNotes": false, ".UserNote": false, "a.b.c.UserNote": false} {
		var id sql.NullInt64
		if err := db.QueryRowContext(ctxT(t), "SELECT OBJECT_ID(@p1)", name).Scan(&id); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if id.Valid != ok || (ok && int(id.Int64) != want) {
			t.Errorf("OBJECT_ID(%q) = %v, want found %v (%d)", name, id, ok, want)
		}
	}
	var id sql.NullInt64
	db.QueryRowContext(ctxT(t), "SELECT OBJECT_ID('dbo.UserNote', 'P')").Scan(&id)
	if id.Valid {
		t.Error("OBJECT_ID of a table with type P found it")
	}
	db.QueryRowContext(ctxT(t), "SELECT OBJECT_ID(N'dbo.RtcpDeleteHomedResourceTransaction', N'P')").Scan(&id)
	if !id.Valid {
		t.Error("OBJECT_ID of a procedure with type P not found")
	}
	var q string
	if err := db.QueryRowContext(ctxT(t), "SELECT QUOTENAME(@p1)", "a]b").Scan(&q); err != nil || q != "[a]]b]" {
		t.Errorf("QUOTENAME: %q %v", q, err)
	}
}

func TestObjectDefinition(t *testing.T) {
	for _, schema := range []string{"lync2013-evidence", "lync2013-evidence-unsafe", "lync2013"} {
		t.Run(schema, func(t *testing.T) {
			_, addr := startServer(t, schema)
			db := openClient(t, addr, "")
			def := func(name string) sql.NullString {
				t.Helper()
				rows, err := db.QueryContext(ctxT(t), "SELECT OBJECT_DEFINITION(OBJECT_ID(@p1))", name)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				cts, _ := rows.ColumnTypes()
				if n, ok := cts[0].Length(); cts[0].DatabaseTypeName() != "NVARCHAR" || !ok || n <= 4000 { // go-mssqldb: 1073741822 for max
					t.Errorf("OBJECT_DEFINITION's type %s(%d), want nvarchar(max)", cts[0].DatabaseTypeName(), n)
				}
				var v sql.NullString
				rows.Next()
				if err := rows.Scan(&v); err != nil {
					t.Fatal(err)
				}
				return v
			}
			home := def("dbo.RtcpDeleteHomedResourceTransaction")
			if bare := def("RtcpDeleteHomedResourceTransaction"); bare != home {
				t.Errorf("bare name %v, dbo. name %v", bare, home)
			}
			if def("dbo.RtcpDeleteConferenceParticipantByEnterpriseId").Valid || def("dbo.NoSuchProc").Valid || def("dbo.Contact").Valid {
				t.Error("an encrypted procedure, an unknown name or a table has a definition")
			}
			var routine sql.NullString
			if err := db.QueryRowContext(ctxT(t), "SELECT ROUTINE_DEFINITION FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = @p1",
				"RtcpDeleteHomedResourceTransaction").Scan(&routine); err != nil || routine != home {
				t.Errorf("ROUTINE_DEFINITION %v (%v), OBJECT_DEFINITION %v", routine, err, home)
			}
			switch schema {
			case "lync2013":
				if home.Valid {
					t.Errorf("the reconstructed schema declares no definition, got %q", home.String)
				}
			case "lync2013-evidence":
				if !strings.HasPrefix(home.String, "CREATE PROCEDURE [dbo].[RtcpDeleteHomedResourceTransaction]\r\n    @_ResourceIdentity ResourceId\r\nAS\r\n") ||
					!strings.Contains(home.String, "DELETE FROM dbo.UserNote WHERE OwnerId = @_ResourceIdentity") || strings.Contains(home.String, "BuddyId") {
					t.Errorf("definition %q", home.String)
				}
			case "lync2013-evidence-unsafe":
				if !strings.Contains(home.String, "DELETE FROM dbo.Contact WHERE BuddyId = @_ResourceIdentity") {
					t.Errorf("the unsafe definition lacks the BuddyId delete: %q", home.String)
				}
			}
		})
	}
}

// Whatever the subset does not serve is refused with an error, never
// passed to SQLite.
func TestCatalogFunctionRefusals(t *testing.T) {
	_, addr := startServer(t, "lync2013-evidence")
	db := openClient(t, addr, "")
	for _, q := range []string{
		"SELECT TABLE_SCHEMA + '.' + TABLE_NAME FROM INFORMATION_SCHEMA.TABLES",
		"SELECT COLUMNPROPERTY(OBJECT_ID('dbo.UserNote'), 'NoteId', 'Precision')",
		"SELECT COLUMNPROPERTY(OBJECT_ID('dbo.UserNote'), 'NoteId', @p1)",
		"SELECT OBJECTPROPERTY(OBJECT_ID('dbo.UserNote'), 'IsEncrypted')",
		"SELECT SCHEMA_NAME(1)",
		"SELECT name FROM sys.indexes",
		"SELECT definition FROM sys.sql_modules",
		"SET NOCOUNT ON",
		"SET IDENTITY_INSERT other.dbo.UserNote ON",
		"SELECT rtcsim_quotename('x')",
		"SELECT * FROM rtcsim_columns",
	} {
		_, err := db.ExecContext(ctxT(t), q, "IsIdentity")
		if err == nil {
			t.Errorf("%s: accepted", q)
			continue
		}
		mssqlError(t, err, ErrUnsupported)
	}
	if _, err := db.ExecContext(ctxT(t), "SELECT QUOTENAME()"); err == nil {
		t.Error("QUOTENAME() accepted")
	}
}

func TestIncludeAndExtend(t *testing.T) {
	unsafe, err := SchemaText("lync2013-evidence-unsafe")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSchema(unsafe)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := SchemaText("lync2013-evidence")
	b, _ := ParseSchema(base)
	if len(s.Tables) != len(b.Tables) || !strings.Contains(unsafe, base) {
		t.Errorf("the unsafe variant does not hold the evidence schema: %d tables, %d", len(s.Tables), len(b.Tables))
	}
	home := s.Proc("RtcpDeleteHomedResourceTransaction")
	got := fmt.Sprint(home.Touches[len(home.Touches)-2:])
	if got != "[{Contact BuddyId} {ContactGroupAssoc BuddyId}]" || len(home.Touches) != len(b.Proc(home.Name).Touches)+2 {
		t.Errorf("extended touches %v", home.Touches)
	}
	for _, tc := range []struct{ text, want string }{
		{"-- EXTEND PROCEDURE dbo.Nope\n", "no such procedure"},
		{"-- INCLUDE lync2013\n", "INCLUDE is resolved"},
		{"-- PROCEDURE dbo.P (@a INT)\n-- DEFINITION\n", "without text"},
		{"-- PROCEDURE dbo.P (@a INT)\n-- DEFINITION SOMETIMES\n", "DEFINITION ENCRYPTED"},
		{"-- PROCEDURE dbo.P (@a INT)\n-- DEFINITION ENCRYPTED\n-- | x\n", "without a DEFINITION line"},
		{"-- PROCEDURE dbo.P (@a INT)\n-- DEFINITION\n-- | x\n-- DEFINITION\n-- | y\n", "two DEFINITIONs"},
	} {
		if _, err := ParseSchema(tc.text); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.want)
		}
	}
	if _, err := SchemaText("../../testdata/rtc/nosuch.sql"); err == nil || !strings.Contains(err.Error(), "not one of") {
		t.Errorf("missing file: %v", err)
	}
}

// sample.sql in the reconstructed lync2013 and evidence-sample.sql in the
// evidence schema are the same users and contact lists: names as nvarchar
// there, UTF-8 bytes in varbinary here.
func TestEvidenceSampleMatchesSample(t *testing.T) {
	rec, _ := startServer(t, "lync2013", "sample")
	ev, _ := startServer(t, "lync2013-evidence", "evidence-sample")
	text := func(v any) any {
		if b, ok := v.([]byte); ok {
			if !utf8.Valid(b) {
				t.Errorf("not UTF-8: %x", b)
			}
			return string(b)
		}
		return v
	}
	for table, cols := range map[string][]string{
		"Resource":          {"ResourceId", "UserAtHost"},
		"ResourceDirectory": {"ResourceId", "AdDisplayName"},
		"ContactGroup":      {"OwnerId", "GroupNumber", "DisplayName", "ExternalUri"},
		"Contact":           {"OwnerId", "BuddyId", "DisplayName", "SubscribePresence"},
		"ContactGroupAssoc": {"OwnerId", "BuddyId", "GroupNumber"},
	} {
		a, _ := rec.DumpTable(ctxT(t), table)
		b, _ := ev.DumpTable(ctxT(t), table)
		if len(a) != len(b) || len(a) == 0 {
			t.Fatalf("%s: %d rows in lync2013, %d in the evidence schema", table, len(a), len(b))
		}
		for i := range a {
			for _, c := range cols {
				if x, y := a[i][c], text(b[i][c]); !reflect.DeepEqual(x, y) {
					t.Errorf("%s row %d %s: %#v in lync2013, %#v in the evidence schema", table, i, c, x, y)
				}
			}
		}
	}
}
