package exportcontacts

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// openPTY returns the two ends of a new pseudo-terminal: what the job writes
// to tty (its stderr) is read from master.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close() })
	return master, tty
}

// stderrOnTTY runs the export with its stderr on a terminal and returns
// what the terminal showed.
func stderrOnTTY(t *testing.T, cfg Config) (code int, shown string) {
	t.Helper()
	t.Setenv("TERM", "xterm") // CI may say dumb, which turns the bar off
	master, tty := openPTY(t)
	got := make(chan string)
	go func() {
		var b bytes.Buffer
		io.Copy(&b, master) // until the terminal's last end closes (EIO)
		got <- b.String()
	}()
	var stdout bytes.Buffer
	cfg.Common.Stdout, cfg.Common.Stderr = &stdout, tty
	code = Run(t.Context(), cfg)
	tty.Close()
	return code, <-got
}

// SPEC 3.8: a progress bar on stderr when it is a terminal, never with --json.
func TestProgressBarOnTerminal(t *testing.T) {
	users := writeUsers(t, "sip:ann@foo.com\r\nsip:bob@foo.com\r\nsip:empty@foo.com\r\n")
	for _, jsonOut := range []bool{false, true} {
		t.Run(fmt.Sprintf("json=%v", jsonOut), func(t *testing.T) {
			cfg := baseConfig(t, users)
			cfg.FromExport = "testdata/export-lync2013.zip"
			cfg.Common.JSON = jsonOut
			code, shown := stderrOnTTY(t, cfg)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, shown)
			}
			// The bar: its label and the total of 3 users, drawn in place (it
			// redraws at most every 100 ms, so a quick run may show only 0/3).
			bar := strings.Contains(shown, "\rusers ") && strings.Contains(shown, "/3)")
			if bar == jsonOut {
				t.Errorf("json %v: progress bar shown %v; the terminal showed\n%q", jsonOut, bar, shown)
			}
			if !strings.Contains(shown, "3 users successfully processed") {
				t.Errorf("the summary is not on the terminal:\n%q", shown)
			}
		})
	}
}
