package deleteaccount

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// --dump-schema is refused before anything connects: without --check, onto an
// existing file (a dump is never overwritten), into a missing folder.
func TestValidateDumpSchema(t *testing.T) {
	dir := t.TempDir()
	exists := filepath.Join(dir, "old.json")
	if err := os.WriteFile(exists, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	sql := rtcclient.Config{Servers: []string{"sql01,1433"}, Auth: rtcclient.AuthSQL, User: "sa"}
	cases := []struct {
		cfg  Config
		want string
	}{
		{Config{SQL: sql, Check: true, DumpSchema: filepath.Join(dir, "new.json")}, ""},
		{Config{SQL: sql, DumpSchema: filepath.Join(dir, "new.json")}, "--dump-schema writes what --check reads: give --check"},
		{Config{SQL: sql, Check: true, DumpSchema: exists}, "--dump-schema: " + exists + " exists: a schema dump is never overwritten"},
		{Config{SQL: sql, Check: true, DumpSchema: filepath.Join(dir, "no", "x.json")}, "does not exist"},
	}
	for _, c := range cases {
		err := c.cfg.Validate()
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.cfg.DumpSchema, err, c.want)
		}
	}
}
