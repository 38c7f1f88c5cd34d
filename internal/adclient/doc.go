// Package adclient is the Active Directory client the three jobs share
// (SPEC 3.7): it dials and binds, finds the base DN, searches in pages and
// changes one object per request.
//
// Connecting:
//
//	c, err := adclient.Connect(ctx, cfg, log) // cfg.Validate() first: its errors are usage errors
//	defer c.Close()
//
// A bare host in Config.Server means ldaps://host:636 with the certificate
// verified against the system roots plus Config.CAFile; ldap:// and ldaps://
// URLs are taken as written; StartTLS upgrades ldap:// (or a bare host, then
// on 389). InsecureSkipVerify works but logs a loud warning. A refused LDAPS
// port gives one error wrapping ErrLDAPSRefused that says what to do. Binds:
// simple (UPN or DN, Config.PasswordFunc called once), kerberos (go-ldap's
// gokrb5 client: keytab, credential cache or password; SPN ldap/<host> unless
// Config.SPN) and, on Windows, sspi (the logged-on user, with TLS channel
// binding). go-ldap's GSSAPI negotiates no SASL security layer, so use TLS.
//
// Every method is safe for concurrent use; requests are spread over
// Config.Conns connections. A dropped connection (go-ldap's ErrorNetwork)
// is redialled and rebound once and the request repeated; if that fails
// the error wraps ErrServerLost and the client refuses further requests —
// the job then stops and reports the rest not_attempted (exit 3).
//
// Lookups:
//   - FindBySIP: users by msRTCSIP-PrimaryUserAddress, FilterChunk escaped
//     addresses per OR filter within (&(objectCategory=person)(objectClass=user)…),
//     matched back case-insensitively; more than one entry for an address
//     is the caller's error case. Contacts never match.
//   - FindByProxySIP: the same on proxyAddresses ("SIP:ann@foo.com" in any
//     case), for verify's users whose primary address was cleared.
//   - SIPUsersUnder / AllSIPUsers: the SIP-enabled users under a DN or in
//     the domain, streamed page by page; AccountDisabled reads
//     userAccountControl bit 2.
//   - Search / SearchEach / Read for anything else. Paged (1000 a page);
//     continuation references (CN=Configuration under the domain root) are
//     skipped, not errors.
//
// Changes: Modify sends one modify request per object (AD applies it whole
// or not at all), with AD's permissive-modify control; Replace with no
// values removes an attribute and succeeds when it is absent, which makes a
// repeated change harmless.
package adclient
