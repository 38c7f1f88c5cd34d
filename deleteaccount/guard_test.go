package deleteaccount

import (
	"os"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// A panic outside the workers — while connecting (the password callback) or
// opening the backup — is caught by the run's Guard: exit 3, every user
// not_attempted, the stack, the summary and the closing banner in the log,
// and nothing deleted.
func TestPanicOutsideWorkers(t *testing.T) {
	cases := []struct {
		name  string
		setup func(cfg *Config) (undo func())
	}{
		{"connect", func(cfg *Config) func() {
			cfg.SQL.PasswordFunc = func() (string, error) { panic("injected in the password callback") }
			return func() {}
		}},
		{"open backup", func(*Config) func() {
			orig := openBackupFile
			openBackupFile = func(string) (*os.File, error) { panic("injected in opening the backup") }
			return func() { openBackupFile = orig }
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := startRTC(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
			before := takeDump(t, env)
			cfg := Config{SQL: sqlConfig(env)}
			cfg.Common.File = usersFile(t, "sip:user07@lynctest.local", "sip:user02@lynctest.local")
			defer c.setup(&cfg)()
			o := runJob(t, cfg, "", 2)
			if o.code != result.ExitFatal {
				t.Fatalf("exit %d, want 3\n%s", o.code, o.stderr)
			}
			if o.summary.NotAttempted != 2 || len(o.records) != 2 {
				t.Errorf("summary %+v records %+v, want 2 not attempted", o.summary, o.records)
			}
			for _, want := range []string{"injected in", "goroutine ", "[INFO]  Summary:\r\n", "[INFO]  2 users not attempted\r\n", "\r\n<<----- "} {
				if !strings.Contains(o.log, want) {
					t.Errorf("log lacks %q:\n%s", want, o.log)
				}
			}
			sameDump(t, "after the panic", takeDump(t, env), before)
		})
	}
}
