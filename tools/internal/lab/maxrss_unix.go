//go:build !windows

package lab

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSSKB is the child's peak resident set in KiB (ru_maxrss: KiB on Linux, bytes on macOS).
func maxRSSKB(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss) / 1024
	}
	return int64(ru.Maxrss)
}
