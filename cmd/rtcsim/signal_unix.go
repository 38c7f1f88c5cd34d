//go:build !windows

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// notifyStats delivers SIGUSR1, the request to write the --stats file.
func notifyStats(ch chan<- os.Signal) { signal.Notify(ch, syscall.SIGUSR1) }
