package rtcclient

import (
	"context"
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
			cat, err := db.Check(context.Background(), s.Tables, s.Procedures)
			if err != nil {
				t.Fatal(err)
			}
			// The catalog holds every real column, beyond the declared ones.
			cols := cat.Columns("contact")
			if len(cols) != 4 || cols[2].Name != "DisplayName" || cols[2].DataType != "nvarchar" || cols[2].MaxLength != 256 {
				t.Errorf("Contact columns %+v", cols)
			}
			if tb, _ := s.Table("RtcItem"); len(cat.Columns("RtcItem")) <= len(tb.Columns) {
				t.Errorf("RtcItem columns %+v: the undeclared ones are missing", cat.Columns("RtcItem"))
			}
		})
	}
}

// Every difference is named, all at once.
func TestCheckNamesEveryProblem(t *testing.T) {
	text, err := rtcsim.SchemaText("lync2013")
	if err != nil {
		t.Fatal(err)
	}
	text = strings.Replace(text, "AdDisplayName     NVARCHAR(256)", "AdDisplayName     NVARCHAR(100)", 1)
	text = strings.Replace(text, "(@_EnterpriseId INT)", "(@_EnterpriseId BIGINT, @_Extra INT)", 1)
	p := filepath.Join(t.TempDir(), "s.sql")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	db := open(t, testenv.RTC(t, p), &recLog{})
	s := rtcschema.For(rtcschema.Lync2013)
	tables := append(s.Tables, rtcschema.Table{Name: "NoSuchTable", Key: []string{"Id"}, Columns: []rtcschema.Column{{Name: "Id", Type: "int"}}})
	procs := append(s.Procedures, rtcschema.Procedure{Name: "dbo.NoSuchProc", Params: []rtcschema.Param{{Name: "@_Id", Type: "int"}}})
	_, err = db.Check(context.Background(), tables, procs)
	var se *SchemaError
	if !errors.As(err, &se) {
		t.Fatalf("err %v, want a SchemaError", err)
	}
	want := []string{
		"column ResourceDirectory.AdDisplayName is nvarchar(100), want nvarchar(256)",
		"table NoSuchTable missing",
		"procedure RtcpDeleteConferenceParticipantByEnterpriseId: parameter @_EnterpriseId is bigint, want int",
		"procedure RtcpDeleteConferenceParticipantByEnterpriseId: unexpected parameter @_extra",
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
