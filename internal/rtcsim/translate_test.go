package rtcsim

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestTranslate(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		params []string
	}{
		{"SELECT 1;", "SELECT 1", nil},
		{"select UserAtHost from Resource", `SELECT "UserAtHost" FROM "Resource"`, nil},
		{"SELECT ResourceId FROM rtc.dbo.Resource WHERE UserAtHost = @p1",
			`SELECT "ResourceId" FROM "Resource" WHERE "UserAtHost" = ?1`, []string{"@p1"}},
		{"SELECT [ResourceId] FROM [rtc].[dbo].[Resource] WITH (NOLOCK) WHERE [UserAtHost] = @sip",
			`SELECT "ResourceId" FROM "Resource" WHERE "UserAtHost" = ?1`, []string{"@sip"}},
		{"SELECT x FROM rtc..Resource", `SELECT "x" FROM "Resource"`, nil},
		{"SELECT TOP 1 UserAtHost FROM dbo.Resource ORDER BY ResourceId DESC",
			`SELECT "UserAtHost" FROM "Resource" ORDER BY "ResourceId" DESC LIMIT 1`, nil},
		{"SELECT DISTINCT TOP (5) OwnerId FROM Contact", `SELECT DISTINCT "OwnerId" FROM "Contact" LIMIT 5`, nil},
		{"SELECT TOP (@n) OwnerId FROM Contact WHERE BuddyId = @b",
			`SELECT "OwnerId" FROM "Contact" WHERE "BuddyId" = ?2 LIMIT ?1`, []string{"@n", "@b"}},
		{"SELECT a FROM T WHERE b IN (SELECT TOP 2 c FROM U WHERE d IN (1, 2) ORDER BY c) ORDER BY a",
			`SELECT "a" FROM "T" WHERE "b" IN ( SELECT "c" FROM "U" WHERE "d" IN ( 1 , 2 ) ORDER BY "c" LIMIT 2 ) ORDER BY "a"`, nil},
		{"SELECT r.ResourceId, c.* FROM Resource r INNER JOIN Contact AS c ON c.OwnerId = r.ResourceId LEFT OUTER JOIN ContactGroupAssoc a ON a.OwnerId = c.OwnerId",
			`SELECT "r"."ResourceId" , "c".* FROM "Resource" "r" INNER JOIN "Contact" AS "c" ON "c"."OwnerId" = "r"."ResourceId" LEFT OUTER JOIN "ContactGroupAssoc" "a" ON "a"."OwnerId" = "c"."OwnerId"`, nil},
		{"SELECT OwnerId, COUNT(*) AS n FROM Contact GROUP BY OwnerId HAVING COUNT(*) > 1",
			`SELECT "OwnerId" , COUNT ( * ) AS "n" FROM "Contact" GROUP BY "OwnerId" HAVING COUNT ( * ) > 1`, nil},
		{"SELECT ISNULL(DisplayName, N'it''s') FROM Contact", `SELECT IFNULL ( "DisplayName" , 'it''s' ) FROM "Contact"`, nil},
		{"SELECT COUNT_BIG(*) FROM Contact -- comment\n/* block */", `SELECT COUNT ( * ) FROM "Contact"`, nil},
		{"SELECT id FROM sysobjects WHERE name = 'Resource'", `SELECT "id" FROM rtcsim_sysobjects WHERE "name" = 'Resource'`, nil},
		{"SELECT id FROM dbo.sysobjects WHERE name = @p1 AND xtype = 'U'", `SELECT "id" FROM rtcsim_sysobjects WHERE "name" = ?1 AND "xtype" = 'U'`, []string{"@p1"}},
		{"SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = @p1 ORDER BY ORDINAL_POSITION",
			`SELECT "COLUMN_NAME" , "DATA_TYPE" FROM rtcsim_is_columns WHERE "TABLE_NAME" = ?1 ORDER BY "ORDINAL_POSITION"`, []string{"@p1"}},
		{"SELECT * FROM rtc.INFORMATION_SCHEMA.ROUTINES", `SELECT * FROM rtcsim_is_routines`, nil},
		{"SELECT PARAMETER_NAME FROM INFORMATION_SCHEMA.PARAMETERS", `SELECT "PARAMETER_NAME" FROM rtcsim_is_parameters`, nil},
		{"SELECT TABLE_NAME FROM information_schema.tables", `SELECT "TABLE_NAME" FROM rtcsim_is_tables`, nil},
		{"DELETE FROM dbo.CachedContainerMember WHERE OwnerId = @p1",
			`DELETE FROM "CachedContainerMember" WHERE "OwnerId" = ?1`, []string{"@p1"}},
		{"DELETE Delegate WHERE OwnerId = @P1", `DELETE FROM "Delegate" WHERE "OwnerId" = ?1`, []string{"@p1"}},
		{"DELETE a FROM ContactGroupAssoc a JOIN Resource r ON r.ResourceId = a.OwnerId WHERE r.UserAtHost = @p1",
			`DELETE FROM "ContactGroupAssoc" WHERE rowid IN ( SELECT "a" .rowid FROM "ContactGroupAssoc" "a" JOIN "Resource" "r" ON "r"."ResourceId" = "a"."OwnerId" WHERE "r"."UserAtHost" = ?1 )`, []string{"@p1"}},
		{"INSERT INTO Resource (ResourceId, UserAtHost) VALUES (@p1, @p2), (@p3, N'x@y')",
			`INSERT INTO "Resource" ( "ResourceId" , "UserAtHost" ) VALUES ( ?1 , ?2 ) , ( ?3 , 'x@y' )`, []string{"@p1", "@p2", "@p3"}},
		{"INSERT dbo.RtcItem (ItemId, ItemData) VALUES (1, 0xABC)", `INSERT INTO "RtcItem" ( "ItemId" , "ItemData" ) VALUES ( 1 , X'0ABC' )`, nil},
		{"INSERT INTO Contact (OwnerId, BuddyId) SELECT @p1, @p2 WHERE NOT EXISTS (SELECT 1 FROM Contact WHERE OwnerId = @p1 AND BuddyId = @p2)",
			`INSERT INTO "Contact" ( "OwnerId" , "BuddyId" ) SELECT ?1 , ?2 WHERE NOT EXISTS ( SELECT 1 FROM "Contact" WHERE "OwnerId" = ?1 AND "BuddyId" = ?2 )`, []string{"@p1", "@p2"}},
		{"UPDATE Contact SET DisplayName = @p1 WHERE OwnerId = @p2", `UPDATE "Contact" SET "DisplayName" = ?1 WHERE "OwnerId" = ?2`, []string{"@p1", "@p2"}},
		{"SELECT @@VERSION, DB_NAME()", `SELECT ?1 , ?2`, []string{"@@version", "@@db_name"}},
		{"SELECT CASE WHEN a IS NULL THEN 0 ELSE 1 END FROM T WHERE b LIKE N'%x%' AND c BETWEEN 1 AND 2",
			`SELECT CASE WHEN "a" IS NULL THEN 0 ELSE 1 END FROM "T" WHERE "b" LIKE '%x%' AND "c" BETWEEN 1 AND 2`, nil},
		{"SELECT [Select] FROM [My Table]", `SELECT "Select" FROM "My Table"`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Translate(tc.in, "rtc")
			if err != nil {
				t.Fatalf("Translate: %v", err)
			}
			if got.SQL != tc.want {
				t.Errorf("SQL\n got %s\nwant %s", got.SQL, tc.want)
			}
			if !reflect.DeepEqual(got.Params, tc.params) {
				t.Errorf("params %v, want %v", got.Params, tc.params)
			}
		})
	}
}

