package deleteaccount

import (
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// Config is everything one deleteaccount run needs.
type Config struct {
	Common run.Common
	SQL    rtcclient.Config
	LDAP   *adclient.Config // nil: no AD gate (a WARN says so)
	DryRun bool
	Check  bool // --check: schema check and plan only
	// DumpSchema (--dump-schema FILE, with Check) writes every server's
	// catalog to FILE.
	DumpSchema string
	Undo       string // --undo FILE: re-insert a backup's committed rows
	MaxUsers   int

	// Trial (--trial): every user's transaction runs in full and is
	// verified, then rolled back (SPEC 6.1).
	Trial bool
	// WaitReplication (--wait-replication): how long to keep checking
	// users not yet replicated to a server; 0: refuse them at once.
	WaitReplication time.Duration

	// noBackup skips the backup file: only the benchmark sets it, to
	// measure what the backup costs (SPEC 8). The product always backs up.
	noBackup bool
}
