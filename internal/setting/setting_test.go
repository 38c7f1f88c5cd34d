package setting

import (
	"errors"
	"fmt"
	"testing"
)

// shower names settings as cmd/lyncmigrate would for a Cisco command line.
type shower struct{}

func (shower) Show(n Name) string {
	if n == LDAPServer {
		return "-s/"
	}
	return n.String()
}
func (shower) Required(n Name) string { return n.String() + " is required (also: $LYNCMIGRATE_X)" }

func TestRender(t *testing.T) {
	err := errors.Join(
		Errorf("%s and %s are two sources", LDAPServer, FromExport),
		nil,
		Errorf("%s simple: %s", LDAPAuth, Required(LDAPBindDN)),
		fmt.Errorf("not a setting error"),
	)
	want := "-s/ and --from-export are two sources\n--ldap-auth simple: --ldap-bind-dn is required (also: $LYNCMIGRATE_X)\nnot a setting error"
	if got := Render(err, shower{}); got != want {
		t.Errorf("Render =\n%s\nwant\n%s", got, want)
	}
	if got := err.Error(); got != "--ldap-server and --from-export are two sources\n--ldap-auth simple: --ldap-bind-dn is required\nnot a setting error" {
		t.Errorf("Error() = %q", got)
	}
	// A wrapper that adds nothing (an exit-code mark) is seen through.
	if got := Render(see{Errorf("%s", Required(SQLServer))}, shower{}); got != "--sql-server is required (also: $LYNCMIGRATE_X)" {
		t.Errorf("through a mark: %q", got)
	}
	if Render(nil, shower{}) != "" {
		t.Error("nil renders as text")
	}
}

type see struct{ err error }

func (s see) Error() string { return s.err.Error() }
func (s see) Unwrap() error { return s.err }

func TestOneOfAndCanonical(t *testing.T) {
	values := []string{"disable", "false", "true", "strict"}
	if err := OneOf(SQLEncrypt, "strict", values); err != nil {
		t.Error(err)
	}
	if err := OneOf(SQLEncrypt, "maybe", values); err == nil || err.Error() != `--sql-encrypt "maybe": use disable, false, true or strict` {
		t.Errorf("OneOf = %v", err)
	}
	if got := Canonical("Strict", values); got != "strict" {
		t.Errorf("Canonical = %q", got)
	}
	if got := Canonical("maybe", values); got != "maybe" {
		t.Errorf("Canonical of an unknown value = %q", got)
	}
	if OrList([]string{"a"}) != "a" {
		t.Error("OrList of one")
	}
}
