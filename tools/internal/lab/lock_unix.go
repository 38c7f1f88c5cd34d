//go:build !windows

package lab

import (
	"fmt"
	"os"
	"syscall"
)

// Lock takes an exclusive flock on path, waiting for the process that holds it (another bench
// or demo using the same folder, OU and users); say is told once when it has to wait.
func Lock(path string, say func(string)) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		say(fmt.Sprintf("waiting for %s: another run holds it", path))
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
