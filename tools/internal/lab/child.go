package lab

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Run is what one measured child process did.
type Run struct {
	Wall     time.Duration
	MaxRSSKB int64 // peak resident set of the child (getrusage ru_maxrss, KiB on Linux)
	Exit     int
	Stderr   string
	Summary  *Summary // the --json summary object, when the child printed one
	Outcomes map[string]int
	Records  []Record // kept only when asked (KeepRecords)
}

// Record is one --json line of the product (SPEC 3.4), the fields the tools read.
type Record struct {
	User    string           `json:"user"`
	Outcome string           `json:"outcome"`
	State   string           `json:"state"` // verify
	Detail  string           `json:"detail"`
	DryRun  bool             `json:"dry_run"`
	Server  string           `json:"server"`
	Rows    map[string]int64 `json:"rows"`
}

// Summary is the --json summary object.
type Summary struct {
	Processed    int            `json:"processed"`
	NotFound     int            `json:"not_found"`
	Errors       int            `json:"errors"`
	Skipped      int            `json:"skipped"`
	NotAttempted int            `json:"not_attempted"`
	DryRun       bool           `json:"dry_run"`
	ExitCode     int            `json:"exit_code"`
	Log          string         `json:"log"`
	States       map[string]int `json:"states"` // verify: users per state
	Contacts     *struct {
		Largest int     `json:"largest"`
		Total   int     `json:"total"`
		Average float64 `json:"average"`
	} `json:"contacts"`
}

// Options of Measure.
type Options struct {
	KeepRecords bool // keep every --json record (the demo); else only count them (the bench)
	// PeakRSS starts the program through the launcher (see Launch) so that MaxRSSKB is the
	// program's own; the caller's main must call Launch when IsLauncher.
	PeakRSS bool
}

// Measure runs cmd to its end and measures it. Its stdout is read as the product's --json
// lines (or ignored when it is not JSON); stderr is kept (its tail) for messages.
func Measure(cmd *exec.Cmd, o Options) (Run, error) {
	var r Run
	r.Outcomes = map[string]int{}
	var report *os.File
	if o.PeakRSS {
		var err error
		if report, err = viaLauncher(cmd); err != nil {
			return r, err
		}
		defer report.Close()
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return r, err
	}
	var stderr tailBuffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	if report != nil {
		cmd.ExtraFiles[0].Close() // the launcher holds the write end now
	}
	perr := readJSONLines(out, &r, o.KeepRecords)
	werr := cmd.Wait()
	r.Wall = time.Since(start)
	r.Stderr = stderr.String()
	r.MaxRSSKB = maxRSSKB(cmd.ProcessState)
	if report != nil {
		if r.MaxRSSKB, err = readReport(report); err != nil {
			return r, err
		}
	}
	r.Exit = cmd.ProcessState.ExitCode()
	var ee *exec.ExitError
	if werr != nil && !errors.As(werr, &ee) {
		return r, fmt.Errorf("wait %s: %w", cmd.Path, werr)
	}
	return r, perr
}

func readJSONLines(rd io.Reader, r *Run, keep bool) error {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var bad error
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		if bytes.HasPrefix(line, []byte(`{"summary"`)) {
			var s struct{ Summary Summary }
			if err := json.Unmarshal(line, &s); err != nil && bad == nil {
				bad = fmt.Errorf("summary line: %w", err)
			}
			r.Summary = &s.Summary
			continue
		}
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			if bad == nil {
				bad = fmt.Errorf("record line: %w", err)
			}
			continue
		}
		r.Outcomes[rec.Outcome]++
		if keep {
			r.Records = append(r.Records, rec)
		}
	}
	if err := sc.Err(); err != nil {
		_, _ = io.Copy(io.Discard, rd) // let the child finish writing
		return err
	}
	return bad
}

// tailBuffer keeps the last 64 KiB written: a child's stderr can be long (progress, summary).
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if over := len(t.b) - 64<<10; over > 0 {
		t.b = t.b[over:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }

// Tail is the last n lines of s, for error messages.
func Tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
