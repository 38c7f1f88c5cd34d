// Package runlog writes the run log of SPEC 3.3: one file per run, named
// with a time stamp shared by every file of the run, opened and closed by a
// dated banner, with an audit header, leveled lines, per-user blocks and a
// summary block. Lines end in CRLF, UTF-8 without BOM, and each line (or
// block) is handed to the operating system as soon as it is written, so a
// crash loses at most an uncommitted block.
//
// The banners, the audit header and the summary are written at every
// level: they are the audit trail. The level filters the other lines.
package runlog

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Logger.
type Options struct {
	Path    string // the file; Create opens it for append (Reserve made it)
	Version string // shown in the opening banner
	Level   Level
	Now     func() time.Time // nil means time.Now; its location is the one shown
}

// Logger is the run log. It is safe for concurrent use.
type Logger struct {
	mu      sync.Mutex
	w       io.Writer
	file    *os.File // nil when the Logger does not own its writer
	level   Level
	version string
	now     func() time.Time
	closed  bool
	err     error // first write error

	secrets atomic.Pointer[[]string]
}

// bannerLayout is dd/MM/yyyy HH:mm:ss.
const bannerLayout = "02/01/2006 15:04:05"

const (
	crlf     = "\r\n"
	redacted = "<redacted>"
)

// Create opens (0600, append, never truncating) the log file and writes the
// opening banner.
func Create(opts Options) (*Logger, error) {
	f, err := os.OpenFile(opts.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	l := newLogger(f, opts)
	l.file = f
	l.banner()
	if err := l.Err(); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("write log %s: %w", opts.Path, err)
	}
	return l, nil
}

// New writes a log to w (tests, or a job's own tests), starting with the
// opening banner. Close does not close w.
func New(w io.Writer, opts Options) *Logger {
	l := newLogger(w, opts)
	l.banner()
	return l
}

func newLogger(w io.Writer, opts Options) *Logger {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Logger{w: w, level: opts.Level, version: opts.Version, now: now}
}

func (l *Logger) banner() {
	l.write([]byte(">>----- " + l.now().Format(bannerLayout) + " ----->>Version: " + l.version + crlf))
}

// Level is the threshold of this log.
func (l *Logger) Level() Level { return l.level }

// Enabled reports whether lines of level v are written (to skip costly
// debug formatting).
func (l *Logger) Enabled(v Level) bool { return l.level >= v }

// AddSecret makes the logger replace s with <redacted> in every later line
// (a password that slips into an error message never reaches the file).
func (l *Logger) AddSecret(s string) {
	if s == "" {
		return
	}
	for {
		old := l.secrets.Load()
		var next []string
		if old != nil {
			next = append(next, *old...)
		}
		next = append(next, s)
		if l.secrets.CompareAndSwap(old, &next) {
			return
		}
	}
}

func (l *Logger) Errorf(format string, args ...any) { l.line(sevError, format, args) }
func (l *Logger) Warnf(format string, args ...any)  { l.line(sevWarn, format, args) }
func (l *Logger) Infof(format string, args ...any)  { l.line(sevInfo, format, args) }
func (l *Logger) Debugf(format string, args ...any) { l.line(sevDebug, format, args) }

func (l *Logger) line(v severity, format string, args []any) {
	if !l.level.shows(v) {
		return
	}
	l.write(l.appendLines(nil, v, fmt.Sprintf(format, args...)))
}

// always writes an INFO line whatever the level (header, summary).
func (l *Logger) always(msg string) {
	l.write(l.appendLines(nil, sevInfo, msg))
}

// appendLines formats msg as one line per embedded line end, each with the
// prefix of v and CRLF, after redacting the secrets.
func (l *Logger) appendLines(buf []byte, v severity, msg string) []byte {
	if p := l.secrets.Load(); p != nil {
		for _, s := range *p {
			msg = strings.ReplaceAll(msg, s, redacted)
		}
	}
	msg = strings.TrimRight(msg, "\r\n")
	for line := range strings.SplitSeq(msg, "\n") {
		buf = append(buf, prefixes[v]...)
		buf = append(buf, strings.TrimSuffix(line, "\r")...)
		buf = append(buf, crlf...)
	}
	return buf
}

// write hands b to the writer in one call: a line or a whole block, so
// that concurrent writers never interleave inside it.
func (l *Logger) write(b []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || len(b) == 0 {
		return
	}
	if _, err := l.w.Write(b); err != nil && l.err == nil {
		l.err = err
	}
}

// Err is the first write error, if any.
func (l *Logger) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Close writes the closing banner, syncs and closes the file. It is
// idempotent; later writes are dropped. It returns the first write error.
func (l *Logger) Close() error {
	l.write([]byte("<<----- " + l.now().Format(bannerLayout) + " -----<<" + crlf))
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return l.err
	}
	l.closed = true
	if l.file != nil {
		if err := l.file.Sync(); err != nil && l.err == nil {
			l.err = err
		}
		if err := l.file.Close(); err != nil && l.err == nil {
			l.err = err
		}
	}
	return l.err
}
