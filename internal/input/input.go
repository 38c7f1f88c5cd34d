// Package input reads the users files of the three commands (SPEC 3.2): it
// decodes the encodings Windows tools write, recognises the forms each command
// takes, reports malformed lines with their line number, drops duplicates and
// refuses, before anything connects, the inputs that would touch everyone.
package input

import (
	"errors"
	"fmt"
)

// Command selects which input forms are accepted.
type Command int

const (
	Export Command = iota + 1
	Disable
	Delete
	Verify
)

// String is the command's name as the administrator types it.
func (c Command) String() string {
	switch c {
	case Export:
		return "exportcontacts"
	case Disable:
		return "disableaccount"
	case Delete:
		return "deleteaccount"
	case Verify:
		return "verify"
	}
	return fmt.Sprintf("Command(%d)", int(c))
}

// Kind is the form a line was written in.
type Kind int

const (
	KindSIP        Kind = iota + 1 // sip:ann@foo.com (scheme in any case)
	KindUserAtHost                 // ann@foo.com (deleteaccount and verify only)
	KindDN                         // DN:OU=Sales,DC=foo,DC=com (exportcontacts only)
	KindIMPUser                    // a row of an IM and Presence user export (exportcontacts + Domain)
)

func (k Kind) String() string {
	switch k {
	case KindSIP:
		return "sip"
	case KindUserAtHost:
		return "user@host"
	case KindDN:
		return "dn"
	case KindIMPUser:
		return "imp-user"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Entry is one valid, first-seen user (or OU) of the file.
type Entry struct {
	Line       int    // 1-based physical line number
	Raw        string // the line as written, whitespace trimmed
	Kind       Kind
	URI        string // sip:ann@foo.com, scheme lower-case, rest as written; empty for KindDN
	UserAtHost string // ann@foo.com; empty for KindDN
	DN         string // KindDN only: the DN as written after "DN:"
}

// LineError is a malformed line: an `error` outcome of its own, the run goes on.
type LineError struct {
	File   string
	Line   int
	Text   string // the line as written, whitespace trimmed
	Reason string
}

// maxShownText bounds the line text quoted in a message: a binary file given
// by mistake must not write kilobytes per line into the log.
const maxShownText = 200

func (e LineError) Error() string {
	return fmt.Sprintf("%s line %d: %q: %s", e.File, e.Line, shorten(e.Text), e.Reason)
}

func shorten(s string) string {
	if len(s) <= maxShownText {
		return s
	}
	return s[:maxShownText] + "…"
}

// Duplicate is a later line naming a user (or DN) already seen; it is not an outcome.
type Duplicate struct {
	Line      int
	FirstLine int
	Value     string // the URI (or DN) as written on the later line
}

// List is the parsed file.
type List struct {
	File       string // the path as given ("stdin" for -)
	All        bool   // -f ALL (exportcontacts only): every SIP-enabled user
	Entries    []Entry
	Invalid    []LineError
	Duplicates []Duplicate
	Lines      int // physical lines read
	Ignored    int // blank, comment, #TYPE and header lines
}

// Options says which command reads the file and with which limits.
type Options struct {
	Command  Command
	Domain   string // exportcontacts --domain: builds sip:<userid>@<domain> for IM&P user exports
	MaxUsers int    // > 0: more valid unique entries than this is an error (disable/delete --max-users)
}

// Errors that stop the run before anything connects (exit 2). They are
// wrapped with the file, the line and what to do; test with errors.Is.
var (
	ErrWildcard       = errors.New("wildcard not accepted")
	ErrAll            = errors.New("ALL not accepted")
	ErrTooManyUsers   = errors.New("too many users")
	ErrDomainRequired = errors.New("domain required")
	ErrFormat         = errors.New("unsupported users file")
)
