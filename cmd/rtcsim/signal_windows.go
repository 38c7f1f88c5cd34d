package main

import "os"

// notifyStats: Windows has no SIGUSR1; the --stats file is written at shutdown only.
func notifyStats(chan<- os.Signal) {}
