package lab

import "syscall"

// launchAttr kills the measured program with its launcher, so that it never outlives a stopped
// bench.
func launchAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} }
