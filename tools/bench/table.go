package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Cisco's published throughput for its tools (SPEC 1): the figure to beat.
const (
	ciscoContactsPerSec = 800.0 // exportcontacts
	ciscoUsersPerSec    = 13.0  // disableaccount, deleteaccount
)

// unit is what a row's speed is judged by: users/s (disable, delete) or contacts/s (export).
type unit int

const (
	perUser unit = iota
	perContact
)

// row is one line of the table.
type row struct {
	name     string
	measures string // what the row times, in a few words
	unit     unit
	plain    *row // the plain loop this row is compared with; nil for the plain loops themselves
	cisco    bool // compare with Cisco's figure

	// filled by the measurement
	users, contacts int
	wall            time.Duration
	rssKB           int64
	trips           float64 // SQL round trips per user (rtcsim's request count); 0: not measured
	status          string  // "" when measured; else why not ("not implemented", "FAILED: …")
}

func (r *row) ok() bool { return r.status == "" && r.wall > 0 }

func (r *row) rate(u unit) float64 {
	if !r.ok() {
		return 0
	}
	n := r.users
	if u == perContact {
		n = r.contacts
	}
	return float64(n) / r.wall.Seconds()
}

// writeTable prints the rows as one markdown table.
func writeTable(w io.Writer, rows []*row) {
	fmt.Fprintln(w, "| run | measures | users | contacts | seconds | users/s | contacts/s | vs plain loop | vs Cisco | peak RSS | SQL round trips/user |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, r := range rows {
		cells := []string{r.name, r.measures, count(r.users), count(r.contacts)}
		if !r.ok() {
			cells = append(cells, r.status, "", "", "", "", "", "")
			fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
			continue
		}
		cells = append(cells, fmt.Sprintf("%.2f", r.wall.Seconds()), speed(r.rate(perUser)), speed(r.rate(perContact)))
		cells = append(cells, vsPlain(r), vsCisco(r), mib(r.rssKB), trips(r))
		fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
	}
}

func count(n int) string {
	if n == 0 {
		return "—"
	}
	return group(fmt.Sprint(n))
}

func speed(v float64) string {
	if v == 0 {
		return "—"
	}
	return group(fmt.Sprintf("%.0f", v))
}

// group puts thin separators in long numbers: 1234567 → 1,234,567.
func group(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

func vsPlain(r *row) string {
	switch {
	case r.plain == nil:
		return "—"
	case !r.plain.ok():
		return "no plain run"
	}
	return fmt.Sprintf("%.0f %%", 100*r.rate(r.unit)/r.plain.rate(r.unit))
}

func vsCisco(r *row) string {
	if !r.cisco {
		return "—"
	}
	ref := ciscoUsersPerSec
	if r.unit == perContact {
		ref = ciscoContactsPerSec
	}
	return fmt.Sprintf("× %.0f", r.rate(r.unit)/ref)
}

// trips is the SQL round trips per user, and beside a plain loop's how
// many more.
func trips(r *row) string {
	if r.trips == 0 {
		return "—"
	}
	s := fmt.Sprintf("%.2f", r.trips)
	if r.plain != nil && r.plain.ok() && r.plain.trips > 0 {
		s += fmt.Sprintf(" (%+.2f)", r.trips-r.plain.trips)
	}
	return s
}

func mib(kb int64) string {
	if kb == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f MiB", float64(kb)/1024)
}

// notes say what the rows measure, below the table.
func notes(w io.Writer) {
	fmt.Fprint(w, `
- Every row is a child process, timed from start to exit (connecting included), and its peak RSS is
  its getrusage maxrss. Each measured run is checked: its exit code, every user processed, and the
  servers' end state (AD: users disabled; rtcsim: homed data gone; export: CSV row count).
- Plain loops: the same wire work as the command (same libraries, batching, statements,
  transactions, connections and workers) without log, backup, input or schema checks. The
  plain contacts read resolves users in rtcsim only; exportcontacts also resolves them in AD.
- Backups: the product has no switch to turn them off (SPEC 3.6). "--dry-run" rows send no write
  and write no backup; "backup on tmpfs" rows are the real run with --log-dir on /dev/shm, so the
  backup is written but its fsync costs nothing — the closest to "without backups" the product
  allows; the last row of each command is the real run with the backup on disk.
- vs Cisco: Cisco's published figures, ≈ 13 accounts/s (disable, delete) and ≈ 800 contacts/s (export).
- SQL round trips/user: rtcsim's count of client requests (SQL batches, RPCs, transaction requests)
  during the run, connecting and the schema check included, divided by the users; in brackets, how
  many more than the row's plain loop.
- verify has no Cisco counterpart and no plain loop: its row is checked for every user's state
  (the users are SIP-enabled in AD then, so each is not_disabled, exit 1) and a written report.
`)
}
