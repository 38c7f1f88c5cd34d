package exportcontacts

import (
	"strings"
	"testing"
)

// The SQL password, read when the run connects, is redacted from every later
// line of the log, wherever it came from (here a function, as for
// $LYNCMIGRATE_SQL_PASSWORD) and whatever line carries it: here a users-file
// line that happens to hold it, logged as not found.
func TestRTCPasswordRedactedFromLog(t *testing.T) {
	cfg, _ := rtcRun(t, "lync2013", "")
	pw := cfgPassword(t, cfg)
	cfg.Common.File = writeUsers(t, e2eUser("ann")+"\r\nsip:"+pw+"@"+e2eDomain+"\r\n")
	r := runExport(t, cfg)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (not found)\n%s", r.code, r.log)
	}
	if strings.Contains(r.log, pw) {
		t.Errorf("the SQL password is in the log:\n%s", r.log)
	}
	if !strings.Contains(r.log, "sip:<redacted>@"+e2eDomain) {
		t.Errorf("the user's line is not in the log, redacted:\n%s", r.log)
	}
}
