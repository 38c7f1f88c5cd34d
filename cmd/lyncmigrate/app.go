package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// invocation is one run of the program.
type invocation struct {
	sys     *system
	command string            // the command being run; "" for the root
	prog    string            // how the program was called, for hints
	cisco   map[string]string // long flag -> the Cisco form that gave it ("-s/")
	code    int               // the job's exit code
}

// execute parses args (os.Args form), runs at most one job and returns the exit
// code. Every usage error — unknown flag, bad value, stray argument, missing
// setting — is printed on stderr with a hint and gives exit 2 before any job
// starts.
func execute(args []string, sys *system) int {
	inv := &invocation{sys: sys, prog: "lyncmigrate", code: result.ExitOK}
	app := newApp(inv)
	argv, err := inv.prepare(args, app)
	if err == nil {
		err = app.RunContext(context.Background(), argv)
	}
	if err != nil {
		// Nothing but usage errors comes back from urfave: jobs return codes.
		inv.printUsageError(err)
		return result.ExitUsage
	}
	return inv.code
}

// newApp builds the urfave app. It is built afresh for every run because
// urfave keeps parse state in the flag values.
func newApp(inv *invocation) *cli.App {
	return &cli.App{
		Name:  "lyncmigrate",
		Usage: "move users off Lync/OCS to Cisco IM and Presence: export contacts, disable in AD, delete from the rtc database, verify",
		UsageText: "lyncmigrate exportcontacts|disableaccount|deleteaccount|verify [flags]\n" +
			"lyncmigrate <command> --help\n" +
			"lyncmigrate --version",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: flagVersion, Usage: "print the version, commit and OS/architecture"},
		},
		Commands: []*cli.Command{
			exportCommand(inv),
			disableCommand(inv),
			deleteCommand(inv),
			verifyCommand(inv),
		},
		Action:                rootAction(inv),
		CustomAppHelpTemplate: appHelpTemplate(),
		Writer:                inv.sys.stdout,
		ErrWriter:             inv.sys.stderr,
		HideVersion:           true, // our own --version prints the commit and the platform too
		// urfave would call os.Exit from inside Run for an ExitCoder, skipping
		// deferred code; the exit code is decided by execute instead.
		ExitErrHandler: func(*cli.Context, error) {},
		// A DN ("CN=Doe\, John,OU=…") or "host,port" is one value.
		DisableSliceFlagSeparator: true,
		OnUsageError:              onUsageError,
	}
}

// onUsageError stops urfave printing the error and the help on stdout: execute
// prints it on stderr.
func onUsageError(_ *cli.Context, err error, _ bool) error { return result.Usage(err) }

func rootAction(inv *invocation) cli.ActionFunc {
	return func(c *cli.Context) error {
		if c.Bool(flagVersion) {
			v, cm := buildVersion()
			fmt.Fprintln(inv.sys.stdout, versionLine(v, cm, inv.sys.goos))
			return nil
		}
		if c.NArg() > 0 {
			return fmt.Errorf("unknown command %q (commands: %s)", c.Args().First(), strings.Join(commandNames, ", "))
		}
		return errors.New("no command given: " + strings.Join(commandNames, ", "))
	}
}

// prepare turns the process arguments into what urfave parses: the command
// implied by the executable's name, a command name in any case, and the
// Cisco "-x/value" forms.
func (inv *invocation) prepare(args []string, app *cli.App) ([]string, error) {
	var rest []string
	if len(args) > 1 {
		rest = append(rest, args[1:]...)
	}
	if len(args) > 0 {
		if c := commandFromArgv0(args[0]); c != "" {
			inv.command = c
			inv.prog = args[0][strings.LastIndexAny(args[0], `/\`)+1:]
			rest = append([]string{c}, rest...)
		}
	}
	if inv.command == "" && len(rest) > 0 {
		for _, c := range commandNames {
			if strings.EqualFold(rest[0], c) {
				inv.command = c
				rest[0] = c
			}
		}
	}
	if inv.command != "" {
		translated, cisco, err := translateCisco(inv.command, rest[1:], app.Command(inv.command).Flags)
		if err != nil {
			return nil, result.Usage(err)
		}
		inv.cisco = cisco
		rest = append([]string{inv.command}, translated...)
	}
	return append([]string{"lyncmigrate"}, rest...), nil
}

// printUsageError writes each line of err on stderr, then where to look.
func (inv *invocation) printUsageError(err error) {
	name, help := "lyncmigrate", "lyncmigrate --help"
	if inv.command != "" {
		name = "lyncmigrate " + inv.command
		help = name + " --help"
		if inv.prog != "lyncmigrate" {
			name, help = inv.prog, inv.prog+" --help"
		}
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(inv.sys.stderr, "%s: %s\n", name, line)
	}
	fmt.Fprintf(inv.sys.stderr, "try '%s'\n", help)
}

// noArguments refuses positional arguments. No command takes any, and in
// urfave v2 every flag after the first positional argument is silently taken
// as another argument: "-f users.txt extra --dry-run" would run for real.
func noArguments(c *cli.Context) error {
	if c.NArg() == 0 {
		return nil
	}
	args := c.Args().Slice()
	msg := fmt.Sprintf("unexpected argument %q: %s takes only flags", args[0], c.Command.Name)
	if len(args) > 1 {
		msg += fmt.Sprintf(", and nothing after it was read (%s)", strings.Join(args[1:], " "))
	}
	return errors.New(msg)
}

// action wraps a command's job: refuse arguments, build the job's Config
// (every usage check happens there), then run the job and keep its code.
func action[C any](inv *invocation, build func(*cli.Context) (C, error), job func(context.Context, C) int) cli.ActionFunc {
	return func(c *cli.Context) error {
		if err := noArguments(c); err != nil {
			return result.Usage(err)
		}
		cfg, err := build(c)
		if err != nil {
			return result.Usage(err)
		}
		inv.code = job(c.Context, cfg)
		return nil
	}
}
