// Package run is the job template every command follows (Execute:
// validate, Start, Guard, load the input, the body, Finish) and the batch
// session it runs in: it reserves the run's files and settles them at the
// end, writes the log header, turns Ctrl-C into a cancelled context, loads
// the users file with the bookkeeping every job shares, hands out the
// connection settings of the run (passwords redacted from the log, pool
// sizes), stops the run on a lost server, tallies and reports each user's
// outcome (log, --json lines on stdout, progress bar on a stderr terminal),
// and finishes with the summary and the exit code on every path (SPEC 3.3,
// 3.4, 3.8).
package run

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/runlog"
)

// Options describe one run.
type Options struct {
	Common       Common
	Tool         string // "ExportContacts", "DisableAccount", "DeleteAccount": the log is <Tool>Log<ts>.txt
	Command      string // the command line name, for the header
	DryRun       bool
	Trial        bool // deleteaccount --trial: changes made and rolled back; records and summary say dry_run
	BindIdentity string
	Targets      []string
	Files        []File // backup, CSV…: reserved with the log's stamp, settled by Finish
	States       bool   // the summary counts users per result.State (verify)

	// Host and OSUser are detected when empty; tests fix them.
	Host   string
	OSUser string
}

// Session is one batch run. Its methods are safe for concurrent use.
type Session struct {
	opts    Options
	log     *runlog.Logger
	logPath string
	stdout  io.Writer
	stderr  io.Writer
	fileSet

	ctx         context.Context // cancelled by the first Ctrl-C, the caller's ctx, Stop or Finish
	cancel      context.CancelCauseFunc
	interrupted atomic.Bool // a signal arrived
	stopSignals func()
	stopOnce    sync.Once
	stopErr     atomic.Pointer[error] // set by Stop

	mu       sync.Mutex // guards the tally, expected users and stdout
	sum      result.Summary
	contacts *result.ContactStats
	expected []result.Record
	pending  map[string]int // user key -> reports still awaited
	finished bool
	jsonErr  error

	bar *progress

	finishOnce sync.Once
	code       int
}

// Start reserves the run's files (log first, then Files, one stamp), opens
// the log, writes the banner and the audit header, and installs the
// SIGINT/SIGTERM handler. The returned context is cancelled by the first
// signal: stop handing out users. A second signal writes the summary and
// exits 130 at once.
//
// Errors are marked for result.CodeOf (a bad log level is a usage error; a
// log folder that cannot be written is fatal); report them with Fail.
func Start(ctx context.Context, o Options) (*Session, context.Context, error) {
	c := &o.Common
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Stdout == nil {
		c.Stdout = os.Stdout
	}
	if c.Stderr == nil {
		c.Stderr = os.Stderr
	}
	if c.Workers <= 0 {
		c.Workers = DefaultWorkers
	}
	level, err := runlog.ParseLevel(c.LogLevel)
	if err != nil {
		return nil, ctx, result.Usage(err)
	}
	dir := c.LogDir
	if dir == "" {
		if dir, err = DefaultLogDir(); err != nil {
			return nil, ctx, result.Fatal(err)
		}
	}
	specs := []runlog.FileSpec{{Dir: dir, Prefix: o.Tool + "Log", Ext: ".txt"}}
	for _, f := range o.Files {
		if f.Dir == "" {
			f.Dir = dir
		}
		specs = append(specs, runlog.FileSpec{Dir: f.Dir, Prefix: f.Prefix, Ext: f.Ext})
	}
	now := c.Now()
	paths, err := runlog.Reserve(now, specs)
	if err != nil {
		return nil, ctx, result.Fatal(fmt.Errorf("log folder %s: %w", dir, err))
	}
	lg, err := runlog.Create(runlog.Options{Path: paths[0], Version: c.Version, Level: level, Now: c.Now})
	if err != nil {
		return nil, ctx, result.Fatal(err)
	}
	if o.Host == "" {
		o.Host, _ = os.Hostname()
	}
	if o.OSUser == "" {
		if u, err := user.Current(); err == nil {
			o.OSUser = u.Username
		}
	}
	lg.WriteHeader(runlog.Header{
		Host: o.Host, OSUser: o.OSUser, Command: o.Command, Settings: c.Settings,
		BindIdentity: o.BindIdentity, Targets: o.Targets, DryRun: o.DryRun, Trial: o.Trial,
	})

	s := &Session{
		opts: o, log: lg, logPath: paths[0],
		stdout: c.Stdout, stderr: c.Stderr, pending: map[string]int{},
	}
	s.files = make(map[string]*reserved, len(o.Files))
	for i, f := range o.Files {
		r := &reserved{File: f, path: paths[i+1]}
		s.files[f.Prefix] = r
		s.fileOrder = append(s.fileOrder, r)
	}
	if o.States {
		s.sum.States = &result.StateCounts{}
	}
	if abs, err := filepath.Abs(paths[0]); err == nil {
		s.logPath = abs
	}
	s.bar = newProgress(c.Stderr, c.JSON)
	s.ctx, s.cancel = context.WithCancelCause(ctx)
	s.stopSignals = s.handleSignals()
	return s, s.ctx, nil
}

// DefaultWorkers is --workers when not set (SPEC 3.8).
const DefaultWorkers = 4

// LogPath is the absolute path of the run log.
func (s *Session) LogPath() string { return s.logPath }

// Log is the run log.
func (s *Session) Log() *runlog.Logger { return s.log }

// Workers is the number of users in flight (--workers, default 4).
func (s *Session) Workers() int { return s.opts.Common.Workers }

// DryRun reports whether this run changes nothing.
func (s *Session) DryRun() bool { return s.opts.DryRun }

// Now is the session clock.
func (s *Session) Now() time.Time { return s.opts.Common.Now() }

// Host and OSUser are where and as whom the run runs, as the log header
// says.
func (s *Session) Host() string   { return s.opts.Host }
func (s *Session) OSUser() string { return s.opts.OSUser }

// Stderr is where human messages go (never stdout, which --json owns).
func (s *Session) Stderr() io.Writer { return s.stderr }

// Interrupted reports whether the run was interrupted (signal or the
// caller's context); Stop and Finish are not interruptions.
func (s *Session) Interrupted() bool {
	if s.interrupted.Load() {
		return true
	}
	if s.ctx.Err() == nil {
		return false
	}
	cause := context.Cause(s.ctx)
	return cause != errFinished && cause != errStopped
}

// Human is where a report for a person goes (deleteaccount --check's plan):
// standard output, or standard error with --json, where standard output
// carries only JSON.
func (s *Session) Human() io.Writer {
	if s.opts.Common.JSON {
		return s.stderr
	}
	return s.stdout
}
