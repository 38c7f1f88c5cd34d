package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

// Command names.
const (
	cmdExport  = "exportcontacts"
	cmdDisable = "disableaccount"
	cmdDelete  = "deleteaccount"
	cmdVerify  = "verify"
)

var commandNames = []string{cmdExport, cmdDisable, cmdDelete, cmdVerify}

// ciscoTools are the commands that replace one of Cisco's three tools: an
// executable named like one of them runs that command.
var ciscoTools = []string{cmdExport, cmdDisable, cmdDelete}

// ciscoFlags maps each command's Cisco "-x/" flags to long flags (SPEC 4–6).
// -s/ means the AD server for export and disable, but the database for delete.
var ciscoFlags = map[string]map[string]string{
	cmdExport: {
		"s": flagLDAPServer, "i": flagSQLServer, "f": flagFile,
		"l": flagLogLevel, "r": flagRunMode, "d": flagDomain,
	},
	cmdDisable: {"s": flagLDAPServer, "f": flagFile, "l": flagLogLevel},
	cmdDelete:  {"s": flagSQLServer, "f": flagFile, "l": flagLogLevel},
	// verify is not Cisco's; it takes the forms that mean the same in all
	// three tools (-s/ names AD for two of them and SQL Server for one).
	cmdVerify: {"f": flagFile, "l": flagLogLevel},
}

// ciscoLetterFor returns "-s/" when flag has a Cisco form in command.
func ciscoLetterFor(command, flag string) string {
	for letter, f := range ciscoFlags[command] {
		if f == flag {
			return "-" + letter + "/"
		}
	}
	return ""
}

func ciscoForms(command string) string {
	var forms []string
	for letter := range ciscoFlags[command] {
		forms = append(forms, "-"+letter+"/")
	}
	sort.Strings(forms)
	return strings.Join(forms, " ")
}

// commandFromArgv0 returns the command an executable named like one of
// Cisco's tools runs: ExportContacts, DisableAccount or DeleteAccount, with or
// without .exe, in any case and any folder (either slash).
func commandFromArgv0(argv0 string) string {
	base := argv0[strings.LastIndexAny(argv0, `/\`)+1:]
	base = strings.ToLower(base)
	base = strings.TrimSuffix(base, ".exe")
	for _, c := range ciscoTools {
		if base == c {
			return c
		}
	}
	return ""
}

var ciscoToken = regexp.MustCompile(`^-([A-Za-z])/(.*)$`)

// flagInfo is what the translator needs to know of a command's flags.
type flagInfo struct {
	canonical string // the long name
	value     bool   // takes a value (not a bool flag)
	repeat    bool   // may be given several times
}

func flagTable(flags []cli.Flag) map[string]flagInfo {
	t := map[string]flagInfo{}
	for _, f := range flags {
		names := f.Names()
		info := flagInfo{canonical: names[0], value: true}
		switch f.(type) {
		case *cli.BoolFlag:
			info.value = false
		case *cli.StringSliceFlag:
			info.repeat = true
		}
		for _, n := range names {
			t[n] = info
		}
	}
	return t
}

// translateCisco rewrites the Cisco forms "-s/value" and "-s/ value" into
// "--long=value" before urfave parses the arguments, and records which long
// flags came from a Cisco form. It walks the arguments as the parser will, so
// that the value of a flag (a DN, a path) is never mistaken for a flag. It
// also refuses a non-repeatable flag given twice, which urfave would resolve
// silently by keeping the last.
func translateCisco(command string, args []string, flags []cli.Flag) (out []string, cisco map[string]string, err error) {
	table := flagTable(flags)
	cisco = map[string]string{}
	seen := map[string]string{} // canonical -> how it was first given
	note := func(canonical, as string) error {
		info := table[canonical]
		if prev, dup := seen[canonical]; dup && !info.repeat && info.value {
			return fmt.Errorf("--%s given twice (%s and %s): give it once", canonical, prev, as)
		}
		seen[canonical] = as
		return nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...), cisco, nil
		}
		if m := ciscoToken.FindStringSubmatch(a); m != nil {
			letter := strings.ToLower(m[1])
			long, ok := ciscoFlags[command][letter]
			if !ok {
				return nil, nil, fmt.Errorf("-%s/ is not a Cisco flag of %s (its Cisco flags are %s)", letter, command, ciscoForms(command))
			}
			form := "-" + letter + "/"
			value := m[2]
			if value == "" { // "-s/ value": the value is the next argument
				if i+1 >= len(args) || (strings.HasPrefix(args[i+1], "-") && args[i+1] != "-") {
					return nil, nil, fmt.Errorf("%s needs a value", form)
				}
				i++
				value = args[i]
			}
			if err := note(long, form); err != nil {
				return nil, nil, err
			}
			cisco[long] = form
			out = append(out, "--"+long+"="+value)
			continue
		}
		out = append(out, a)
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue // a positional argument: rejected after parsing
		}
		name := strings.TrimLeft(a, "-")
		name, _, hasValue := strings.Cut(name, "=")
		info, known := table[name]
		if !known {
			continue // urfave reports it
		}
		if err := note(info.canonical, a); err != nil {
			return nil, nil, err
		}
		if info.value && !hasValue && i+1 < len(args) {
			i++
			out = append(out, args[i]) // the flag's value, whatever it looks like
		}
	}
	return out, cisco, nil
}
