package main

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// The README's code blocks are read the way their shell would read them, so
// that a command line that only works when retyped (a backslash eaten by sh,
// a comma that makes PowerShell pass an array) fails the README test. Only
// the small part of each language the README uses is modelled; anything else
// is reported, never guessed.

// token is a word or an operator of one logical line.
type token struct {
	text string
	op   bool // | || && ; & and redirections
}

// shellLine is what a logical line asks for: its simple commands and the
// exit code a trailing "# exit N" comment expects.
type shellLine struct {
	commands [][]token
	wantExit int
}

var exitComment = regexp.MustCompile(`^#\s*exit\s+(\d+)\b`)

// splitCommands cuts tokens at | || && ; and reads the trailing comment.
func splitCommands(toks []token, comment string) shellLine {
	var l shellLine
	var cur []token
	for _, t := range toks {
		if t.op && (t.text == "|" || t.text == "||" || t.text == "&&" || t.text == ";") {
			l.commands = append(l.commands, cur)
			cur = nil
			continue
		}
		cur = append(cur, t)
	}
	l.commands = append(l.commands, cur)
	if m := exitComment.FindStringSubmatch(comment); m != nil {
		l.wantExit, _ = strconv.Atoi(m[1])
	}
	return l
}

// dropRedirections removes redirection operators and their targets.
func dropRedirections(toks []token) []string {
	var words []string
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.op {
			if strings.HasSuffix(t.text, ">") || strings.HasSuffix(t.text, "<") {
				i++ // the file name
			}
			continue
		}
		words = append(words, t.text)
	}
	return words
}

// shSpecial are the characters an unquoted backslash is meant to escape.
const shSpecial = " \t\\'\"$`|&;<>()#*?[]~"

// splitSh reads one logical POSIX shell line with mvdan.cc/sh's parser and
// returns its words (quotes and escapes removed, as sh passes them) and
// operators in the order written. What the README must not do is an error:
// a parameter or command expansion (the test cannot know the value) and a
// backslash sh would drop (host\instance reaching the program as hostinstance).
func splitSh(line string) (toks []token, comment string, err error) {
	f, err := syntax.NewParser(syntax.KeepComments(true), syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(line), "")
	if err != nil {
		if syntax.IsIncomplete(err) {
			return nil, "", fmt.Errorf("unterminated quote or construct: %v", err)
		}
		return nil, "", err
	}
	for i, st := range f.Stmts {
		if i > 0 {
			toks = append(toks, token{text: ";", op: true})
		}
		if toks, err = shStmt(toks, st); err != nil {
			return nil, "", err
		}
		for _, c := range st.Comments {
			comment = strings.TrimSpace("#" + c.Text)
		}
	}
	for _, c := range f.Last {
		comment = strings.TrimSpace("#" + c.Text)
	}
	return toks, comment, nil
}

// shStmt appends the tokens of one statement: a simple command's assignments,
// words and redirections by position, or both sides of && || |.
func shStmt(toks []token, st *syntax.Stmt) ([]token, error) {
	type placed struct {
		at   uint
		toks []token
	}
	var parts []placed
	switch c := st.Cmd.(type) {
	case *syntax.BinaryCmd:
		left, err := shStmt(nil, c.X)
		if err != nil {
			return nil, err
		}
		right, err := shStmt(nil, c.Y)
		if err != nil {
			return nil, err
		}
		toks = append(append(append(toks, left...), token{text: c.Op.String(), op: true}), right...)
	case *syntax.CallExpr:
		for _, a := range c.Assigns {
			v, err := shWord(a.Value)
			if err != nil {
				return nil, err
			}
			parts = append(parts, placed{a.Pos().Offset(), []token{{text: a.Name.Value + "=" + v}}})
		}
		for _, w := range c.Args {
			v, err := shWord(w)
			if err != nil {
				return nil, err
			}
			parts = append(parts, placed{w.Pos().Offset(), []token{{text: v}}})
		}
	case nil:
	default:
		return nil, fmt.Errorf("%T: shell syntax the README test does not model", c)
	}
	for _, r := range st.Redirs {
		op := r.Op.String()
		if r.N != nil {
			op = r.N.Value + op
		}
		target, err := shWord(r.Word)
		if err != nil {
			return nil, err
		}
		t := []token{{text: op, op: true}, {text: target}}
		if r.Op == syntax.DplOut || r.Op == syntax.DplIn { // 2>&1: no file name
			t = []token{{text: op + target, op: true}}
		}
		parts = append(parts, placed{r.Pos().Offset(), t})
	}
	slices.SortStableFunc(parts, func(a, b placed) int { return cmp.Compare(a.at, b.at) })
	for _, p := range parts {
		toks = append(toks, p.toks...)
	}
	if st.Background {
		toks = append(toks, token{text: "&", op: true})
	}
	return toks, nil
}

