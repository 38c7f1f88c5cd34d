//go:build unix

package run

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// A real SIGINT to the test process: safe because the session's handler is
// registered (signal.Notify) before the signal is sent and the test sends
// no signal after Finish.
func TestRealSIGINT(t *testing.T) {
	tr := startTest(t, context.Background(), nil)
	tr.s.Expect(users("sip:a@x.com", "sip:b@x.com"))
	tr.s.Report(result.Record{User: "sip:a@x.com", Line: 1, Outcome: result.Processed})
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-tr.ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGINT did not cancel the session context")
	}
	if code := tr.s.Finish(nil); code != result.ExitInterrupted {
		t.Errorf("exit %d, want 130", code)
	}
	log := tr.logText(t)
	for _, want := range []string{"[WARN]  Interrupted (interrupt): no new users are started", "[INFO]  1 users not attempted\r\n"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if !strings.Contains(tr.stderr.String(), "Interrupted: finishing the users in flight") {
		t.Errorf("stderr: %s", tr.stderr)
	}
}

// The second signal writes the summary and exits 130 at once, while a
// worker is still busy.
func TestSecondSignalExitsNow(t *testing.T) {
	exited := make(chan int, 1)
	exitProcess = func(code int) { exited <- code }
	defer func() { exitProcess = osExit }()

	tr := startTest(t, context.Background(), nil)
	tr.s.Expect(users("sip:a@x.com", "sip:b@x.com", "sip:c@x.com"))
	tr.s.Report(result.Record{User: "sip:a@x.com", Line: 1, Outcome: result.Processed})
	_ = syscall.Kill(syscall.Getpid(), syscall.SIGTERM)
	<-tr.ctx.Done()
	_ = syscall.Kill(syscall.Getpid(), syscall.SIGINT)
	select {
	case code := <-exited:
		if code != result.ExitInterrupted {
			t.Errorf("exit %d, want 130", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("second signal did not exit")
	}
	log := tr.logText(t)
	for _, want := range []string{"[WARN]  Interrupted again (interrupt): stopping now\r\n", "[INFO]  2 users not attempted\r\n", "<<----- "} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	// The worker still in flight reports after the summary: dropped.
	tr.s.Report(result.Record{User: "sip:b@x.com", Line: 2, Outcome: result.Processed})
	if code := tr.s.Finish(nil); code != result.ExitInterrupted {
		t.Errorf("Finish after the exit path = %d, want 130", code)
	}
	if _, sum := tr.jsonLines(t); sum.Processed != 1 || sum.NotAttempted != 2 {
		t.Errorf("summary %+v", sum)
	}
}
