package rtcclient

// go-mssqldb's Kerberos authenticator registers itself as "krb5" when
// imported; --sql-auth kerberos selects it with authenticator=krb5.
import _ "github.com/microsoft/go-mssqldb/integratedauth/krb5"
