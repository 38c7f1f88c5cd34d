package adclient

import "golang.org/x/sys/windows"

// errConnRefused is the errno of a refused TCP connection: Winsock's WSAECONNREFUSED (10061),
// which Go does not map to syscall.ECONNREFUSED.
const errConnRefused = windows.WSAECONNREFUSED
