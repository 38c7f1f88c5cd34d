package runlog

import (
	"fmt"
	"strings"
)

// Level is the -l/--log-level threshold. WARN lines have no level of their
// own: they show at info and debug and are hidden at error.
type Level int

const (
	LevelError Level = iota
	LevelInfo
	LevelDebug
)

// LevelNames are the values -l/--log-level takes.
var LevelNames = []string{"error", "info", "debug"}

// ParseLevel reads error|info|debug, case-insensitively. The empty string
// is the default, info.
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return LevelError, nil
	case "", "info":
		return LevelInfo, nil
	case "debug":
		return LevelDebug, nil
	}
	return LevelInfo, fmt.Errorf("log level %q: want error, info or debug", s)
}

func (l Level) String() string {
	switch l {
	case LevelError:
		return "error"
	case LevelInfo:
		return "info"
	case LevelDebug:
		return "debug"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// severity is the kind of one line; each has a fixed prefix (SPEC 3.3).
type severity int

const (
	sevError severity = iota
	sevWarn
	sevInfo
	sevDebug
)

var prefixes = [...]string{
	sevError: "[ERROR] ",
	sevWarn:  "[WARN]  ",
	sevInfo:  "[INFO]  ",
	sevDebug: "[DEBUG] ",
}

// shows reports whether a line of severity v is written at level l.
func (l Level) shows(v severity) bool {
	switch v {
	case sevError:
		return true
	case sevWarn, sevInfo:
		return l >= LevelInfo
	default:
		return l >= LevelDebug
	}
}
