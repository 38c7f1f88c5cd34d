package exportcontacts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
