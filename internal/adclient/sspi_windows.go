//go:build windows

package adclient

import (
	"errors"
	"fmt"

	"github.com/go-ldap/ldap/v3"
	"github.com/go-ldap/ldap/v3/gssapi"
)

// sspiAvailable: on Windows the default without a bind DN is the logged-on user.
const sspiAvailable = true

// sspiBind binds as the logged-on user through SSPI (Kerberos), with TLS
// channel binding to the DC certificate so that DCs enforcing LDAP channel
// binding accept it. go-ldap's SSPI client negotiates no SASL security layer,
// hence TLS is required.
func sspiBind(conn *ldap.Conn, spn string) error {
	state, ok := conn.TLSConnectionState()
	if !ok || len(state.PeerCertificates) == 0 {
		return errors.New("--ldap-auth sspi needs TLS (a bare host, ldaps:// or --ldap-starttls): " +
			"go-ldap's SSPI bind cannot sign plain LDAP")
	}
	sc, err := gssapi.NewSSPIClientWithChannelBinding(state.PeerCertificates[0])
	if err != nil {
		return fmt.Errorf("sspi: %w", err)
	}
	defer sc.Close()
	return conn.GSSAPIBind(sc, spn, "")
}
