package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
)

// flagReference renders every command's flags, from the app's own flag
// definitions, as the Markdown block between the FLAGS markers of README.md.
// `go run ./tools/gendocs` writes it there; flagdoc_test.go fails when the
// README holds anything else, so that the documented flags cannot drift.
func flagReference(app *cli.App) string {
	var b strings.Builder
	b.WriteString("Every command also takes `--help` (`-h`). `lyncmigrate --version` prints the version, the commit and\n")
	b.WriteString("the OS/architecture. A variable in the environment column is read only when the flag is not given.\n")
	for _, c := range app.Commands {
		fmt.Fprintf(&b, "\n### %s\n\n", c.Name)
		fmt.Fprintf(&b, "%s.\n\n", upperFirst(c.Usage))
		fmt.Fprintf(&b, "```text\n%s\n```\n\n", c.UsageText)
		fmt.Fprintf(&b, "Cisco flags: %s.\n\n", ciscoReference(c.Name))
		b.WriteString("| flag | default | environment | what it does |\n|---|---|---|---|\n")
		for _, f := range c.Flags {
			b.WriteString(flagRow(f) + "\n")
		}
	}
	return b.String()
}

// flagRow is one table row: names, default, variable, usage.
func flagRow(f cli.Flag) string {
	names := f.Names()
	var shown []string
	for _, n := range names {
		if len(n) == 1 {
			shown = append(shown, "`-"+n+"`")
		} else {
			shown = append(shown, "`--"+n+"`")
		}
	}
	d, ok := f.(cli.DocGenerationFlag)
	if !ok { // every flag type of urfave v2 implements it
		panic(fmt.Sprintf("flag %s has no documentation methods", names[0]))
	}
	def := "—"
	if d.TakesValue() {
		switch t := unquote(d.GetDefaultText()); {
		case strings.Contains(t, " "): // a description, not a value
			def = mdText(t)
		case t != "":
			def = "`" + mdCell(t) + "`"
		}
	} else {
		def = "off"
	}
	env, usage := "—", d.GetUsage()
	if e, has := envVarFor(names[0]); has {
		env = "`" + e + "`"
		usage = strings.TrimSuffix(usage, " [$"+e+"]") // the column says it
	}
	return fmt.Sprintf("| %s | %s | %s | %s |", strings.Join(shown, ", "), def, env, mdText(usage))
}

// ciscoReference lists a command's Cisco forms: `-s/` = `--ldap-server`, …
func ciscoReference(command string) string {
	var parts []string
	for _, letter := range strings.Fields(ciscoForms(command)) {
		parts = append(parts, "`"+letter+"` = `--"+ciscoFlags[command][letter[1:2]]+"`")
	}
	return strings.Join(parts, ", ") + " (as `-x/value` or `-x/ value`)"
}

func unquote(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// mdCell escapes text for inside a code span in a table cell.
func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// mdText escapes plain text for a table cell: a pipe would end the cell and
// "<ts>" would be read as HTML.
func mdText(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}
