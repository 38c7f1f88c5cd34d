package deleteaccount

import (
	"strings"
	"testing"
)

// The SQL password, read when the run connects, is redacted from every later
// line of the log, wherever it came from (here a function, as for
// $LYNCMIGRATE_SQL_PASSWORD) and whatever line carries it: here a users-file
// line that happens to hold it, logged as not found.
func TestPasswordRedactedFromLog(t *testing.T) {
	env := startRTC(t, "lync2013")
	cfg := Config{SQL: sqlConfig(env)}
	cfg.Common.File = usersFile(t, "sip:"+env.Password+"@lynctest.local")
	o := runJob(t, cfg, "", 2)
	if o.code != 1 {
		t.Fatalf("exit %d, want 1 (not found)\n%s", o.code, o.log)
	}
	if strings.Contains(o.log, env.Password) {
		t.Errorf("the SQL password is in the log:\n%s", o.log)
	}
	if !strings.Contains(o.log, "User [<redacted>@lynctest.local]") {
		t.Errorf("the user's line is not in the log, redacted:\n%s", o.log)
	}
}
