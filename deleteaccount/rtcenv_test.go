package deleteaccount

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
)

// rtcEnv is one in-process rtcsim for a test.
// TODO(delete): switch to testenv.RTC once helper "rtcsim" commits it.
type rtcEnv struct {
	Server   *rtcsim.Server
	Addr     string
	User     string
	Password string
}

func startRTC(t testing.TB, schema string, seeds ...string) rtcEnv {
	t.Helper()
	s, err := rtcsim.Open(rtcsim.Options{Schema: schema, DBPath: filepath.Join(t.TempDir(), "rtc.db"), Password: "Rtc-test-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for i, sd := range seeds {
		if err := s.Seed(context.Background(), "seed", sd); err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
	}
	addr, err := s.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return rtcEnv{Server: s, Addr: addr.String(), User: "sa", Password: "Rtc-test-1"}
}
