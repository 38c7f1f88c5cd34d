// Package disableaccount disables migrating users' Lync/OCS accounts in Active
// Directory (SPEC 5): it finds each user by msRTCSIP-PrimaryUserAddress in
// batches, saves the prior values to an LDIF backup, and changes the
// attributes of the disable list in one modify request per user; --undo
// applies a backup; --dry-run changes nothing.
package disableaccount

import (
	"errors"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/setting"
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

// Validate checks the settings of a run — every problem at once, each
// naming its setting (internal/setting) — without reading a file or
// connecting: Run calls it first, and cmd/lyncmigrate before Run.
func (c Config) Validate() error {
	errs := []error{c.Common.Validate()}
	if _, err := targets(c.Clear); err != nil {
		errs = append(errs, err)
	}
	if c.Undo != "" && len(c.Clear) > 0 {
		errs = append(errs, setting.Errorf("%s: %s restores a backup as it is", setting.Clear, setting.Undo))
	}
	if c.LDAP.Server == "" {
		errs = append(errs, setting.Errorf("%s", setting.Required(setting.LDAPServer)))
	} else {
		errs = append(errs, c.LDAP.Validate())
	}
	return errors.Join(errs...)
}
