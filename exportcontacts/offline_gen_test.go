package exportcontacts

import (
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/exportgen"
)

// writeLargeZip writes exportgen's Export-CsUserData-shaped zip of users × contacts to path
// (see exportgen.WriteZip) and returns the number of Contact elements written.
func writeLargeZip(tb testing.TB, path string, users, contacts int) int {
	tb.Helper()
	total, err := exportgen.WriteZip(path, users, contacts)
	if err != nil {
		tb.Fatal(err)
	}
	return total
}
