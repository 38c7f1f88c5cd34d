package deleteaccount

import (
	"net"
	"path/filepath"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// The backup file Start reserves is removed when no row went into it, and
// kept when one did.
func TestEmptyBackupRemoved(t *testing.T) {
	env := startRTC(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
	// a port nobody listens on: the run cannot connect
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	unreachable := sqlConfig(env)
	unreachable.Servers = []string{closed}

	cases := []struct {
		name   string
		sql    func() Config
		users  []string
		code   int
		backup bool
	}{
		{"server unreachable", func() Config { return Config{SQL: unreachable} }, []string{"sip:user02@lynctest.local"}, result.ExitFatal, false},
		{"nothing to delete", func() Config { return Config{SQL: sqlConfig(env)} },
			[]string{"sip:nobody@lynctest.local", "sip:user09@lynctest.local"}, result.ExitPartial, false},
		{"a user deleted", func() Config { return Config{SQL: sqlConfig(env)} }, []string{"sip:user02@lynctest.local"}, result.ExitOK, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.sql()
			cfg.Common.File = usersFile(t, c.users...)
			o := runJob(t, cfg, "", 1)
			if o.code != c.code {
				t.Errorf("exit %d, want %d\n%s", o.code, c.code, o.log)
			}
			m, _ := filepath.Glob(filepath.Join(o.logDir, BackupPrefix+"*"))
			if got := len(m) == 1; got != c.backup || len(m) > 1 {
				t.Errorf("backup files %v, want one: %v", m, c.backup)
			}
			if logs, _ := filepath.Glob(filepath.Join(o.logDir, Tool+"Log*.txt")); len(logs) != 1 {
				t.Errorf("log files %v, want one", logs)
			}
		})
	}
}