func TestTranslateManyParams(t *testing.T) {
	names := make([]string, 2000)
	want := make([]string, 2000)
	for i := range names {
		names[i] = fmt.Sprintf("@p%d", i+1)
		want[i] = fmt.Sprintf("?%d", i+1)
	}
	q := "SELECT ResourceId FROM Resource WHERE UserAtHost IN (" + strings.Join(names, ", ") + ")"
	got, err := Translate(q, "rtc")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Params) != 2000 || !strings.HasSuffix(got.SQL, strings.Join(want, " , ")+" )") {
		t.Errorf("got %d params, SQL ends %q", len(got.Params), got.SQL[len(got.SQL)-40:])
	}
	names = append(names, make([]string, 101)...)
	for i := 2000; i < len(names); i++ {
		names[i] = fmt.Sprintf("@p%d", i+1)
	}
	_, err = Translate("SELECT 1 FROM Resource WHERE ResourceId IN ("+strings.Join(names, ",")+")", "rtc")
	assertSQLError(t, err, ErrTooManyParams)
}

func TestTranslateRefuses(t *testing.T) {
	tests := []struct {
		in     string
		number int32
	}{
		{"MERGE INTO Contact USING x ON 1 = 1", ErrUnsupported},
		{"DELETE FROM Contact OUTPUT deleted.* WHERE OwnerId = 1", ErrUnsupported},
		{"SELECT value FROM STRING_SPLIT(@p1, ',')", ErrUnsupported},
		{"SELECT * FROM OPENJSON(@p1)", ErrUnsupported},
		{"EXEC dbo.RtcpDeleteHomedResourceTransaction 1", ErrUnsupported},
		{"EXECUTE sp_who", ErrUnsupported},
		{"SELECT 1; SELECT 2", ErrUnsupported},
		{"DELETE FROM Contact WHERE OwnerId = 1; DELETE FROM ContactGroup WHERE OwnerId = 1", ErrUnsupported},
		{"SELECT * INTO #t FROM Contact", ErrUnsupported},
		{"SELECT * FROM #t", ErrUnsupported},
		{"CREATE TABLE x (a INT)", ErrUnsupported},
		{"DROP TABLE Contact", ErrUnsupported},
		{"TRUNCATE TABLE Contact", ErrUnsupported},
		{"BEGIN TRANSACTION", ErrUnsupported},
		{"COMMIT", ErrUnsupported},
		{"SET NOCOUNT ON", ErrUnsupported},
		{"DECLARE @x INT", ErrUnsupported},
		{"WITH c AS (SELECT 1 AS a) SELECT a FROM c", ErrUnsupported},
		{"SELECT a FROM T UNION SELECT b FROM U", ErrUnsupported},
		{"SELECT a FROM T ORDER BY a OFFSET 5 ROWS FETCH NEXT 5 ROWS ONLY", ErrUnsupported},
		{"SELECT a FROM T LIMIT 5", ErrUnsupported},
		{"SELECT TOP 10 PERCENT a FROM T", ErrUnsupported},
		{"SELECT TOP 1 WITH TIES a FROM T ORDER BY a", ErrUnsupported},
		{"DELETE TOP (10) FROM Contact", ErrUnsupported},
		{"UPDATE c SET DisplayName = N'x' FROM Contact c JOIN Resource r ON r.ResourceId = c.OwnerId", ErrUnsupported},
		{"SELECT CAST(a AS INT) FROM T", ErrUnsupported},
		{"SELECT CONVERT(INT, a) FROM T", ErrUnsupported},
		{"SELECT IIF(a = 1, 1, 0) FROM T", ErrUnsupported},
		{"SELECT ROW_NUMBER() OVER (ORDER BY a) FROM T", ErrUnsupported},
		{"SELECT a FROM T CROSS APPLY U", ErrUnsupported},
		{"SELECT a FROM T WITH (TABLOCKX)", ErrUnsupported},
		{"SELECT a FROM other.dbo.T", ErrUnsupported},
		{"SELECT name FROM sys.tables", ErrUnsupported},
		{"SELECT * FROM rtcsim_sysobjects", ErrUnsupported},
		{"DELETE FROM sysobjects", ErrUnsupported},
		{"SELECT a || b FROM T", ErrUnsupported},
		{"SELECT a FROM T WHERE b GLOB 'x*'", ErrUnsupported},
		{"INSERT OR REPLACE INTO T VALUES (1)", ErrUnsupported},
		{"SELECT rowid FROM Contact", ErrUnsupported},
		{"SELECT @@ROWCOUNT", ErrUnsupported},
		{"SELECT my_func(a) FROM T", ErrUnsupported},
		{"PRINT 'x'", ErrUnsupported},
		{"SELECT N'sip:' + UserAtHost FROM Resource", ErrUnsupported},
		{"SELECT UserAtHost + '@x' FROM Resource", ErrUnsupported},
		{"SELECT 'unclosed", 105},
		{"SELECT a FROM T WHERE b = @", ErrSyntax},
		{"", ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Translate(tc.in, "rtc")
			if err == nil {
				t.Fatalf("accepted as %s", got.SQL)
			}
			assertSQLError(t, err, tc.number)
		})
	}
}

func assertSQLError(t *testing.T, err error, number int32) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	if e.Number != number {
		t.Errorf("error %d %q, want number %d", e.Number, e.Message, number)
	}
	if number == ErrUnsupported && !strings.HasPrefix(e.Message, "rtcsim: unsupported T-SQL: ") {
		t.Errorf("message %q lacks the rtcsim prefix", e.Message)
	}
}
