package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// Every lyncmigrate, lyncmigrate.exe and Cisco-named command line in the
// README's sh and powershell code blocks goes through the CLI's parser and
// validation, with fake jobs (harness_test.go) so that nothing runs. A line is
// accepted when it would start its job (or print help or the version); a line
// ending in "# exit N" must give that code instead, so that the README can
// show a refused command and be held to it. sh blocks run as on Linux,
// powershell blocks as on Windows; the variables a block exports (export,
// read, $env:X = …) are in the environment of the lines after it, up to the
// next "## " section, where a reader may start afresh.

const readmePath = "../../README.md"

// readmeCommand is one command line found in the README.
type readmeCommand struct {
	where    string // README.md:LINE
	shell    string // "sh" or "powershell"
	text     string // the logical line as written
	args     []string
	env      map[string]string
	wantExit int
}

// readmeShells maps code block languages to the shell that reads them.
var readmeShells = map[string]string{
	"sh": "sh", "bash": "sh", "shell": "sh",
	"powershell": "powershell", "ps1": "powershell", "pwsh": "powershell",
}

// isProgram reports whether a command word runs lyncmigrate: by its name or
// by one of Cisco's (SPEC 3.1), with or without a folder and .exe.
func isProgram(word string) bool {
	base := strings.ToLower(word[strings.LastIndexAny(word, `/\`)+1:])
	return strings.TrimSuffix(base, ".exe") == "lyncmigrate" || commandFromArgv0(word) != ""
}

// session is the state a shell keeps between lines: its variables and the
// exported ones.
type session struct {
	vars, env map[string]string
}

// typed stands for a value the operator types at a prompt (read, Read-Host).
const typed = "typed-at-the-prompt"

// readmeCommands extracts the command lines of doc. Problems (a command in an
// unlabelled block, syntax the shell model does not know) are returned as
// errors naming the line.
func readmeCommands(doc string) ([]readmeCommand, []error) {
	var cmds []readmeCommand
	var errs []error
	var sessions map[string]*session
	newSessions := func() {
		sessions = map[string]*session{
			"sh":         {vars: map[string]string{}, env: map[string]string{}},
			"powershell": {vars: map[string]string{}, env: map[string]string{}},
		}
	}
	newSessions()
	lines := strings.Split(strings.ReplaceAll(doc, "\r\n", "\n"), "\n")
	inBlock, lang := false, ""
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if !inBlock && strings.HasPrefix(l, "## ") {
			newSessions() // a reader may start at any section: each is a new terminal
			continue
		}
		if strings.HasPrefix(strings.TrimLeft(l, " "), "```") {
			inBlock = !inBlock
			lang = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "`"))
			continue
		}
		if !inBlock {
			continue
		}
		start := i + 1
		shell, known := readmeShells[lang]
		if !known {
			if f := strings.Fields(l); lang == "" && len(f) > 0 && isProgram(f[0]) {
				errs = append(errs, fmt.Errorf("README.md:%d: a command in a code block without a language: mark it sh or powershell (or text if it is output)", start))
			}
			continue
		}
		// a logical line: sh continues a line ending in \, PowerShell one ending in `
		cont := map[string]string{"sh": `\`, "powershell": "`"}[shell]
		logical := l
		for strings.HasSuffix(logical, cont) && i+1 < len(lines) {
			i++
			logical = strings.TrimSuffix(logical, cont) + " " + strings.TrimSpace(lines[i])
		}
		found, err := sessions[shell].read(logical, shell)
		if err != nil {
			errs = append(errs, fmt.Errorf("README.md:%d: %v: %s", start, err, logical))
			continue
		}
		for _, c := range found {
			c.where = fmt.Sprintf("README.md:%d", start)
			c.text = logical
			cmds = append(cmds, c)
		}
	}
	return cmds, errs
}

// read runs one logical line through the session: it records variables and
// returns the lyncmigrate commands of the line.
func (s *session) read(logical, shell string) ([]readmeCommand, error) {
	split := splitSh
	if shell == "powershell" {
		split = splitPowerShell
		if done, err := s.powerShellStatement(logical); done || err != nil {
			return nil, err
		}
	}
	toks, comment, err := split(logical)
	if err != nil {
		for _, f := range strings.Fields(logical) {
			if isProgram(f) {
				return nil, err
			}
		}
		return nil, nil // another program's line (Get-CsUser …, kinit …): not ours to judge
	}
	line := splitCommands(toks, comment)
	var out []readmeCommand
	for _, tc := range line.commands {
		words := dropRedirections(tc)
		local := map[string]string{}
		if shell == "sh" { // NAME=value before a command is in its environment only
			for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
				k, v, _ := strings.Cut(words[0], "=")
				local[k] = v
				words = words[1:]
			}
		}
		if shell == "powershell" && len(words) > 0 && words[0] == "&" { // the call operator
			words = words[1:]
		}
		if len(words) == 0 {
			continue
		}
		if shell == "sh" && s.shBuiltin(words) {
			continue
		}
		if !isProgram(words[0]) {
			continue
		}
		env := map[string]string{}
		for k, v := range s.env {
			env[k] = v
		}
		for k, v := range local {
			env[k] = v
		}
		out = append(out, readmeCommand{shell: shell, args: words, env: env, wantExit: line.wantExit})
	}
	return out, nil
}

