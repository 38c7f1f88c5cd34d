package run

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// exitProcess ends the process on a second Ctrl-C; tests replace it.
var exitProcess = osExit

var osExit = os.Exit

// handleSignals turns the first SIGINT/SIGTERM into a cancelled session
// context (no new users; the ones in flight finish) and the second into an
// immediate exit 130 after the summary. It returns the function that stops
// listening.
func (s *Session) handleSignals() func() {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		first := true
		for {
			select {
			case <-done:
				return
			case sig := <-ch:
				if first {
					first = false
					s.interrupted.Store(true)
					s.log.Warnf("Interrupted (%v): no new users are started; the users in flight finish. Interrupt again to stop now.", sig)
					fmt.Fprintf(s.stderr, "\nInterrupted: finishing the users in flight (interrupt again to stop now)\n")
					s.cancel(result.ErrInterrupted)
					continue
				}
				s.log.Warnf("Interrupted again (%v): stopping now", sig)
				exitProcess(s.Finish(result.ErrInterrupted))
				return
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
