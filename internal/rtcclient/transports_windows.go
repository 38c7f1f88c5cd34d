//go:build windows

package rtcclient

// On Windows the named-pipe and shared-memory transports are linked too, so
// that `localhost\rtclocal` reaches a front end's local instance as it did for
// Cisco's tool (the driver tries every registered transport in turn).
import (
	_ "github.com/microsoft/go-mssqldb/namedpipe"
	_ "github.com/microsoft/go-mssqldb/sharedmemory"
)
