package result

import (
	"slices"
	"testing"
)

func TestSummaryLines(t *testing.T) {
	tests := []struct {
		name string
		sum  Summary
		want []string
	}{
		{"spec example", Summary{Processed: 12, NotFound: 1, Skipped: 2}, []string{
			"Summary:",
			"12 users successfully processed",
			"1 users not found",
			"0 users could not be processed due to errors",
			"2 users skipped (nothing to do)",
			"0 duplicate lines ignored",
			"0 users not attempted",
		}},
		{"interrupted dry run", Summary{Processed: 3, Errors: 1, Duplicates: 2, NotAttempted: 7, DryRun: true}, []string{
			"Summary:",
			"3 users successfully processed",
			"0 users not found",
			"1 users could not be processed due to errors",
			"0 users skipped (nothing to do)",
			"2 duplicate lines ignored",
			"7 users not attempted",
			"Dry run: nothing was changed",
		}},
		{"export", Summary{Processed: 2, Contacts: &ContactStats{Largest: 120, Total: 150, Average: 75}}, []string{
			"Summary:",
			"2 users successfully processed",
			"0 users not found",
			"0 users could not be processed due to errors",
			"0 users skipped (nothing to do)",
			"0 duplicate lines ignored",
			"0 users not attempted",
			"Largest contact list size: 120",
			"Total number of contacts found: 150",
			"Average contact list size: 75.0",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sum.Lines(); !slices.Equal(got, tt.want) {
				t.Errorf("Lines()\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestSummaryAdd(t *testing.T) {
	var s Summary
	for _, o := range []Outcome{Processed, Processed, NotFound, Error, Skipped, NotAttempted, NotAttempted, "bogus"} {
		s.Add(o)
	}
	want := Summary{Processed: 2, NotFound: 1, Errors: 1, Skipped: 1, NotAttempted: 2}
	if s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
	if s.Users() != 7 {
		t.Errorf("Users() = %d, want 7", s.Users())
	}
}

func TestOutcomeValid(t *testing.T) {
	for _, o := range Outcomes {
		if !o.Valid() {
			t.Errorf("%q not valid", o)
		}
	}
	for _, o := range []Outcome{"", "Processed", "failed"} {
		if o.Valid() {
			t.Errorf("%q valid", o)
		}
	}
}

func TestSummaryLinesStates(t *testing.T) {
	s := Summary{Processed: 2, Errors: 2, NotFound: 1, States: &StateCounts{}}
	for _, st := range []State{StateMigrated, StateMigrated, StateNotDeleted, StateAddressLost, StateNotFound, "bogus", ""} {
		s.States.Add(st)
	}
	want := []string{
		"Summary:",
		"2 users successfully processed",
		"1 users not found",
		"2 users could not be processed due to errors",
		"0 users skipped (nothing to do)",
		"0 duplicate lines ignored",
		"0 users not attempted",
		"2 users migrated",
		"0 users not_disabled",
		"0 users not_replicated",
		"1 users not_deleted",
		"1 users address_lost",
		"1 users not_found",
	}
	if got := s.Lines(); !slices.Equal(got, want) {
		t.Errorf("Lines()\n got %q\nwant %q", got, want)
	}
}

func TestStateOutcome(t *testing.T) {
	want := map[State]Outcome{
		StateMigrated: Processed, StateNotDisabled: Error, StateNotReplicated: Error,
		StateNotDeleted: Error, StateAddressLost: Error, StateNotFound: NotFound,
	}
	if len(want) != len(States) {
		t.Fatalf("%d states, the test knows %d", len(States), len(want))
	}
	for _, s := range States {
		if !s.Valid() {
			t.Errorf("%q not valid", s)
		}
		if got := s.Outcome(); got != want[s] {
			t.Errorf("%s.Outcome() = %s, want %s", s, got, want[s])
		}
	}
	for _, s := range []State{"", "Migrated", "unknown"} {
		if s.Valid() {
			t.Errorf("%q valid", s)
		}
	}
}