// shWord is the value sh passes for a word, refusing expansions and the
// backslashes sh would drop.
func shWord(w *syntax.Word) (string, error) {
	if w == nil {
		return "", nil
	}
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.SglQuoted:
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if _, ok := q.(*syntax.Lit); !ok {
					return "", fmt.Errorf("%q: expansion inside double quotes is not modelled; use single quotes", w.Lit())
				}
			}
		case *syntax.Lit:
			for i := 0; i+1 < len(p.Value); i++ {
				if p.Value[i] != '\\' {
					continue
				}
				if !strings.ContainsRune(shSpecial, rune(p.Value[i+1])) {
					return "", fmt.Errorf("sh drops the backslash of %q: quote the value ('host\\instance')", p.Value[i:i+2])
				}
				i++
			}
		default:
			return "", fmt.Errorf("%T: expansion is not modelled; write the value out", p)
		}
	}
	fields, err := expand.Fields(nil, w) // quotes and escapes removed; no globbing without a ReadDir
	if err != nil || len(fields) != 1 {
		return "", fmt.Errorf("%q is not one word to sh (%v)", w.Lit(), err)
	}
	return fields[0], nil
}

// splitPowerShell tokenises one logical PowerShell line as arguments of a
// native command. Backslashes are literal; 'single' quotes are literal (” is
// a quote); "double" quotes take backtick escapes. Unquoted text that
// PowerShell would not pass as typed is an error: a comma (an array), a
// leading @ ( { or $ (splatting, sub-expressions, variables).
func splitPowerShell(line string) (toks []token, comment string, err error) {
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			toks = append(toks, token{text: cur.String()})
			cur.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			flush()
		case c == '#' && !inWord:
			return toks, strings.TrimSpace(line[i:]), nil
		case c == '`':
			if i+1 >= len(line) {
				return nil, "", fmt.Errorf("backtick at the end of the line")
			}
			i++
			cur.WriteByte(line[i])
			inWord = true
		case c == '\'':
			i++
			for ; i < len(line); i++ {
				if line[i] == '\'' {
					if i+1 < len(line) && line[i+1] == '\'' {
						i++
					} else {
						break
					}
				}
				cur.WriteByte(line[i])
			}
			if i >= len(line) {
				return nil, "", fmt.Errorf("unterminated single quote")
			}
			inWord = true
		case c == '"':
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				switch line[i] {
				case '$':
					return nil, "", fmt.Errorf("$ inside double quotes: variables are not modelled; use single quotes")
				case '`':
					i++
					if i >= len(line) {
						return nil, "", fmt.Errorf("unterminated double quote")
					}
				}
				cur.WriteByte(line[i])
			}
			if i >= len(line) {
				return nil, "", fmt.Errorf("unterminated double quote")
			}
			inWord = true
		case c == ',':
			return nil, "", fmt.Errorf("unquoted comma: PowerShell passes an array; quote the value ('host,1433')")
		case !inWord && (c == '@' || c == '(' || c == '{' || c == '$' || c == '<'):
			return nil, "", fmt.Errorf("%q at the start of an argument is PowerShell syntax; quote the value", c)
		case c == '|' || c == ';' || c == '>':
			flush()
			op := string(c)
			if c == '>' && i+1 < len(line) && line[i+1] == '>' {
				op = ">>"
			}
			toks = append(toks, token{text: op, op: true})
			i += len(op) - 1
		case !inWord && c >= '0' && c <= '9' && i+1 < len(line) && line[i+1] == '>':
			flush()
			op := line[i : i+2]
			if strings.HasPrefix(line[i+2:], "&1") { // 2>&1: no file name follows
				op = line[i : i+4]
			}
			toks = append(toks, token{text: op, op: true})
			i += len(op) - 1
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return toks, "", nil
}

