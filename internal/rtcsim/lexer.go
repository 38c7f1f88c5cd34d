package rtcsim

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	tWord   tokKind = iota + 1 // unquoted identifier or keyword
	tQuoted                    // [bracketed] or "double-quoted" identifier, text unescaped
	tString                    // '…' or N'…', text unescaped
	tNumber                    // 12, 1.5, 1e3
	tHex                       // 0x0A1B (text without 0x)
	tParam                     // @name (text without @)
	tSysVar                    // @@NAME (text without @@)
	tOp                        // punctuation and operators
)

type token struct {
	kind tokKind
	text string
	pos  int // byte offset in the source, for messages
}

func (t token) is(kw string) bool { return t.kind == tWord && strings.EqualFold(t.text, kw) }
func (t token) op(s string) bool  { return t.kind == tOp && t.text == s }
func (t token) ident() bool       { return t.kind == tWord || t.kind == tQuoted }

// lex splits T-SQL into tokens, dropping comments and white space. It
// refuses what no statement of the subset contains (temp tables, variables
// of other dialects) so that later passes see only known token shapes.
func lex(src string) ([]token, error) {
	var out []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, newError(ErrSyntax, "Missing end comment mark '*/'.")
			}
			i += end + 4
		case c == '\'' || ((c == 'N' || c == 'n') && i+1 < len(src) && src[i+1] == '\''):
			start := i
			if c != '\'' {
				i++
			}
			s, n, ok := quoted(src[i:], '\'', '\'')
			if !ok {
				return nil, newError(105, "Unclosed quotation mark after the character string '%s'.", src[start:])
			}
			out = append(out, token{tString, s, start})
			i += n
		case c == '[':
			s, n, ok := quoted(src[i:], '[', ']')
			if !ok {
				return nil, newError(105, "Unclosed quotation mark after the character string '%s'.", src[i:])
			}
			out = append(out, token{tQuoted, s, i})
			i += n
		case c == '"':
			s, n, ok := quoted(src[i:], '"', '"')
			if !ok {
				return nil, newError(105, "Unclosed quotation mark after the character string '%s'.", src[i:])
			}
			out = append(out, token{tQuoted, s, i})
			i += n
		case c == '0' && i+1 < len(src) && (src[i+1] == 'x' || src[i+1] == 'X'):
			j := i + 2
			for j < len(src) && isHex(src[j]) {
				j++
			}
			out = append(out, token{tHex, src[i+2 : j], i})
			i = j
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.') {
				j++
			}
			if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
				j++
				if j < len(src) && (src[j] == '+' || src[j] == '-') {
					j++
				}
				for j < len(src) && src[j] >= '0' && src[j] <= '9' {
					j++
				}
			}
			out = append(out, token{tNumber, src[i:j], i})
			i = j
		case c == '@':
			kind, j := tParam, i+1
			if j < len(src) && src[j] == '@' {
				kind, j = tSysVar, j+1
			}
			start := j
			for j < len(src) && isIdentChar(rune(src[j])) {
				j++
			}
			if j == start {
				return nil, newError(ErrSyntax, "Incorrect syntax near '@'.")
			}
			out = append(out, token{kind, src[start:j], i})
			i = j
		case c == '#':
			return nil, unsupported("temporary tables (#…)")
		case isIdentStart(rune(c)) || c >= 0x80:
			j := i
			for j < len(src) {
				r, size := decodeRune(src[j:])
				if !isIdentChar(r) {
					break
				}
				j += size
			}
			if j == i {
				return nil, newError(ErrSyntax, "Incorrect syntax near '%s'.", src[i:i+1])
			}
			out = append(out, token{tWord, src[i:j], i})
			i = j
		default:
			two := ""
			if i+1 < len(src) {
				two = src[i : i+2]
			}
			switch two {
			case "<>", "!=", "<=", ">=":
				out = append(out, token{tOp, two, i})
				i += 2
				continue
			case "||", "==", "!<", "!>", "::", "->":
				return nil, unsupported("operator %s", two)
			}
			if strings.IndexByte("(),.*=<>+-/%;&|~", c) < 0 {
				return nil, newError(ErrSyntax, "Incorrect syntax near '%c'.", c)
			}
			out = append(out, token{tOp, string(c), i})
			i++
		}
	}
	return out, nil
}

// quoted reads a quoted run starting at s[0]==open; a doubled close is an
// escaped close. It returns the unescaped text and the bytes consumed.
func quoted(s string, open, close byte) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] == close {
			if i+1 < len(s) && s[i+1] == close {
				b.WriteByte(close)
				i++
				continue
			}
			return b.String(), i + 1, true
		}
		b.WriteByte(s[i])
	}
	return "", 0, false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isIdentChar(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }
