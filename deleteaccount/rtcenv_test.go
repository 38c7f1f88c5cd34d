package deleteaccount

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
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

// sharedPassword is the SQL login of servers started by startRTCShared.
const sharedPassword = "Rtc-shared-1"

// startRTCShared starts rtcsim with the SQL login every such server shares:
// one run reaches all its --sql-server values with one login, and
// testenv.RTC gives each server a password of its own.
// (testenv.RTC could take a password option; then this helper can go.)
func startRTCShared(t testing.TB, schema string, seeds ...string) rtcEnv {
	t.Helper()
	e := rtcEnv{User: "sa", Password: sharedPassword, Database: "rtc", DBPath: filepath.Join(t.TempDir(), "rtc.sqlite")}
	srv, err := rtcsim.Open(rtcsim.Options{Schema: schema, DBPath: e.DBPath, User: e.User, Password: e.Password})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for i, s := range seeds {
		if err := srv.Seed(context.Background(), fmt.Sprintf("seed %d", i), s); err != nil {
			t.Fatal(err)
		}
	}
	addr, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.Server, e.Addr = srv, addr.String()
	return e
}
