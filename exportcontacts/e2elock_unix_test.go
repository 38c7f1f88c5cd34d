//go:build !windows

package exportcontacts

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// lockE2E serialises this package's test processes on the shared DC: they
// all seed the same OU and SIP addresses (e2eFixture names them),
// so a second `go test` beside `make test` would delete the first one's users
// or make every address match twice. The lock is held until the process
// exits, which releases it.
func lockE2E(t testing.TB) {
	t.Helper()
	p := filepath.Join(os.TempDir(), "lyncmigrate-exportcontacts-e2e.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatalf("e2e lock: %v", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatalf("e2e lock %s: %v", p, err)
	}
	e2eLockFile = f // kept open (and locked) for the life of the process
}

var e2eLockFile *os.File
