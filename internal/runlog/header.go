package runlog

import (
	"fmt"
	"strings"
)

// Header is the audit header written after the opening banner.
type Header struct {
	Host         string
	OSUser       string
	Command      string
	Settings     []Setting // every effective setting with its source
	BindIdentity string    // who the run acts as on the servers
	Targets      []string  // servers the run will change or read
	DryRun       bool
	Trial        bool // deleteaccount --trial
}

// WriteHeader writes the audit header as INFO lines, at every level:
//
//	[INFO]  Host: <host>
//	[INFO]  OS user: <user>
//	[INFO]  Command: <command>
//	[INFO]  Setting <name> = <value> (<source>)      one per setting; secrets as <redacted>
//	[INFO]  Bind identity: <identity>                (none) when empty
//	[INFO]  Target server: <server>                  one per server; (none) when empty
//	[INFO]  Dry run: yes (nothing will be changed)   or: Dry run: no (or the trial line)
//	[INFO]  UTC offset: +02:00
//
// The values of secret settings are also redacted from every later line.
func (l *Logger) WriteHeader(h Header) {
	for _, s := range h.Settings {
		if s.Secret {
			l.AddSecret(s.Value)
		}
	}
	var b []byte
	add := func(format string, args ...any) {
		b = l.appendLines(b, sevInfo, fmt.Sprintf(format, args...))
	}
	add("Host: %s", orNone(h.Host))
	add("OS user: %s", orNone(h.OSUser))
	add("Command: %s", orNone(h.Command))
	for _, s := range h.Settings {
		add("Setting %s = %s (%s)", s.Name, settingValue(s), s.Source)
	}
	add("Bind identity: %s", orNone(h.BindIdentity))
	if len(h.Targets) == 0 {
		add("Target server: (none)")
	}
	for _, t := range h.Targets {
		add("Target server: %s", t)
	}
	switch {
	case h.Trial:
		add("Dry run: no; trial: every change is made, verified and rolled back (a trial takes the locks a real run takes)")
	case h.DryRun:
		add("Dry run: yes (nothing will be changed)")
	default:
		add("Dry run: no")
	}
	add("UTC offset: %s", l.now().Format("-07:00"))
	l.write(b)
}

func settingValue(s Setting) string {
	switch {
	case s.Secret:
		return redacted
	case s.Value == "":
		return `""`
	}
	// A value must stay on its line.
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(s.Value)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
