package main

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/tools/gendocs/mdblock"
)

func renderedReference() string {
	sys := newSystem(strings.NewReader(""), io.Discard, io.Discard)
	return flagReference(newApp(&invocation{sys: sys}))
}

// The README's flag reference is what the CLI's flag definitions render:
// change a flag, its default or its usage, and this fails until
// `go run ./tools/gendocs` has rewritten the block.
func TestREADMEFlagReferenceIsCurrent(t *testing.T) {
	doc, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	got, err := mdblock.Extract(strings.ReplaceAll(string(doc), "\r\n", "\n"), mdblock.FlagsBegin, mdblock.FlagsEnd)
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	want := renderedReference()
	if got == want {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("README.md's flag reference is out of date: run `go run ./tools/gendocs`.\nfirst difference, line %d of the block:\n README: %q\n    CLI: %q", i+1, gl, wl)
		}
	}
}

// The rendering itself, against rows written by hand from SPEC 3.7.1 and
// the flags' help: names with the short alias, the default, the variable
// (taken out of the usage into its column), and the Cisco forms.
func TestFlagReferenceRows(t *testing.T) {
	ref := renderedReference()
	for _, want := range []string{
		"### exportcontacts\n",
		"### disableaccount\n",
		"### deleteaccount\n",
		"| `--file`, `-f` | — | — | users file, one per line; - reads standard input (Cisco: -f/) |",
		"| `--log-level`, `-l` | `info` | — | log level: error, info or debug (Cisco: -l/) |",
		"| `--workers` | `4` | — | users in flight at once |",
		"| `--dry-run` | off | — | connect, resolve every user and report what would change; write nothing |",
		"| `--max-users` | `5000` | — | refuse a users file with more users than this |",
		"| `--ldap-spn` | `ldap/<host>` | `LYNCMIGRATE_LDAP_SPN` | service principal name for kerberos |",
		"| `--ldap-insecure-skip-verify` | off | — | do not verify the domain controller's certificate (insecure; command line only) |",
		"| `--sql-database` | `rtc` | `LYNCMIGRATE_SQL_DATABASE` | database name |",
		"| `--sql-encrypt` | `false` | `LYNCMIGRATE_SQL_ENCRYPT` | encryption: disable, false, true or strict (old Lync SQL Express instances need disable) |",
		"| `--clear` | — | — | also remove this attribute (repeatable) |",
		"| `--sql-auth` | windows on Windows, sql elsewhere | `LYNCMIGRATE_SQL_AUTH` | authentication: windows, sql or kerberos |",
		"| `--run-mode`, `-r` | `NORMAL` | — | NORMAL writes the CSV; STATSONLY only the log's statistics (Cisco: -r/) |",
		"| `--default-group` | `General` | — | group of contacts in no group or in the default group |",
		"Cisco flags: `-d/` = `--domain`, `-f/` = `--file`, `-i/` = `--sql-server`, `-l/` = `--log-level`, `-r/` = `--run-mode`, `-s/` = `--ldap-server` (as `-x/value` or `-x/ value`).",
		"Cisco flags: `-f/` = `--file`, `-l/` = `--log-level`, `-s/` = `--sql-server` (as `-x/value` or `-x/ value`).",
	} {
		if !strings.Contains(ref, want) {
			t.Errorf("the flag reference lacks\n%s", want)
		}
	}
	// every flag of every command has its row, in each command's section
	app := newApp(&invocation{sys: newSystem(strings.NewReader(""), io.Discard, io.Discard)})
	sections := strings.Split(ref, "\n### ")[1:]
	if len(sections) != len(app.Commands) {
		t.Fatalf("%d sections for %d commands", len(sections), len(app.Commands))
	}
	for i, c := range app.Commands {
		for _, f := range c.Flags {
			if !strings.Contains(sections[i], "\n| `--"+f.Names()[0]+"`") {
				t.Errorf("%s: no row for --%s", c.Name, f.Names()[0])
			}
		}
		if rows := strings.Count(sections[i], "\n| `-"); rows != len(c.Flags) {
			t.Errorf("%s: %d rows for %d flags", c.Name, rows, len(c.Flags))
		}
	}
	if strings.Contains(ref, "[$LYNCMIGRATE_") {
		t.Error("a variable was left in a usage text; it belongs in the environment column")
	}
}

func TestMarkdownEscapes(t *testing.T) {
	if got := mdText("a|b <ts>"); got != `a\|b &lt;ts&gt;` {
		t.Errorf("mdText = %q", got)
	}
	if got := mdCell("x|y"); got != `x\|y` {
		t.Errorf("mdCell = %q", got)
	}
}