// shBuiltin models export, read and unset.
func (s *session) shBuiltin(words []string) bool {
	switch words[0] {
	case "export":
		for _, w := range words[1:] {
			if k, v, ok := strings.Cut(w, "="); ok {
				s.vars[k], s.env[k] = v, v
			} else if v, set := s.vars[w]; set {
				s.env[w] = v
			}
		}
	case "read":
		for _, w := range words[1:] {
			if !strings.HasPrefix(w, "-") && w != "" {
				s.vars[w] = typed
			}
		}
	case "unset":
		for _, w := range words[1:] {
			delete(s.vars, w)
			delete(s.env, w)
		}
	default:
		return false
	}
	return true
}

// powerShellStatement models $env:NAME = 'value' (or = Read-Host …) and
// Remove-Item Env:NAME.
func (s *session) powerShellStatement(logical string) (bool, error) {
	t := strings.TrimSpace(logical)
	if strings.HasPrefix(strings.ToLower(t), "remove-item env:") {
		delete(s.env, strings.TrimSpace(t[len("remove-item env:"):]))
		return true, nil
	}
	if !strings.HasPrefix(strings.ToLower(t), "$env:") {
		return false, nil
	}
	name, value, ok := strings.Cut(t[len("$env:"):], "=")
	if !ok {
		return true, fmt.Errorf("$env: without an assignment")
	}
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if strings.HasPrefix(strings.ToLower(value), "read-host") {
		s.env[name] = typed
		return true, nil
	}
	toks, _, err := splitPowerShell(value)
	if err != nil || len(toks) != 1 || toks[0].op {
		return true, fmt.Errorf("$env:%s: the value must be one quoted word or Read-Host", name)
	}
	s.env[name] = toks[0].text
	return true, nil
}

// verdict runs one README command line through the CLI with fake jobs. It
// returns the command whose job would have run ("" for help, the version or
// an expected refusal) and what is wrong, if anything.
func (c readmeCommand) verdict(t *testing.T) (ran, problem string) {
	t.Helper()
	goos := "linux"
	if c.shell == "powershell" {
		goos = "windows"
	}
	out := proc{goos: goos, env: c.env, tty: true}.run(t, c.args...)
	info := hasArg(c.args, "--help", "-h") || hasArg(c.args, "--version")
	switch {
	case c.wantExit != 0:
		if out.code != c.wantExit || out.jobs != 0 {
			return "", fmt.Sprintf("%s: want exit %d and no job, got exit %d (%d jobs):\n  %s\nstderr:\n%s", c.where, c.wantExit, out.code, out.jobs, c.text, out.stderr)
		}
	case info && out.code == 0 && out.jobs == 0:
	case out.code != 0 || out.jobs != 1:
		return "", fmt.Sprintf("%s: the CLI refuses this command line (exit %d, %d jobs):\n  %s\nstderr:\n%s", c.where, out.code, out.jobs, c.text, out.stderr)
	default:
		return ranCommand(out), ""
	}
	return "", ""
}

func ranCommand(o outcome) string {
	switch {
	case o.export != nil:
		return cmdExport
	case o.disable != nil:
		return cmdDisable
	case o.delete != nil:
		return cmdDelete
	case o.verify != nil:
		return cmdVerify
	}
	return ""
}

func hasArg(args []string, names ...string) bool {
	for _, a := range args[1:] {
		for _, n := range names {
			if a == n {
				return true
			}
		}
	}
	return false
}

func TestREADMECommandLines(t *testing.T) {
	doc, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	cmds, errs := readmeCommands(string(doc))
	for _, e := range errs {
		t.Error(e)
	}
	// What the README must show, each accepted: every command on a Windows
	// front end and on a Linux admin host, and each of Cisco's tool names.
	want := map[string]bool{}
	for _, c := range commandNames {
		want["powershell "+c] = false
		want["sh "+c] = false
	}
	cisco := map[string]bool{"exportcontacts": false, "disableaccount": false, "deleteaccount": false}
	for _, c := range cmds {
		ran, problem := c.verdict(t)
		if problem != "" {
			t.Error(problem)
		}
		if ran == "" {
			continue
		}
		want[c.shell+" "+ran] = true
		if name := commandFromArgv0(c.args[0]); name != "" {
			cisco[name] = true
		}
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("README.md has no accepted %s command line in a %s block", strings.Fields(k)[1], strings.Fields(k)[0])
		}
	}
	for k, seen := range cisco {
		if !seen {
			t.Errorf("README.md has no accepted command line under Cisco's name for %s", k)
		}
	}
	t.Logf("%d command lines of README.md checked", len(cmds))
}

