//go:build !windows

package adclient

import "syscall"

// errConnRefused is the errno of a refused TCP connection.
const errConnRefused = syscall.ECONNREFUSED
