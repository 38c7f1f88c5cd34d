package lab

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Windows programs run under Wine 8 in the prefix scripts/wine/run.sh makes (make e2e-windows):
// it exports WINEPREFIX and puts the ProcessPrng shim in the prefix's system32, without which no
// Go 1.22+ Windows program starts.

// CheckWine says what is missing to run a Windows program here.
func CheckWine() error {
	prefix := os.Getenv("WINEPREFIX")
	if prefix == "" {
		return fmt.Errorf("no WINEPREFIX: run through scripts/wine/run.sh (make e2e-windows)")
	}
	shim := filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll")
	if _, err := os.Stat(shim); err != nil {
		return fmt.Errorf("the Wine prefix %s lacks the ProcessPrng shim (%v): run through scripts/wine/run.sh", prefix, err)
	}
	if _, err := exec.LookPath("wine"); err != nil {
		return fmt.Errorf("wine: %w (apt-get install --no-install-recommends wine64 wine)", err)
	}
	return nil
}

// WineCommand runs the Windows program exe under Wine.
func WineCommand(ctx context.Context, exe string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "wine", append([]string{exe}, args...)...)
}

// WinePath is an absolute Linux path as a Windows program under Wine names it: drive Z: is the
// Linux root.
func WinePath(p string) string {
	return `Z:` + strings.ReplaceAll(filepath.Clean(p), "/", `\`)
}
