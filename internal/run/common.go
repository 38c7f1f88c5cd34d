package run

import (
	"io"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
	"github.com/lyncmigrate/lyncmigrate/internal/setting"
)

// Common holds the settings every command has. cmd/lyncmigrate fills it from the
// flags; the jobs only read it.
type Common struct {
	File     string // -f/--file: a path, "-" for stdin, or "ALL" (export only)
	LogLevel string // error|info|debug, already validated
	LogDir   string
	JSON     bool
	Workers  int

	// Settings lists every effective setting and where it came from, for the
	// audit header of the log. Secrets are marked and never printed.
	Settings []runlog.Setting

	Version string
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Now     func() time.Time // nil means time.Now; tests fix the clock
}

// Validate checks the settings every command has; each job's
// Config.Validate calls it.
func (c Common) Validate() error {
	if _, err := runlog.ParseLevel(c.LogLevel); err != nil {
		return setting.Errorf("%s %q: use %s", setting.LogLevel, c.LogLevel, setting.OrList(runlog.LevelNames))
	}
	return nil
}
