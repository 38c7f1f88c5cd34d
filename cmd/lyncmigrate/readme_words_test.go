package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
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

var shRedirect = regexp.MustCompile(`^(?:[0-9]>&[0-9]|[0-9]?>>?|&>|[0-9]?<)`)

// splitSh tokenises one logical POSIX shell line: quotes, backslashes,
// comments, operators. Parameter expansion is not modelled ($ is an error).
func splitSh(line string) (toks []token, comment string, err error) {
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
		case c == '\\':
			if i+1 >= len(line) {
				return nil, "", fmt.Errorf("backslash at the end of the line")
			}
			if !strings.ContainsRune(shSpecial, rune(line[i+1])) {
				// sh drops it: host\instance would reach the program as hostinstance
				return nil, "", fmt.Errorf("sh drops the backslash of %q: quote the value ('host\\instance')", line[i:i+2])
			}
			i++
			cur.WriteByte(line[i])
			inWord = true
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, "", fmt.Errorf("unterminated single quote")
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(line) && line[i] != '"'; i++ {
				switch {
				case line[i] == '$' || line[i] == '`':
					return nil, "", fmt.Errorf("%q inside double quotes: expansion is not modelled; use single quotes", line[i])
				case line[i] == '\\' && i+1 < len(line) && strings.IndexByte(`$"\`+"`", line[i+1]) >= 0:
					i++
				}
				cur.WriteByte(line[i])
			}
			if i >= len(line) {
				return nil, "", fmt.Errorf("unterminated double quote")
			}
			inWord = true
		case c == '$' || c == '`':
			return nil, "", fmt.Errorf("%q: expansion is not modelled; write the value out", c)
		case c == '|' || c == '&' || c == ';' || c == '<' || c == '>' ||
			(c >= '0' && c <= '9' && !inWord && i+1 < len(line) && (line[i+1] == '>' || line[i+1] == '<')):
			flush()
			if m := shRedirect.FindString(line[i:]); m != "" && (c != '&' || m == "&>") {
				toks = append(toks, token{text: m, op: true})
				i += len(m) - 1
				continue
			}
			op := string(c)
			if i+1 < len(line) && line[i+1] == c && (c == '|' || c == '&') {
				op += string(c)
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
