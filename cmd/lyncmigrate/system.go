package main

import (
	"context"
	"io"
	"io/fs"
	"os"
	"runtime"

	"github.com/lyncmigrate/lyncmigrate/deleteaccount"
	"github.com/lyncmigrate/lyncmigrate/disableaccount"
	"github.com/lyncmigrate/lyncmigrate/exportcontacts"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/secret"
	"github.com/lyncmigrate/lyncmigrate/verify"
)

// system is everything the CLI takes from the process. Tests replace parts
// of it: the environment, the OS the defaults are decided for, and the jobs,
// so that a test captures the Config a command line produces without
// running a job.
type system struct {
	stdin     io.Reader
	stdout    io.Writer
	stderr    io.Writer
	lookupEnv func(string) (string, bool)
	goos      string          // decides the OS-dependent defaults
	terminal  secret.Terminal // the password prompt; nil: standard input
	logDir    func() (string, error)
	// statFile looks at the users file before any job starts, so that a
	// missing one is named among the other usage errors; nil: not checked
	// (tests whose fake jobs read no file).
	statFile func(string) (fs.FileInfo, error)
	jobs     jobs
}

type jobs struct {
	export  func(context.Context, exportcontacts.Config) int
	disable func(context.Context, disableaccount.Config) int
	delete  func(context.Context, deleteaccount.Config) int
	verify  func(context.Context, verify.Config) int
}

func newSystem(stdin io.Reader, stdout, stderr io.Writer) *system {
	return &system{
		stdin:     stdin,
		stdout:    stdout,
		stderr:    stderr,
		lookupEnv: os.LookupEnv,
		goos:      runtime.GOOS, // the one place the CLI asks which OS it runs on
		logDir:    run.DefaultLogDir,
		statFile:  os.Stat,
		jobs: jobs{
			export:  exportcontacts.Run,
			disable: disableaccount.Run,
			delete:  deleteaccount.Run,
			verify:  verify.Run,
		},
	}
}
