// Package adtest holds TEST-ONLY integration tests of the LDAP behaviour the product relies on,
// against the real Samba AD DC of internal/testenv: binds (simple over LDAPS and StartTLS, Kerberos),
// searches by SIP address, paging, and the AD rules (Boolean syntax, DN references) that Windows AD
// and Samba both enforce. It has no code of its own.
package adtest
