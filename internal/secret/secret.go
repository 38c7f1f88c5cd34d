// Package secret finds a password without ever taking it on the command line:
// from an environment variable, from the first line of a file, or from a
// no-echo prompt on a terminal (SPEC 3.7).
package secret

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/term"
)

// Terminal is the prompt's view of standard input.
type Terminal interface {
	IsTerminal() bool
	ReadPassword() ([]byte, error) // without echo
}

// Options says where one password may come from, in this order: EnvName,
// then File, then a prompt on Terminal when Prompt is true.
type Options struct {
	EnvName  string // e.g. LYNCMIGRATE_LDAP_PASSWORD
	File     string // --*-password-file; empty: none
	FileFlag string // the flag that named File, for messages; empty: derived from EnvName
	Prompt   bool   // false when stdin carries the input list (-f -)
	Label    string // e.g. "LDAP password for admin@corp.local"

	LookupEnv func(string) (string, bool) // nil: os.LookupEnv
	Terminal  Terminal                    // nil: os.Stdin
	Stderr    io.Writer                   // prompt and warnings; nil: os.Stderr
	GOOS      string                      // for the file-mode check; empty: runtime.GOOS
}

// PasswordFunc returns a function that finds the password once, when first
// called, so that a run refuses bad input before anyone is prompted. Later
// calls return the same result.
func PasswordFunc(envName, file string, prompt bool, label string) func() (string, error) {
	return New(Options{EnvName: envName, File: file, Prompt: prompt, Label: label})
}

// New is PasswordFunc with every dependency explicit.
func New(o Options) func() (string, error) {
	var (
		once sync.Once
		pw   string
		err  error
	)
	return func() (string, error) {
		once.Do(func() { pw, err = o.find() })
		return pw, err
	}
}

// FileFlagFor derives the file flag from the variable's name:
// LYNCMIGRATE_LDAP_PASSWORD -> --ldap-password-file.
func FileFlagFor(envName string) string {
	name := strings.TrimPrefix(envName, "LYNCMIGRATE_")
	return "--" + strings.ReplaceAll(strings.ToLower(name), "_", "-") + "-file"
}

func (o Options) find() (string, error) {
	lookup := o.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	stderr := o.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}
	fileFlag := o.FileFlag
	if fileFlag == "" {
		fileFlag = FileFlagFor(o.EnvName)
	}

	if o.EnvName != "" {
		if v, ok := lookup(o.EnvName); ok {
			if v == "" {
				// An empty simple-bind password is an anonymous bind to AD: never send one.
				return "", fmt.Errorf("%s: %s is set but empty", o.Label, o.EnvName)
			}
			return v, nil
		}
	}
	if o.File != "" {
		return o.readFile(fileFlag, stderr)
	}
	tty := o.Terminal
	if tty == nil {
		tty = stdinTerminal{}
	}
	if o.Prompt && tty.IsTerminal() {
		fmt.Fprintf(stderr, "%s: ", o.Label)
		b, err := tty.ReadPassword()
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("%s: read from terminal: %w", o.Label, err)
		}
		if len(b) == 0 {
			return "", fmt.Errorf("%s: empty password entered", o.Label)
		}
		return string(b), nil
	}
	return "", fmt.Errorf("%s needed: set %s, use %s FILE, or run on a terminal to be prompted",
		o.Label, o.EnvName, fileFlag)
}

// readFile returns the file's first line without its line end. A file that
// other users can read is used, with a warning: refusing would break shares
// whose permissions the operator cannot change, but they should know.
func (o Options) readFile(fileFlag string, stderr io.Writer) (string, error) {
	f, err := os.Open(o.File)
	if err != nil {
		return "", fmt.Errorf("%s: %s: %w", o.Label, fileFlag, err)
	}
	defer f.Close()
	goos := o.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	if goos != "windows" {
		if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o004 != 0 {
			fmt.Fprintf(stderr, "WARNING: %s %s is readable by every user (mode %04o); chmod 600 it\n",
				fileFlag, o.File, st.Mode().Perm())
		}
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("%s: read %s %s: %w", o.Label, fileFlag, o.File, err)
	}
	line = strings.TrimPrefix(line, "\ufeff") // Notepad's UTF-8 BOM
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("%s: %s %s: first line is empty", o.Label, fileFlag, o.File)
	}
	return line, nil
}

// StdinTerminal is the process's standard input as a prompt.
func StdinTerminal() Terminal { return stdinTerminal{} }

type stdinTerminal struct{}

func (stdinTerminal) IsTerminal() bool { return term.IsTerminal(int(os.Stdin.Fd())) }

func (stdinTerminal) ReadPassword() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) }
