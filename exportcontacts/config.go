// Package exportcontacts exports migrating users' contact lists to the IM and
// Presence BAT CSV (SPEC 4).
package exportcontacts

import (
	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// Run modes (-r/--run-mode), compared case-insensitively by the CLI.
const (
	ModeNormal    = "NORMAL"
	ModeStatsOnly = "STATSONLY"
)

// Config is everything one exportcontacts run needs.
type Config struct {
	Common run.Common
	LDAP   *adclient.Config  // nil: users are not checked against AD (offline)
	SQL    *rtcclient.Config // nil: offline, FromExport must be set

	FromExport   string // --from-export FILE: Export-CsUserData zip or DBImpExp XML
	Check        bool
	DumpSchema   string // --dump-schema FILE (with Check): the database's catalog, as JSON
	Domain       string // -d/--domain, for the IM&P user CSV
	RunMode      string // ModeNormal or ModeStatsOnly
	OutDir       string
	DefaultGroup string
	NoHeader     bool
	StateColumn  bool
	MaxContacts  int
}
