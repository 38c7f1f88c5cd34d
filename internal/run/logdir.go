package run

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultLogDir is where the log goes without --log-dir: the executable's
// folder on Windows (as Cisco's tools did), the working folder elsewhere.
func DefaultLogDir() (string, error) {
	if runtime.GOOS == "windows" {
		exe, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("log folder: find the executable: %w", err)
		}
		return filepath.Dir(exe), nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("log folder: working folder: %w", err)
	}
	return dir, nil
}

func osStdout() *os.File { return os.Stdout }
func osStderr() *os.File { return os.Stderr }
