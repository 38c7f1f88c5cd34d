package rtcclient

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// recLog records what the client logs.
type recLog struct{ lines []string }

func (l *recLog) Warnf(f string, a ...any)  { l.lines = append(l.lines, "WARN "+fmt.Sprintf(f, a...)) }
func (l *recLog) Infof(f string, a ...any)  { l.lines = append(l.lines, "INFO "+fmt.Sprintf(f, a...)) }
func (l *recLog) Debugf(f string, a ...any) { l.lines = append(l.lines, "DEBUG "+fmt.Sprintf(f, a...)) }

func open(t *testing.T, env testenv.RTCEnv, log Logger) *DB {
	t.Helper()
	pw := env.Password
	cfg := Config{Auth: AuthSQL, User: env.User, PasswordFunc: func() (string, error) { return pw, nil }}
	db, err := Open(context.Background(), cfg, env.Addr, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Detection logs Cisco's probes in Cisco's order and decides per SPEC 6;
// the version's own tables, procedures and parameters pass the check.
func TestDetectAndCheck(t *testing.T) {
	found := map[rtcschema.Version][]string{ // what each rtcsim schema holds, as the probes see it
		rtcschema.OCS2007:  {"Found", "Found", "Found", "Found", "No result", "No result"},
		rtcschema.Lync2010: {"Found", "No result", "Found", "Found", "Found", "No result"},
		rtcschema.Lync2013: {"Found", "No result", "Found", "No result", "Found", "Found"},
	}
	for _, v := range rtcschema.Versions {
		t.Run(string(v), func(t *testing.T) {
			env := testenv.RTC(t, string(v))
			log := &recLog{}
			db := open(t, env, log)
			if !strings.HasPrefix(log.lines[0], "INFO Attempting to Open connection with String : server="+db.Server+";database=rtc;user id=sa;") ||
				strings.Contains(strings.Join(log.lines, "\n"), env.Password) || log.lines[1] != "INFO Connection Opened Ok" {
				t.Errorf("connection lines %q", log.lines)
			}
			log.lines = nil
			got, err := db.Detect(context.Background(), log)
			if err != nil || got != v || db.Version != v {
				t.Fatalf("Detect = %s, %v; want %s", got, err, v)
			}
			var probes []string
			for i, l := range log.lines {
				if strings.HasPrefix(l, "DEBUG SQL is [") {
					probes = append(probes, strings.TrimPrefix(l, "DEBUG "))
					res := strings.TrimPrefix(log.lines[i+1], "DEBUG ")
					if strings.HasPrefix(res, "Found id [") {
						res = "Found"
					}
					if want := found[v][len(probes)-1]; res != want {
						t.Errorf("%s: %s, want %s", probes[len(probes)-1], res, want)
					}
				}
			}
			if len(probes) != 6 || probes[0] != "SQL is [SELECT id FROM sysobjects WHERE name = 'Resource']" ||
				probes[5] != "SQL is [SELECT id FROM sysobjects WHERE name = 'ForestDirectory']" {
				t.Errorf("probes %q", probes)
			}
			s := rtcschema.For(v)
			cat, err := db.Check(context.Background(), s.Needs().With(contactRead))
			if err != nil {
				t.Fatal(err)
			}
			// The catalog holds every base table and every real column,
			// beyond the needed ones, in ordinal order.
			cols := cat.Columns("contact")
			if len(cols) != 4 || cols[2].Name != "DisplayName" || cols[2].Type() != "nvarchar(256)" || !cols[2].Nullable || cols[3].Nullable {
				t.Errorf("Contact columns %+v", cols)
			}
			if rt := cat.Columns("RtcItem"); len(rt) != 5 || rt[0].Name != "ItemId" || rt[0].DataType != "bigint" {
				t.Errorf("RtcItem columns %+v", rt)
			}
			if !cat.HasTable("Container") || !cat.HasTable("conferenceparticipant") || cat.HasTable("NoSuchTable") {
				t.Errorf("tables %v", cat.Tables)
			}
			// The procedures' one parameter, discovered.
			for _, p := range s.Procedures {
				if pi, ok := cat.Param(p); !ok || !strings.HasPrefix(pi.Name, "@_") || pi.Type() != "int" {
					t.Errorf("%s: parameter %+v %v", p.Name, pi, ok)
				}
			}
			// --check's report: every needed fact with its grade and the server's type.
			report := strings.Join(Report(s, s.Needs().With(contactRead), cat, true), "\n")
			for _, w := range []string{
				"version: " + string(v) + " (" + s.Name + ")",
				"   1. run dbo.RtcpDeleteHomedResourceTransaction (ResourceId)",
				"  Delegate (table): confirmed: Cisco's DeleteAccount log (Lync 2013): a table of its delete\n" +
					"    OwnerId      int             integer           reconstructed: the column that holds the user's ResourceId",
				"    DisplayName  nvarchar(256)   string or binary  reconstructed: Export-CsUserData's Contact DisplayName",
				"    UserAtHost   nvarchar(454)   string            confirmed: Get-CsUserContactList.ps1 (G. Bachar, Lync 2013)",
				"  dbo.RtcpDeleteHomedResourceTransaction (@_ResourceId int): " + s.Procedures[0].Fact.String(),
			} {
				if !strings.Contains(report, w) {
					t.Errorf("report lacks %q:\n%s", w, report)
				}
			}
		})
	}
}

// contactRead names every column of the contact tables the export reads.
var contactRead = rtcschema.SQL("SELECT {Resource.ResourceID}, {Resource.UserAtHost}, {ResourceDirectory.ResourceID}, " +
	"{ContactGroup.OwnerID}, {ContactGroup.GroupNumber}, {ContactGroup.DisplayName}, {ContactGroup.ExternalURI}, " +
	"{Contact.OwnerID}, {Contact.BuddyID}, {Contact.DisplayName}, " +
	"{ContactGroupAssoc.OwnerID}, {ContactGroupAssoc.BuddyID}, {ContactGroupAssoc.GroupNumber} FROM …")

// schemaVariant writes rtcsim's Lync 2013 schema with each old text replaced.
func schemaVariant(t *testing.T, pairs ...string) string {
	t.Helper()
	text, err := rtcsim.SchemaText("lync2013")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(text, pairs[i]) {
			t.Fatalf("schema lacks %q", pairs[i])
		}
		text = strings.Replace(text, pairs[i], pairs[i+1], 1)
	}
	p := filepath.Join(t.TempDir(), "s.sql")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// What the product does not read may differ: other lengths and types of
// the same family, binary names, extra columns and tables, another
// parameter name.
func TestCheckWantsFamilies(t *testing.T) {
	p := schemaVariant(t,
		"UserAtHost        NVARCHAR(454)", "UserAtHost        VARCHAR(300)",
		"OwnerId           INT            NOT NULL,\n    GroupNumber       INT            NOT NULL,\n    DisplayName       NVARCHAR(256)  NOT NULL,\n    ExternalUri       NVARCHAR(2048) NULL,",
		"OwnerId           BIGINT         NOT NULL,\n    GroupNumber       TINYINT        NOT NULL,\n    DisplayName       VARBINARY(512) NOT NULL,\n    ExternalUri       VARBINARY(MAX) NULL,\n    Extra             DATETIME       NULL,",
		"DisplayName       NVARCHAR(256)  NULL,\n    SubscribePresence BIT", "DisplayName       BINARY(64)     NULL,\n    SubscribePresence INT",
		"(@_ResourceId INT)", "(@_OwnerId SMALLINT)",
		"CREATE TABLE dbo.PublishedInstance (", "CREATE TABLE dbo.PublishedStaticInstance (",
		"PublishedInstance(PublisherId)", "PublishedStaticInstance(PublisherId)",
	)
	db := open(t, testenv.RTC(t, p), &recLog{})
	s := rtcschema.For(rtcschema.Lync2013)
	cat, err := db.Check(context.Background(), s.Needs().With(contactRead))
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := cat.Column(rtcschema.ContactGroup.DisplayName); c.Type() != "varbinary(512)" {
		t.Errorf("ContactGroup.DisplayName %+v", c)
	}
	if c, _ := cat.Column(rtcschema.ContactGroup.ExternalURI); c.Type() != "varbinary(max)" {
		t.Errorf("ContactGroup.ExternalUri %+v", c)
	}
	if pi, _ := cat.Param(s.Procedures[0]); pi.Name != "@_OwnerId" || pi.Type() != "smallint" {
		t.Errorf("parameter %+v", pi)
	}
}

// Every problem is named, all at once: a missing table, a missing column, a
// wrong family, a procedure missing or with other than one integer input.
func TestCheckNamesEveryProblem(t *testing.T) {
	p := schemaVariant(t,
		"CREATE TABLE dbo.ResourceDirectory (\n    ResourceId        INT ", "CREATE TABLE dbo.ResourceDirectory (\n    ResourceId        NVARCHAR(20) ",
		"CREATE TABLE dbo.Delegate (", "CREATE TABLE dbo.Delegates (",
		"ON dbo.Delegate (", "ON dbo.Delegates (", // its index follows the table
		"    DisplayName       NVARCHAR(256)  NULL,\n    SubscribePresence", "    Nickname          NVARCHAR(256)  NULL,\n    SubscribePresence",
		"    GroupNumber       INT            NOT NULL,\n    PRIMARY KEY (OwnerId, BuddyId, GroupNumber)", "    GroupNumber       UNIQUEIDENTIFIER NOT NULL,\n    PRIMARY KEY (OwnerId, BuddyId, GroupNumber)",
		"(@_EnterpriseId INT)", "(@_EnterpriseId BIGINT, @_Extra INT)",
		"(@_ResourceId INT)", "(@_ResourceId NVARCHAR(10))",
	)
	// An output parameter, in another copy: the same procedure cannot be broken twice.
	out := schemaVariant(t, "(@_EnterpriseId INT)", "(@_EnterpriseId INT OUTPUT)")
	_, err := open(t, testenv.RTC(t, out), &recLog{}).Check(context.Background(), rtcschema.For(rtcschema.Lync2013).Needs())
	if want := "procedure RtcpDeleteConferenceParticipantByEnterpriseId: parameter @_EnterpriseId is an output parameter (INOUT), want an input parameter"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("output parameter: %v, want %q", err, want)
	}
	db := open(t, testenv.RTC(t, p), &recLog{})
	s := rtcschema.For(rtcschema.Lync2013)
	n := s.Needs().With(contactRead)
	n.Procedures = append(n.Procedures, rtcschema.Procedure{Name: "dbo.NoSuchProc"})
	_, err = db.Check(context.Background(), n)
	var se *SchemaError
	if !errors.As(err, &se) {
		t.Fatalf("err %v, want a SchemaError", err)
	}
	want := []string{
		"table Delegate missing",
		"column ResourceDirectory.ResourceId is nvarchar(20), want an integer type (int, bigint, smallint, tinyint)",
		"column Contact.DisplayName missing",
		"column ContactGroupAssoc.GroupNumber is uniqueidentifier, want an integer type (int, bigint, smallint, tinyint)",
		"procedure dbo.RtcpDeleteHomedResourceTransaction: parameter @_ResourceId is nvarchar(10), want an integer type (int, bigint, smallint, tinyint)",
		"procedure RtcpDeleteConferenceParticipantByEnterpriseId has 2 parameters (@_EnterpriseId bigint, @_Extra int), want exactly one integer input parameter (the user's ResourceId)",
		"procedure dbo.NoSuchProc missing",
	}
	if strings.Join(se.Problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(se.Problems, "\n"), strings.Join(want, "\n"))
	}
}

