// Package user is a test process that uses the shared test DC, for internal/testad's
// lifecycle test (a package under testdata: go test ./... never runs it by itself).
package user

import (
	"os"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/testad"
)

func TestUse(t *testing.T) {
	e, log, err := testad.Use()
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Dial()
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	t.Logf("used the DC of %s: %s", e.Dir, log)
	if d, err := time.ParseDuration(os.Getenv("LMTEST_USER_HOLD")); err == nil {
		time.Sleep(d) // killed meanwhile, in the interrupted case
	}
}
