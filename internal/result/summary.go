package result

import (
	"encoding/json"
	"fmt"
)

// ContactStats are the export-only statistics of the summary.
type ContactStats struct {
	Largest int     `json:"largest"`
	Total   int     `json:"total"`
	Average float64 `json:"average"`
}

// Summary is the tally of a run. The same value makes the log's summary
// block, the stderr summary and the --json summary object.
type Summary struct {
	Processed    int           `json:"processed"`
	NotFound     int           `json:"not_found"`
	Errors       int           `json:"errors"`
	Skipped      int           `json:"skipped"`
	NotAttempted int           `json:"not_attempted"`
	Duplicates   int           `json:"duplicates"`
	DryRun       bool          `json:"dry_run"`
	Trial        bool          `json:"trial,omitempty"`    // deleteaccount --trial: every transaction rolled back (DryRun is true too)
	Contacts     *ContactStats `json:"contacts,omitempty"` // export only
	States       *StateCounts  `json:"states,omitempty"`   // verify only: users per state
	ExitCode     int           `json:"exit_code"`
	Log          string        `json:"log,omitempty"` // path of the run log
}

// Add counts one outcome.
func (s *Summary) Add(o Outcome) {
	switch o {
	case Processed:
		s.Processed++
	case NotFound:
		s.NotFound++
	case Error:
		s.Errors++
	case Skipped:
		s.Skipped++
	case NotAttempted:
		s.NotAttempted++
	}
}

// Users is the number of users with an outcome.
func (s Summary) Users() int {
	return s.Processed + s.NotFound + s.Errors + s.Skipped + s.NotAttempted
}

// DryRunLine is the last summary line of a dry run.
const DryRunLine = "Dry run: nothing was changed"

// TrialLine is the last summary line of a trial (deleteaccount --trial).
const TrialLine = "Trial: every change was rolled back (a trial takes the locks a real run takes)"

// Lines returns the SPEC 3.3 summary lines, without level prefix, in order.
// The wording of the first lines is Cisco's; the contact lines follow
// Cisco's ExportContacts log.
func (s Summary) Lines() []string {
	lines := []string{
		"Summary:",
		fmt.Sprintf("%d users successfully processed", s.Processed),
		fmt.Sprintf("%d users not found", s.NotFound),
		fmt.Sprintf("%d users could not be processed due to errors", s.Errors),
		fmt.Sprintf("%d users skipped (nothing to do)", s.Skipped),
		fmt.Sprintf("%d duplicate lines ignored", s.Duplicates),
		fmt.Sprintf("%d users not attempted", s.NotAttempted),
	}
	if c := s.Contacts; c != nil {
		lines = append(lines,
			fmt.Sprintf("Largest contact list size: %d", c.Largest),
			fmt.Sprintf("Total number of contacts found: %d", c.Total),
			fmt.Sprintf("Average contact list size: %.1f", c.Average),
		)
	}
	if c := s.States; c != nil {
		lines = append(lines, c.lines()...)
	}
	switch {
	case s.Trial:
		lines = append(lines, TrialLine)
	case s.DryRun:
		lines = append(lines, DryRunLine)
	}
	return lines
}

// SummaryObject is the last --json line: {"summary": {...}}.
type SummaryObject struct {
	Summary Summary `json:"summary"`
}

// JSON returns the --json summary object, without a line end.
func (s Summary) JSON() []byte {
	b, err := json.Marshal(SummaryObject{Summary: s})
	if err != nil { // only plain fields: cannot happen
		panic(fmt.Sprintf("result: marshal summary: %v", err))
	}
	return b
}
