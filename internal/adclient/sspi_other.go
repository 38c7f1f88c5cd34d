//go:build !windows

package adclient

import (
	"errors"

	"github.com/go-ldap/ldap/v3"
)

// sspiAvailable: the logged-on user's credentials exist only on Windows.
const sspiAvailable = false

var errSSPIOnlyWindows = errors.New("--ldap-auth sspi works only on Windows; use --ldap-auth kerberos (keytab, ccache or password) or simple")

func sspiBind(*ldap.Conn, string) error { return errSSPIOnlyWindows }
