package rtcclient

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// The dump of the evidence schema: every table and column with its type and
// length (the alias type named), every routine and parameter, the text of a
// plan procedure, NULL with the reason for an encrypted one and for one that
// does not exist; no row data.
func TestDumpSchemaEvidence(t *testing.T) {
	env := testenv.RTC(t, "lync2013-evidence", "evidence-sample")
	db := open(t, env, &recLog{})
	if _, err := db.Detect(context.Background(), &recLog{}); err != nil {
		t.Fatal(err)
	}
	procs := append(rtcschema.For(rtcschema.Lync2013).Procedures, rtcschema.Procedure{Name: "dbo.NoSuchProc"})
	d, err := db.DumpSchema(context.Background(), procs, &SchemaError{Problems: []string{"a problem"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Server != db.Server || d.Database != "rtc" || d.Version != "lync2013" || len(d.CheckErrors) != 1 {
		t.Errorf("header %+v", d)
	}
	table := func(name string) DumpTable {
		for _, tb := range d.Tables {
			if tb.Name == name {
				return tb
			}
		}
		t.Fatalf("no table %s in the dump", name)
		return DumpTable{}
	}
	cg := table("ContactGroup")
	if cg.Schema != "dbo" || cg.Type != "BASE TABLE" || len(cg.Columns) < 4 {
		t.Fatalf("ContactGroup %+v", cg)
	}
	owner, name := cg.Columns[0], cg.Columns[2]
	if owner.Name != "OwnerId" || owner.DataType != "int" || owner.Domain != "ResourceId" || owner.Position != 1 || owner.Nullable {
		t.Errorf("ContactGroup.OwnerId %+v", owner)
	}
	if name.Name != "DisplayName" || name.DataType != "varbinary" || name.MaxLength == nil || *name.MaxLength != 512 {
		t.Errorf("ContactGroup.DisplayName %+v", name)
	}
	table("UserNote") // the table the product never heard of is there too
	var homed *DumpRoutine
	for i, r := range d.Routines {
		if r.Name == "RtcpDeleteHomedResourceTransaction" {
			homed = &d.Routines[i]
		}
	}
	if homed == nil || homed.Type != "PROCEDURE" || len(homed.Parameters) != 1 ||
		homed.Parameters[0].Name != "@_ResourceIdentity" || homed.Parameters[0].Mode != "IN" || homed.Parameters[0].DataType != "int" {
		t.Fatalf("routine %+v", homed)
	}
	if len(d.Definitions) != 3 {
		t.Fatalf("definitions %+v", d.Definitions)
	}
	if def := d.Definitions[0]; def.Procedure != "dbo.RtcpDeleteHomedResourceTransaction" || def.Definition == nil ||
		!strings.Contains(*def.Definition, "CREATE PROCEDURE [dbo].[RtcpDeleteHomedResourceTransaction]") || def.Note != "" {
		t.Errorf("definition %+v", def)
	}
	if def := d.Definitions[1]; def.Procedure != "dbo.RtcpDeleteConferenceParticipantByEnterpriseId" || def.Definition != nil || def.Note != NoteNoDefinition {
		t.Errorf("encrypted definition %+v", def)
	}
	if def := d.Definitions[2]; def.Definition != nil || def.Note != NoteNoProcedure {
		t.Errorf("missing procedure %+v", def)
	}

	// The file: owner-only, CRLF, never overwritten; no row value in it.
	p := filepath.Join(t.TempDir(), "schema.json")
	if err := CheckDumpPath(p); err != nil {
		t.Fatal(err)
	}
	if err := WriteDump(p, DumpFile{WrittenBy: "test", Written: time.Unix(0, 0).UTC(), Note: DumpNote, Servers: []*SchemaDump{d}}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	ostest.OwnerOnly(t, p)
	if strings.Count(string(b), "\n") != strings.Count(string(b), "\r\n") {
		t.Error("lines do not end CRLF")
	}
	var back DumpFile
	if err := json.Unmarshal(b, &back); err != nil || len(back.Servers) != 1 || back.Note != DumpNote {
		t.Errorf("read back: %v %+v", err, back)
	}
	for _, row := range dumpedValues(t, env) {
		if strings.Contains(string(b), row) {
			t.Errorf("the dump holds row data %q", row)
		}
	}
	if err := CheckDumpPath(p); err == nil || !strings.Contains(err.Error(), "never overwritten") {
		t.Errorf("existing file: %v", err)
	}
	if err := WriteDump(p, DumpFile{}); !errors.Is(err, os.ErrExist) {
		t.Errorf("overwrote: %v", err)
	}
	if err := CheckDumpPath(filepath.Join(p+".d", "x.json")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing folder: %v", err)
	}
}

// dumpedValues are the seeded addresses: none may appear in a dump.
func dumpedValues(t *testing.T, env testenv.RTCEnv) []string {
	var out []string
	for _, r := range env.Dump(t)["Resource"] {
		if s, ok := r["UserAtHost"].(string); ok {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		t.Fatal("the seed holds no Resource rows")
	}
	return out
}
