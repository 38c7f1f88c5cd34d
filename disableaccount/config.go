// Package disableaccount disables migrating users' Lync/OCS accounts in Active
// Directory (SPEC 5): it finds each user by msRTCSIP-PrimaryUserAddress in
// batches, saves the prior values to an LDIF backup, and changes the
// attributes of the disable list in one modify request per user; --undo
// applies a backup; --dry-run changes nothing.
package disableaccount

import (
	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// Config is everything one disableaccount run needs.
type Config struct {
	Common   run.Common
	LDAP     adclient.Config
	DryRun   bool
	Clear    []string // --clear ATTR, repeatable
	Undo     string   // --undo FILE: apply a backup LDIF instead of disabling (no -f needed)
	MaxUsers int      // --max-users; 0 means no limit (the CLI defaults it to 5000)

	// noBackup skips the backup: only for the benchmark's "without backup"
	// row. The product always writes it (SPEC 3.6).
	noBackup bool
}
