package result

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestCodeOf(t *testing.T) {
	plain := errors.New("boom")
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"usage", Usage(plain), 2},
		{"fatal", Fatal(plain), 3},
		{"wrapped usage", fmt.Errorf("load users.txt: %w", Usage(plain)), 2},
		{"wrapped fatal", fmt.Errorf("connect: %w", Fatal(plain)), 3},
		{"outermost mark wins", Fatal(fmt.Errorf("x: %w", Usage(plain))), 3},
		{"canceled", fmt.Errorf("query: %w", context.Canceled), 130},
		{"interrupted", ErrInterrupted, 130},
		{"fatal over canceled", Fatal(context.Canceled), 3},
		{"unmarked is fatal", plain, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CodeOf(tt.err); got != tt.want {
				t.Errorf("CodeOf(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
	if Usage(nil) != nil || Fatal(nil) != nil {
		t.Error("marking nil must stay nil")
	}
	if err := Usage(plain); !errors.Is(err, plain) || err.Error() != "boom" {
		t.Errorf("Usage must wrap transparently: %v", err)
	}
}

func TestExitCode(t *testing.T) {
	ok := Summary{Processed: 3, Skipped: 1}
	tests := []struct {
		name        string
		sum         Summary
		err         error
		interrupted bool
		want        int
	}{
		{"all processed or skipped", ok, nil, false, ExitOK},
		{"empty run", Summary{}, nil, false, ExitOK},
		{"not found", Summary{Processed: 1, NotFound: 1}, nil, false, ExitPartial},
		{"error", Summary{Errors: 1}, nil, false, ExitPartial},
		{"not attempted without cause", Summary{NotAttempted: 1}, nil, false, ExitPartial},
		{"usage", ok, Usage(errors.New("bad")), false, ExitUsage},
		{"usage beats interrupt", ok, Usage(errors.New("bad")), true, ExitUsage},
		{"fatal", Summary{Processed: 1, NotAttempted: 4}, Fatal(errors.New("server lost")), false, ExitFatal},
		{"interrupted", Summary{Processed: 1, NotAttempted: 4}, nil, true, ExitInterrupted},
		{"interrupt beats fatal", ok, Fatal(errors.New("conn closed")), true, ExitInterrupted},
		{"canceled error", ok, context.Canceled, false, ExitInterrupted},
		{"unmarked error", ok, errors.New("?"), false, ExitFatal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.sum, tt.err, tt.interrupted); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

// The documented numbers are an API for scripts.
func TestExitCodeValues(t *testing.T) {
	if ExitOK != 0 || ExitPartial != 1 || ExitUsage != 2 || ExitFatal != 3 || ExitInterrupted != 130 {
		t.Fatal("exit codes renumbered")
	}
}
