package deleteaccount

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// rtcEnv is one in-process rtcsim for a test.
type rtcEnv = testenv.RTCEnv

// startRTC starts rtcsim with a schema (name or path) and seeds given as
// SQL text (the generated population), written to files for testenv.RTC.
func startRTC(t testing.TB, schema string, seeds ...string) rtcEnv {
	t.Helper()
	dir := t.TempDir()
	paths := make([]string, len(seeds))
	for i, s := range seeds {
		paths[i] = filepath.Join(dir, fmt.Sprintf("seed%d.sql", i))
		if err := os.WriteFile(paths[i], []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return testenv.RTC(t, schema, paths...)
}
