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
	return testenv.RTC(t, schema, seedFiles(t, seeds)...)
}

// seedFiles writes seeds (SQL text) to files, as testenv takes them.
func seedFiles(t testing.TB, seeds []string) []string {
	t.Helper()
	dir := t.TempDir()
	paths := make([]string, len(seeds))
	for i, s := range seeds {
		paths[i] = filepath.Join(dir, fmt.Sprintf("seed%d.sql", i))
		if err := os.WriteFile(paths[i], []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// sharedLogin is the SQL login of servers started by startRTCShared.
var sharedLogin = testenv.RTCOptions{User: "sa", Password: "Rtc-shared-1"}

// startRTCShared starts rtcsim with the SQL login every such server shares:
// one run reaches all its --sql-server values with one login.
func startRTCShared(t testing.TB, schema string, seeds ...string) rtcEnv {
	t.Helper()
	return testenv.RTCWith(t, schema, sharedLogin, seedFiles(t, seeds)...)
}
