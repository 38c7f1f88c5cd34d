package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// runner runs the steps in order; after a failed one the rest are not run.
type runner struct {
	w     io.Writer
	lync  string
	env   []string // the passwords travel here, never on the command line
	out   string
	skip  string
	steps []*step
	err   error
	// windows: lync is lyncmigrate.exe, run under Wine from each step's folder without
	// --log-dir (the outputs land beside the exe), in the working folder cwd, which stays empty
	windows bool
	cwd     string
}

// path is a file's path as the product's command line gives it (Z:\… under Wine).
func (r *runner) path(p string) string {
	if r.windows {
		return lab.WinePath(p)
	}
	return p
}

// step runs one command with --log-dir and --json, prints what it did, and checks that it
// exited 0 with every user processed.
func (r *runner) step(ctx context.Context, name, dir, why string, dry bool, args []string, users int) *step {
	s := &step{name: name, dir: filepath.Join(r.out, dir), why: why, dry: dry}
	r.steps = append(r.steps, s)
	if r.err != nil {
		return s
	}
	fmt.Fprintf(r.w, "\n== %s. %s — %s\n", s.number(), name, why)
	if name == r.skip {
		fmt.Fprintf(r.w, "   SKIPPED (-skip %s): the end-state check must catch it\n", name)
		return s
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		r.err = err
		return s
	}
	var cmd *exec.Cmd
	if r.windows {
		exe := filepath.Join(s.dir, exeName)
		if r.err = copyFile(r.lync, exe); r.err != nil {
			return s
		}
		s.args = append(args, "--json")
		fmt.Fprintf(r.w, "   %s> %s %s\n", lab.WinePath(r.cwd), r.path(exe), shellJoin(s.args))
		cmd = lab.WineCommand(ctx, exe, s.args...)
		cmd.Dir = r.cwd
	} else {
		s.args = append(args, "--log-dir", s.dir, "--json")
		fmt.Fprintf(r.w, "   $ lyncmigrate %s\n", shellJoin(s.args))
		cmd = exec.CommandContext(ctx, r.lync, s.args...)
		cmd.Dir = s.dir
	}
	cmd.Env = r.env
	s.run, r.err = lab.Measure(cmd, lab.Options{KeepRecords: true})
	if r.err != nil {
		return s
	}
	for _, l := range summaryLines(s.run.Stderr) {
		fmt.Fprintf(r.w, "   %s\n", l)
	}
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		if e.Name() != exeName {
			s.files = append(s.files, filepath.Join(s.dir, e.Name()))
		}
	}
	switch sum := s.run.Summary; {
	case s.run.Exit != 0:
		r.err = fmt.Errorf("%s exited %d:\n%s", name, s.run.Exit, lab.Tail(s.run.Stderr, 15))
	case sum == nil:
		r.err = fmt.Errorf("%s printed no --json summary", name)
	case sum.Processed != users || sum.DryRun != dry:
		r.err = fmt.Errorf("%s: %d users processed (dry run %v), want %d (dry run %v)", name, sum.Processed, sum.DryRun, users, dry)
	case r.windows && !strings.EqualFold(sum.Log, lab.WinePath(filepath.Join(s.dir, filepath.Base(strings.ReplaceAll(sum.Log, `\`, "/"))))):
		r.err = fmt.Errorf("%s wrote its log to %s, want the exe's folder %s (the Windows default)", name, sum.Log, lab.WinePath(s.dir))
	}
	return s
}

// number is the step's number, its folder's prefix ("1b" of 1b-exportcontacts-offline).
func (s *step) number() string {
	n, _, _ := strings.Cut(filepath.Base(s.dir), "-")
	return n
}

// summaryLines are the summary block of a command's stderr (from "Summary:" on).
func summaryLines(stderr string) []string {
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	for i, l := range lines {
		if strings.Contains(l, "Summary:") {
			return lines[i:]
		}
	}
	return nil
}

// shellJoin quotes what a shell would split.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\"'\\$;&|<>()*?[]#~=,") && !strings.HasPrefix(a, "--") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}

// report says where each step's log and outputs went.
func report(w io.Writer, steps []*step) {
	fmt.Fprintf(w, "\n== where everything went\n")
	for _, s := range steps {
		if s.args == nil {
			fmt.Fprintf(w, "%-3s %-28s skipped\n", s.number()+".", s.name)
			continue
		}
		fmt.Fprintf(w, "%-3s %-28s exit %d, %.1f s\n", s.number()+".", s.name, s.run.Exit, s.run.Wall.Seconds())
		for _, f := range s.files {
			fmt.Fprintf(w, "      %s%s\n", f, describeFile(f))
		}
	}
}

func describeFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		return ""
	}
	n := strings.Count(string(b), "\n")
	switch base := filepath.Base(path); {
	case strings.HasPrefix(base, "ExportedContacts"):
		return fmt.Sprintf("  (%d CSV lines)", n)
	case strings.HasPrefix(base, "UserList"):
		return fmt.Sprintf("  (%d users)", n)
	case strings.HasSuffix(base, ".jsonl"), strings.HasSuffix(base, ".ldif"):
		return fmt.Sprintf("  (%d lines)", n)
	}
	return ""
}

// beforeAfter shows one migrating user on both servers, before and after.
func beforeAfter(w io.Writer, p person, people []person, domain string, before, after state) {
	fmt.Fprintf(w, "\n== before → after: %s (%s)\n", p.DisplayName, p.SIP(domain))
	b, a := before.AD[p.Login], after.AD[p.Login]
	show := func(attr, x, y string) {
		if x == "" {
			x = "(none)"
		}
		if y == "" {
			y = "(none)"
		}
		fmt.Fprintf(w, "   AD  %-28s %s → %s\n", attr, x, y)
	}
	show(lab.AttrEnabled, b.Enabled, a.Enabled)
	show(lab.AttrHome, b.Home, a.Home)
	show(lab.AttrSIP, b.SIP, a.SIP)
	id := before.RTC.IDs[strings.ToLower(p.Login+"@"+domain)]
	_, kept := after.RTC.IDs[strings.ToLower(p.Login+"@"+domain)]
	fmt.Fprintf(w, "   rtc Resource row %d: kept %v\n", id, kept)
	fmt.Fprintf(w, "   rtc homed rows (contacts, groups, policies, …): %d → %d\n", len(before.RTC.Owned[id]), len(after.RTC.Owned[id]))
	migrating := map[int64]bool{}
	for _, q := range people {
		if q.Migrates {
			migrating[before.RTC.IDs[strings.ToLower(q.Login+"@"+domain)]] = true
		}
	}
	fmt.Fprintf(w, "   rtc contact rows of users staying on Lync that name them: %d → %d\n",
		len(staying(before.RTC.Buddies[id], migrating)), len(staying(after.RTC.Buddies[id], migrating)))
}
