// Package disableaccount disables migrating users' Lync/OCS accounts in Active
// Directory (SPEC 5).
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
	Undo     string   // --undo FILE: apply a backup LDIF instead of disabling
	MaxUsers int
}
