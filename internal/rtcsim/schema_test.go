package rtcsim

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Every short name serves testdata/rtc/<name>.sql of the repository: there
// is one copy (the module root package embeds it).
func TestShortNamesServeTestdata(t *testing.T) {
	for _, name := range SchemaNames {
		want, err := os.ReadFile(filepath.Join("..", "..", "testdata", "rtc", name+".sql"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := SchemaText(name)
		if err != nil {
			t.Fatal(err)
		}
		byPath, err := SchemaText(filepath.Join("..", "..", "testdata", "rtc", name+".sql"))
		if err != nil {
			t.Fatal(err)
		}
		if got != byPath {
			t.Errorf("%s: the short name and the path give different texts", name)
		}
		if !strings.Contains(string(want), "INCLUDE") && got != string(want) {
			t.Errorf("%s: SchemaText differs from testdata/rtc/%s.sql", name, name)
		}
		if _, err := ParseSchema(got); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The SPEC 7 contact tables are the same in every version.
func TestContactTablesIdenticalAcrossVersions(t *testing.T) {
	var first map[string]*Table
	for _, name := range ReconstructedSchemas {
		text, _ := SchemaText(name)
		s, err := ParseSchema(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tables := map[string]*Table{}
		for _, tn := range []string{"Resource", "ResourceDirectory", "ContactGroup", "Contact", "ContactGroupAssoc"} {
			if tables[tn] = s.Table(tn); tables[tn] == nil {
				t.Fatalf("%s lacks %s", name, tn)
			}
		}
		if first == nil {
			first = tables
		} else if !reflect.DeepEqual(first, tables) {
			t.Errorf("%s: contact tables differ from %s", name, ReconstructedSchemas[0])
		}
		for _, p := range []string{"RtcpDeleteHomedResourceTransaction", "RtcpDeleteConferenceParticipantByEnterpriseId"} {
			if s.Proc(p) == nil {
				t.Errorf("%s lacks procedure %s", name, p)
			}
		}
	}
	c := first["Contact"]
	if c.Column("SubscribePresence").Default != "1" || !reflect.DeepEqual(c.PrimaryKey, []string{"OwnerId", "BuddyId"}) {
		t.Errorf("Contact parsed as %+v", c)
	}
}

func TestParseSchemaErrors(t *testing.T) {
	tests := []struct{ text, want string }{
		{"CREATE TABLE T (a MONEY);", "not supported"},
		{"CREATE TABLE T (a INT)", "without ';'"},
		{"CREATE TABLE T (a INT); CREATE TABLE t (b INT);", "declared twice"},
		{"CREATE TABLE T (a INT, PRIMARY KEY (b));", "key column b"},
		{"CREATE VIEW V AS SELECT 1;", "CREATE VIEW"},
		{"DROP TABLE T;", "only CREATE"},
		{"CREATE TABLE T (a NVARCHAR(5000));", "bad length"},
		{"CREATE TABLE T (a INT DEFAULT NEWID());", "not supported"},
		{"-- TOUCHES T(a)\nCREATE TABLE T (a INT);", "without a PROCEDURE"},
		{"-- PROCEDURE dbo.P (@a INT)\n-- TOUCHES U(a)\nCREATE TABLE T (a INT);", "unknown table U"},
		{"-- PROCEDURE dbo.P (@a INT)\n-- TOUCHES T(b)\nCREATE TABLE T (a INT);", "has no column b"},
		{"-- PROCEDURE dbo.P (a INT)\nCREATE TABLE T (a INT);", "want a @parameter"},
		{"CREATE INDEX ix ON U (a);", "unknown table U"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			_, err := ParseSchema(tc.text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestParseSQLType(t *testing.T) {
	tests := []struct {
		in, str, decl string
	}{
		{"INT", "int", "INT"},
		{"nvarchar(454)", "nvarchar(454)", "NVARCHAR(454)"},
		{"NVARCHAR(MAX)", "nvarchar(max)", "NVARCHAR(-1)"},
		{"VARBINARY(-1)", "varbinary(max)", "VARBINARY(-1)"},
		{"datetime2", "datetime2", "DATETIME2(7)"},
		{"DATETIME2(3)", "datetime2(3)", "DATETIME2(3)"},
		{"char", "char(1)", "CHAR(1)"},
		{"uniqueidentifier", "uniqueidentifier", "UNIQUEIDENTIFIER"},
	}
	for _, tc := range tests {
		typ, err := ParseSQLType(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if typ.String() != tc.str || typ.sqliteDecl() != tc.decl {
			t.Errorf("%s: %s / %s, want %s / %s", tc.in, typ, typ.sqliteDecl(), tc.str, tc.decl)
		}
		back, err := ParseSQLType(typ.sqliteDecl())
		if err != nil || back != typ {
			t.Errorf("%s: decl does not parse back: %v %v", tc.in, back, err)
		}
	}
	for _, bad := range []string{"NCHAR(MAX)", "INT(4)", "DECIMAL(10,2)", "NVARCHAR(0)", "DATETIME2(8)"} {
		if _, err := ParseSQLType(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestReopenExistingDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rtc.sqlite")
	s, err := Open(Options{Schema: "lync2010", DBPath: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SeedFile(context.Background(), filepath.Join("..", "..", "testdata", "rtc", "sample.sql")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Reopened with another schema name: the stored schema wins, the data is kept.
	s, err = Open(Options{Schema: "lync2013", DBPath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Schema().Table("HomedResource") == nil || s.Schema().Table("ForestDirectory") != nil {
		t.Error("reopened database lost its lync2010 schema")
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM Resource"); n != 6 {
		t.Errorf("%d Resource rows after reopen", n)
	}
	// The file is plain SQLite with the tables under their plain names.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var user string
	if err := db.QueryRow("SELECT UserAtHost FROM Resource WHERE ResourceId = 1001").Scan(&user); err != nil || user != "ann@foo.com" {
		t.Errorf("plain sqlite read: %q %v", user, err)
	}

	foreign := filepath.Join(t.TempDir(), "other.sqlite")
	fdb, _ := sql.Open("sqlite", foreign)
	fdb.Exec("CREATE TABLE x (a)")
	fdb.Close()
	if _, err := Open(Options{Schema: "lync2013", DBPath: foreign}); err == nil || !strings.Contains(err.Error(), "did not create") {
		t.Errorf("foreign database: %v", err)
	}
}

func TestSeedErrors(t *testing.T) {
	s, err := Open(Options{Schema: "lync2013", DBPath: filepath.Join(t.TempDir(), "rtc.sqlite")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	err = s.Seed(ctx, "x.sql", "INSERT INTO Resource (ResourceId, UserAtHost) VALUES (1, N'a@b');\nINSERT INTO Nope VALUES (1);")
	if err == nil || !strings.Contains(err.Error(), "x.sql statement 2") || !strings.Contains(err.Error(), "Invalid object name") {
		t.Errorf("error %v", err)
	}
	if n := countRows(t, s, "SELECT COUNT(*) FROM Resource"); n != 0 {
		t.Errorf("a failed seed left %d rows", n)
	}
	if err := s.Seed(ctx, "y.sql", "MERGE INTO Resource USING x ON 1 = 1;"); err == nil {
		t.Error("MERGE seeded")
	}
	stmts, err := SplitStatements("INSERT INTO T VALUES (N'a;b'); -- c;\n/* ; */ INSERT INTO [x;y] VALUES (1)\n-- trailing")
	if err != nil || len(stmts) != 2 || !strings.Contains(stmts[1], "/* ; */ INSERT INTO [x;y] VALUES (1)") {
		t.Errorf("SplitStatements = %q, %v", stmts, err)
	}
}

func TestPopulate(t *testing.T) {
	s, err := Open(Options{Schema: "lync2013", DBPath: filepath.Join(t.TempDir(), "rtc.sqlite")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Populate(context.Background(), Population{Users: 50, Contacts: 10, Domain: "x.com"}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{
		"SELECT COUNT(*) FROM Resource":                                  50,
		"SELECT COUNT(*) FROM Contact":                                   500,
		"SELECT COUNT(*) FROM ContactGroupAssoc":                         500,
		"SELECT COUNT(*) FROM ContactGroup WHERE DisplayName = '~'":      50,
		"SELECT COUNT(*) FROM Contact WHERE OwnerId = BuddyId":           0,
		"SELECT COUNT(*) FROM Resource WHERE UserAtHost = 'USER7@X.COM'": 1,
	} {
		if got := countRows(t, s, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	if err := s.Populate(context.Background(), Population{Users: 5, Contacts: 5}); err == nil {
		t.Error("5 contacts among 5 users accepted")
	}
}
