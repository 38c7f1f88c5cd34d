//go:build !windows

package testad

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// Lock takes an exclusive flock on path, waiting for the process that holds it; say is
// told once when it has to wait.
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

// users is this process's shared lock on the shared DC's users file, held until the
// process ends (never closed: the kernel drops it at exit, whatever the exit).
var users *os.File

// joinUsers takes the shared lock on <dir>.users (once per process) and appends this
// process's ID, so that the reaper sees that someone came.
func joinUsers(dir string) error {
	if users != nil {
		return nil
	}
	f, err := os.OpenFile(dir+".users", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600) // close-on-exec: no child inherits it
	if err != nil {
		return fmt.Errorf("test DC users: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		f.Close()
		return fmt.Errorf("test DC users %s: %w", f.Name(), err)
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	users = f
	return nil
}

func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }
