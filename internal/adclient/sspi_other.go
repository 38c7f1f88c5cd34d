//go:build !windows

package adclient

import (
	"github.com/go-ldap/ldap/v3"
)

// sspiAvailable: the logged-on user's credentials exist only on Windows.
const sspiAvailable = false

func sspiBind(*ldap.Conn, string) error { return ErrSSPIOnlyWindows }
