package exportcontacts

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// panicOnce panics at its first write (a bug on the path of a user's
// report), then takes what follows (the not_attempted records and the
// summary of Finish).
type panicOnce struct {
	mu       sync.Mutex
	panicked bool
	buf      bytes.Buffer
}

func (w *panicOnce) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.panicked {
		w.panicked = true
		panic("bug while reporting a user")
	}
	return w.buf.Write(p)
}

// A panic in the job's goroutine once the source is ready ends with exit 3
// and the summary, and leaves no CSV and no user list: a failed run leaves
// none (not a header-only CSV and an empty user list that the next step
// would take for an export without users).
func TestRunPanicLeavesNoOutputs(t *testing.T) {
	cfg := baseConfig(t, writeUsers(t, "sip:nobody@foo.com\r\n"))
	cfg.FromExport = offlineFixtures[0]
	out := &panicOnce{}
	var stderr bytes.Buffer
	cfg.Common.Stdout, cfg.Common.Stderr = out, &stderr
	var code int
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("the panic escaped Run: %v", r)
			}
		}()
		code = Run(context.Background(), cfg)
	}()
	if code != result.ExitFatal {
		t.Fatalf("exit %d, want 3\n%s", code, stderr.String())
	}
	absent(t, cfg.Common.LogDir, ContactsPrefix, RejectsPrefix, UserListPrefix)
	log, err := os.ReadFile(filepath.Join(cfg.Common.LogDir, "ExportContactsLog"+stamp+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"internal error: panic: bug while reporting a user", "[INFO]  Summary:\r\n", "\r\n<<----- "} {
		if !strings.Contains(string(log), want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if !strings.Contains(out.buf.String(), `"exit_code":3`) {
		t.Errorf("JSON summary: %s", out.buf.String())
	}
}
