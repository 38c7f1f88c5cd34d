// Package result defines what a run reports: the outcome of each user, the
// --json record, the summary and the process exit codes (SPEC 3.4). The exit
// codes are defined here and nowhere else.
package result

// Outcome is the single result of one input user (SPEC 3.4).
type Outcome string

const (
	Processed    Outcome = "processed"
	Skipped      Outcome = "skipped"       // nothing to do, or the reason in Detail
	NotFound     Outcome = "not_found"     // not in AD / not in the database
	Error        Outcome = "error"         // with the reason in Detail; includes malformed lines
	NotAttempted Outcome = "not_attempted" // never reached: interrupted or a fatal error
)

// Outcomes lists every outcome, in the order of the summary lines.
var Outcomes = []Outcome{Processed, NotFound, Error, Skipped, NotAttempted}

// Valid reports whether o is one of the five outcomes.
func (o Outcome) Valid() bool {
	switch o {
	case Processed, Skipped, NotFound, Error, NotAttempted:
		return true
	}
	return false
}

// Process exit codes (SPEC 3.4). Their values are an API for scripts: never
// renumber them.
const (
	ExitOK          = 0   // every user processed or skipped
	ExitPartial     = 1   // some users not found or in error
	ExitUsage       = 2   // usage or input error, before any connection
	ExitFatal       = 3   // cannot connect, unknown version, schema mismatch, server lost…
	ExitInterrupted = 130 // Ctrl-C / SIGTERM: in-flight users finished, the rest not attempted
)
