package exportcontacts

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// --dump-schema is a usage error (exit 2, no log, no connection) without
// --check, onto an existing file or into a missing folder.
func TestDumpSchemaUsage(t *testing.T) {
	dir := t.TempDir()
	exists := filepath.Join(dir, "old.json")
	if err := os.WriteFile(exists, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		check bool
		path  string
		want  string
	}{
		{false, filepath.Join(dir, "new.json"), "--dump-schema writes what --check reads: give --check"},
		{true, exists, "exists: a schema dump is never overwritten"},
		{true, filepath.Join(dir, "no", "x.json"), "does not exist"},
	}
	for _, c := range cases {
		cfg := baseConfig(t, writeUsers(t, "sip:ann@export-e2e.example.com\r\n"))
		cfg.SQL, cfg.LDAP = sqlConfigAddr("127.0.0.1:1"), ldapConfig(fakeAD())
		cfg.Check, cfg.DumpSchema = c.check, c.path
		if c.check {
			cfg.Common.File, cfg.LDAP = "", nil
		}
		r := runExport(t, cfg)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", c.path, r.code, r.stderr, c.want)
		}
		if entries, _ := os.ReadDir(cfg.Common.LogDir); len(entries) != 0 {
			t.Errorf("%s: files left: %v", c.path, entries)
		}
	}
}

// --check --dump-schema on rtcsim: the catalog of the database in one
// owner-only file, also when the check refuses (the dump shows why).
func TestCheckDumpSchema(t *testing.T) {
	forSchemas(t, func(t *testing.T, schema string) {
		for _, broken := range []bool{false, true} {
			text := schemaText(t, schema)
			if broken {
				text = schemaEdit(t, text, `(CREATE TABLE dbo\.Contact \(\s*OwnerId\s+)\w+`, "${1}VARCHAR(20)")
			}
			rtc := startRTC(t, text)
			cfg := baseConfig(t, "")
			cfg.Check, cfg.SQL = true, sqlConfig(rtc)
			cfg.DumpSchema = filepath.Join(t.TempDir(), "rtc-schema.json")
			r := runExport(t, cfg)
			if want := map[bool]int{false: 0, true: 3}[broken]; r.code != want {
				t.Fatalf("broken %v: exit %d, want %d\n%s", broken, r.code, want, r.log)
			}
			b, err := os.ReadFile(cfg.DumpSchema)
			if err != nil {
				t.Fatal(err)
			}
			ostest.OwnerOnly(t, cfg.DumpSchema)
			var f rtcclient.DumpFile
			if err := json.Unmarshal(b, &f); err != nil || len(f.Servers) != 1 {
				t.Fatalf("dump %v %s", err, b)
			}
			d := f.Servers[0]
			if d.Version != "lync2013" || len(d.Tables) < 10 || len(d.Routines) < 2 || len(d.Definitions) != 2 ||
				f.WrittenBy != "lyncmigrate test exportcontacts --check" || f.Note != rtcclient.DumpNote {
				t.Errorf("dump %+v", f)
			}
			if got := strings.Join(d.CheckErrors, "; "); broken != strings.Contains(got, "column Contact.OwnerId is varchar(20)") {
				t.Errorf("broken %v: check problems %q", broken, got)
			}
			if !strings.Contains(r.log, " written to "+cfg.DumpSchema+" (catalog only, no row data)") {
				t.Errorf("the log does not name the dump")
			}
		}
	})
}
