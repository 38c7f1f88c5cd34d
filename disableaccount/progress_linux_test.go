package disableaccount

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
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

// SPEC 3.8: a progress bar on stderr when it is a terminal, never with
// --json. The run reports a malformed line, then fails to connect: the bar
// counts the 3 users and is gone before the summary.
func TestProgressBarOnTerminal(t *testing.T) {
	t.Setenv("TERM", "xterm") // CI may say dumb, which turns the bar off
	users := filepath.Join(t.TempDir(), "users.txt")
	os.WriteFile(users, []byte("sip:ann@foo.com\nsip:bob@foo.com\nnot-a-user\n"), 0o600)
	for _, jsonOut := range []bool{false, true} {
		t.Run(fmt.Sprintf("json=%v", jsonOut), func(t *testing.T) {
			cfg, _ := offlineConfig(t, users)
			cfg.Common.JSON = jsonOut
			master, tty := openPTY(t)
			got := make(chan string)
			go func() {
				var b bytes.Buffer
				io.Copy(&b, master) // until the terminal's last end closes (EIO)
				got <- b.String()
			}()
			var stdout bytes.Buffer
			cfg.Common.Stdout, cfg.Common.Stderr = &stdout, tty
			code := Run(t.Context(), cfg)
			tty.Close()
			shown := <-got
			if code != result.ExitFatal {
				t.Fatalf("exit %d; want 3\n%s", code, shown)
			}
			bar := strings.Contains(shown, "\rusers ") && strings.Contains(shown, "/3)")
			if bar == jsonOut {
				t.Errorf("json %v: progress bar shown %v; the terminal showed\n%q", jsonOut, bar, shown)
			}
			if !strings.Contains(shown, "2 users not attempted") {
				t.Errorf("the summary is not on the terminal:\n%q", shown)
			}
		})
	}
}