// The walker itself: a README with a good line, a refused one, an expected
// refusal and shell mistakes must be read exactly so.
func TestREADMEWalker(t *testing.T) {
	doc := strings.Join([]string{
		"# T",
		"```sh",
		"read -rsp 'LDAP password: ' LYNCMIGRATE_LDAP_PASSWORD && export LYNCMIGRATE_LDAP_PASSWORD",
		"./lyncmigrate disableaccount --ldap-server dc1 --ldap-bind-dn a@b.c \\",
		"    -f users.txt --dry-run   # preview",
		"lyncmigrate disableaccount --ldap-server dc1 --ldap-bind-dn a@b.c -f users.txt extra --dry-run  # exit 2",
		"lyncmigrate deleteaccount --sql-server fe1\\rtclocal --sql-user u -f u.txt",
		"lyncmigrate deleteaccount --sql-server 'fe1\\rtclocal' --sql-user u -f u.txt",
		"make demo",
		"```",
		"## Next",
		"```sh",
		"lyncmigrate disableaccount --ldap-server dc1 -f u.txt",
		"```",
		"```powershell",
		`.\DeleteAccount.exe -s/ fe1.corp.local\rtclocal -f/UserList.txt -l/info > out.txt`,
		"Get-Thing $x, y",
		"lyncmigrate.exe deleteaccount --sql-server fe1,1433 -f u.txt",
		"```",
		"```",
		"lyncmigrate exportcontacts -f ALL",
		"```",
		"```text",
		"lyncmigrate disableaccount: unexpected argument",
		"```",
	}, "\n")
	cmds, errs := readmeCommands(doc)
	if len(errs) != 3 ||
		!strings.Contains(errs[0].Error(), "README.md:7: sh drops the backslash") ||
		!strings.Contains(errs[1].Error(), "README.md:18: unquoted comma") ||
		!strings.Contains(errs[2].Error(), "README.md:21: a command in a code block without a language") {
		t.Fatalf("errors = %v", errs)
	}
	if len(cmds) != 5 {
		t.Fatalf("got %d commands, want 5: %+v", len(cmds), cmds)
	}
	wantArgs := [][]string{
		{"./lyncmigrate", "disableaccount", "--ldap-server", "dc1", "--ldap-bind-dn", "a@b.c", "-f", "users.txt", "--dry-run"},
		{"lyncmigrate", "disableaccount", "--ldap-server", "dc1", "--ldap-bind-dn", "a@b.c", "-f", "users.txt", "extra", "--dry-run"},
		{"lyncmigrate", "deleteaccount", "--sql-server", `fe1\rtclocal`, "--sql-user", "u", "-f", "u.txt"},
		{"lyncmigrate", "disableaccount", "--ldap-server", "dc1", "-f", "u.txt"},
		{`.\DeleteAccount.exe`, "-s/", `fe1.corp.local\rtclocal`, "-f/UserList.txt", "-l/info"},
	}
	for i, w := range wantArgs {
		if strings.Join(cmds[i].args, "\x00") != strings.Join(w, "\x00") {
			t.Errorf("command %d args = %q, want %q", i, cmds[i].args, w)
		}
	}
	if cmds[0].where != "README.md:4" || cmds[0].env["LYNCMIGRATE_LDAP_PASSWORD"] != typed || cmds[0].wantExit != 0 {
		t.Errorf("command 0 = %+v", cmds[0])
	}
	if cmds[1].wantExit != 2 {
		t.Errorf("the # exit 2 comment was not read: %+v", cmds[1])
	}
	if _, set := cmds[3].env["LYNCMIGRATE_LDAP_PASSWORD"]; set {
		t.Errorf("variables outlived their section: %+v", cmds[3])
	}
	if _, set := cmds[4].env["LYNCMIGRATE_LDAP_PASSWORD"]; set || cmds[4].shell != "powershell" {
		t.Errorf("sh variables leaked into PowerShell: %+v", cmds[4])
	}
	// and judged: the expected refusal passes, a refusal without "# exit 2"
	// does not, and neither does a line the README says is refused but is not
	judged := append(cmds, readmeCommand{where: "x:1", shell: "sh", text: "no server",
		args: []string{"lyncmigrate", "disableaccount", "-f", "users.txt"}, env: map[string]string{}},
		readmeCommand{where: "x:2", shell: "sh", text: "accepted", wantExit: 2,
			args: []string{"lyncmigrate", "--version"}, env: map[string]string{}})
	want := []struct{ ran, problem string }{
		{cmdDisable, ""}, {"", ""}, {cmdDelete, ""},
		{"", "README.md:13: the CLI refuses this command line (exit 2"}, // no bind DN in a new section
		{cmdDelete, ""},
		{"", "x:1: the CLI refuses this command line (exit 2"},
		{"", "x:2: want exit 2 and no job, got exit 0"},
	}
	for i, c := range judged {
		ran, problem := c.verdict(t)
		if ran != want[i].ran || (want[i].problem == "") != (problem == "") || !strings.Contains(problem, want[i].problem) {
			t.Errorf("verdict %d = %q, %q; want %q, %q", i, ran, problem, want[i].ran, want[i].problem)
		}
	}
}