func words(toks []token) []string {
	var w []string
	for _, t := range toks {
		if t.op {
			w = append(w, "<"+t.text+">")
		} else {
			w = append(w, t.text)
		}
	}
	return w
}

func TestSplitShells(t *testing.T) {
	tests := []struct {
		shell, line string
		want        []string
		comment     string
		err         string
	}{
		{"sh", `lyncmigrate deleteaccount -s/ 'fe1\rtclocal' -f/u.txt`, []string{"lyncmigrate", "deleteaccount", "-s/", `fe1\rtclocal`, "-f/u.txt"}, "", ""},
		{"sh", `a "x y" "q\"uote" b\ c \$`, []string{"a", "x y", `q"uote`, "b c", "$"}, "", ""},
		{"sh", `a fe1\rtclocal`, nil, "", "sh drops the backslash"},
		{"sh", `a -f - < users.txt 2>err.txt | jq . && b >> out  # exit 1`, []string{"a", "-f", "-", "<<>", "users.txt", "<2>>", "err.txt", "<|>", "jq", ".", "<&&>", "b", "<>>>", "out"}, "# exit 1", ""},
		{"sh", `a 2>&1; b`, []string{"a", "<2>&1>", "<;>", "b"}, "", ""},
		{"sh", `x=1 a#b c`, []string{"x=1", "a#b", "c"}, "", ""},
		{"sh", `a "$HOME"`, nil, "", "expansion"},
		{"sh", `a $X`, nil, "", "expansion"},
		{"sh", `a 'b`, nil, "", "unterminated"},
		{"powershell", `.\lyncmigrate.exe deleteaccount --sql-server fe1\rtclocal -f 'my users.txt'`, []string{`.\lyncmigrate.exe`, "deleteaccount", "--sql-server", `fe1\rtclocal`, "-f", "my users.txt"}, "", ""},
		{"powershell", `a 'it''s' "b` + "`" + `"c" 'h,1433' > out.txt 2>&1 # note`, []string{"a", "it's", `b"c`, "h,1433", "<>>", "out.txt", "<2>&1>"}, "# note", ""},
		{"powershell", `a --ldap-bind-dn admin@corp.local`, []string{"a", "--ldap-bind-dn", "admin@corp.local"}, "", ""},
		{"powershell", `a h,1433`, nil, "", "comma"},
		{"powershell", `a @args`, nil, "", "PowerShell syntax"},
		{"powershell", `a $x`, nil, "", "PowerShell syntax"},
		{"powershell", `a "$x"`, nil, "", "variables"},
	}
	for _, tt := range tests {
		split := splitSh
		if tt.shell == "powershell" {
			split = splitPowerShell
		}
		toks, comment, err := split(tt.line)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s %q: error %v, want %q", tt.shell, tt.line, err, tt.err)
			}
			continue
		}
		if err != nil || strings.Join(words(toks), "\x00") != strings.Join(tt.want, "\x00") || comment != tt.comment {
			t.Errorf("%s %q:\n got %q %q %v\nwant %q %q", tt.shell, tt.line, words(toks), comment, err, tt.want, tt.comment)
		}
	}
}

func TestSplitCommands(t *testing.T) {
	toks, comment, _ := splitSh(`read -rs P && export P; a -f x > out.txt | tee y   # exit 2`)
	l := splitCommands(toks, comment)
	if l.wantExit != 2 || len(l.commands) != 4 {
		t.Fatalf("got %+v", l)
	}
	if got := dropRedirections(l.commands[2]); strings.Join(got, " ") != "a -f x" {
		t.Errorf("redirection not dropped: %q", got)
	}
}