// A database without Resource is not rtc: detection stops after that probe.
func TestDetectNotRTC(t *testing.T) {
	text, _ := rtcsim.SchemaText("lync2013")
	text = strings.Replace(text, "CREATE TABLE dbo.Resource (", "CREATE TABLE dbo.Ressource (", 1)
	p := filepath.Join(t.TempDir(), "s.sql")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	log := &recLog{}
	db := open(t, testenv.RTC(t, p), log)
	log.lines = nil
	if _, err := db.Detect(context.Background(), log); !errors.Is(err, rtcschema.ErrNotRTC) {
		t.Fatalf("err %v, want ErrNotRTC", err)
	}
	if len(log.lines) != 2 || log.lines[1] != "DEBUG No result" {
		t.Errorf("log %q: want the Resource probe only", log.lines)
	}
}

// A wrong password fails Open with the server named and no password shown.
func TestOpenWrongPassword(t *testing.T) {
	env := testenv.RTC(t, "lync2013")
	cfg := Config{Auth: AuthSQL, User: env.User, PasswordFunc: func() (string, error) { return "wrong-Secret-9", nil }}
	_, err := Open(context.Background(), cfg, env.Addr, &recLog{})
	if err == nil || !strings.Contains(err.Error(), "connect to 127.0.0.1,") || strings.Contains(err.Error(), "wrong-Secret-9") {
		t.Errorf("err %v", err)
	}
}

// EachIn splices the IN list's placeholders where the text says and hands
// over every row; each address is a parameter, matched as the rtc collation
// does (any case).
func TestEachIn(t *testing.T) {
	db := open(t, testenv.RTC(t, "lync2013", "sample"), &recLog{})
	q := rtcschema.SQL("SELECT {Resource.ResourceID} FROM {Resource} WHERE {Resource.UserAtHost} IN (%s) ORDER BY {Resource.ResourceID}")
	var got []int64
	err := db.EachIn(context.Background(), q.Text, []any{"ANN@foo.com", "dave@foo.com", "nobody@foo.com", "x') OR 1=1 --"}, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		got = append(got, id)
		return err
	})
	if err != nil || fmt.Sprint(got) != "[1001 1004]" {
		t.Errorf("EachIn: %v, %v; want [1001 1004]", got, err)
	}
}
