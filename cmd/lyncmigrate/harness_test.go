package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/deleteaccount"
	"github.com/lyncmigrate/lyncmigrate/disableaccount"
	"github.com/lyncmigrate/lyncmigrate/exportcontacts"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
	"github.com/lyncmigrate/lyncmigrate/verify"
)

// outcome is what one in-process run of the CLI did.
type outcome struct {
	code           int
	stdout, stderr string
	export         *exportcontacts.Config
	disable        *disableaccount.Config
	delete         *deleteaccount.Config
	verify         *verify.Config
	jobs           int // how many jobs ran
}

type fakeTTY struct{ tty bool }

func (f fakeTTY) IsTerminal() bool              { return f.tty }
func (f fakeTTY) ReadPassword() ([]byte, error) { return []byte("typed"), nil }

// proc describes the process a command line runs in.
type proc struct {
	goos    string
	env     map[string]string
	tty     bool
	jobCode int // what the fake job returns
	// realFiles checks the users file on disk as the program does; off,
	// the fake jobs take any name (u.txt need not exist).
	realFiles bool
}

// run runs args (os.Args form) with fake jobs that capture their Config.
func (c proc) run(t *testing.T, args ...string) outcome {
	t.Helper()
	var out outcome
	var stdout, stderr bytes.Buffer
	goos := c.goos
	if goos == "" {
		goos = "windows" // Cisco's home: no credentials needed by default
	}
	sys := &system{
		stdin:  strings.NewReader(""),
		stdout: &stdout,
		stderr: &stderr,
		lookupEnv: func(k string) (string, bool) {
			v, ok := c.env[k]
			return v, ok
		},
		goos:     goos,
		terminal: fakeTTY{tty: c.tty},
		logDir:   func() (string, error) { return "/var/log/lm", nil },
		jobs: jobs{
			export: func(_ context.Context, cfg exportcontacts.Config) int {
				out.export, out.jobs = &cfg, out.jobs+1
				return c.jobCode
			},
			disable: func(_ context.Context, cfg disableaccount.Config) int {
				out.disable, out.jobs = &cfg, out.jobs+1
				return c.jobCode
			},
			delete: func(_ context.Context, cfg deleteaccount.Config) int {
				out.delete, out.jobs = &cfg, out.jobs+1
				return c.jobCode
			},
			verify: func(_ context.Context, cfg verify.Config) int {
				out.verify, out.jobs = &cfg, out.jobs+1
				return c.jobCode
			},
		},
	}
	if c.realFiles {
		sys.statFile = os.Stat
	}
	out.code = execute(args, sys)
	out.stdout, out.stderr = stdout.String(), stderr.String()
	return out
}

// common returns the run.Common of whichever job ran.
func (o outcome) common(t *testing.T) run.Common {
	t.Helper()
	switch {
	case o.export != nil:
		return o.export.Common
	case o.disable != nil:
		return o.disable.Common
	case o.delete != nil:
		return o.delete.Common
	case o.verify != nil:
		return o.verify.Common
	}
	t.Fatalf("no job ran: code %d, stderr %q", o.code, o.stderr)
	return run.Common{}
}

func (o outcome) setting(t *testing.T, name string) (runlog.Setting, bool) {
	t.Helper()
	for _, s := range o.common(t).Settings {
		if s.Name == name {
			return s, true
		}
	}
	return runlog.Setting{}, false
}

// mustRun fails unless exactly one job ran and the CLI returned its code.
func (o outcome) mustRun(t *testing.T) outcome {
	t.Helper()
	if o.jobs != 1 || o.code != 0 {
		t.Fatalf("want one job and exit 0; got %d jobs, exit %d, stderr:\n%s", o.jobs, o.code, o.stderr)
	}
	return o
}

// mustRefuse fails unless the run was a usage error that ran no job and
// printed every want on stderr, followed by the help hint.
func (o outcome) mustRefuse(t *testing.T, hint string, want ...string) {
	t.Helper()
	if o.code != 2 || o.jobs != 0 {
		t.Fatalf("want exit 2 and no job; got exit %d, %d jobs, stderr:\n%s", o.code, o.jobs, o.stderr)
	}
	if o.stdout != "" {
		t.Errorf("usage error wrote to stdout: %q", o.stdout)
	}
	for _, w := range want {
		if !strings.Contains(o.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, o.stderr)
		}
	}
	if hint != "" && !strings.HasSuffix(o.stderr, "try '"+hint+"'\n") {
		t.Errorf("stderr does not end with the hint %q:\n%s", hint, o.stderr)
	}
}
