//go:build !windows

package lab

import (
	"os"
	"syscall"
)

// askStats asks an rtcsim process to write its --stats file.
func askStats(p *os.Process) error { return p.Signal(syscall.SIGUSR1) }
