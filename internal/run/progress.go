package run

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is the users bar on stderr; nil (a no-op) unless stderr is a
// terminal and --json is off, so that redirected output and tests never
// see it.
type progress struct {
	bar   *progressbar.ProgressBar
	mu    sync.Mutex
	total int // users expected so far; 0: unknown, a spinner
}

func newProgress(stderr io.Writer, jsonOut bool) *progress {
	if jsonOut || !isTerminal(stderr) {
		return nil
	}
	return &progress{bar: progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("users"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30), // narrower than an 80-column console: no new line per update
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

func (p *progress) grow(n int) {
	if p == nil || n == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total += n
	p.bar.ChangeMax(p.total)
}

func (p *progress) add(n int) {
	if p != nil {
		_ = p.bar.Add(n)
	}
}

// clear removes the bar before the summary is printed.
func (p *progress) clear() {
	if p != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
