package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// The demo must fail when its end state does not hold: here the real deleteaccount step is left
// out, so the migrating users keep their homed data. Runs the whole demo against the shared
// Samba DC (under its own OU, account prefix and SIP domain) and a real rtcsim subprocess.
func TestDemoFailsWhenAStepIsSkipped(t *testing.T) {
	ostest.SkipOnWindows(t, "builds and runs the binaries with go build (make e2e-windows runs the demo with the Windows exe)")
	if os.Getenv("LMTEST_LDAP_URL") == "" && os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("the demo needs a Samba DC: root to start one, or LMTEST_LDAP_* (CI is set, so this fails)")
		}
		t.Skip("the demo needs a Samba DC: run as root or with LMTEST_LDAP_* set (make test)")
	}
	root, err := lyncmigrate.Root()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	o := options{root: root, out: t.TempDir() + "/demo", ou: "LyncmigrateDemoTest", prefix: "dt-", domain: "demotest.example.com", skip: "deleteaccount", w: &out}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	err = demo(ctx, o)
	t.Log(out.String())
	if !errors.Is(err, errEndState) {
		t.Fatalf("demo with deleteaccount skipped: %v, want the end-state check to fail", err)
	}
	people, err := loadPeople(fixture(root, "users.csv"))
	if err != nil {
		t.Fatal(err)
	}
	migrating := 0
	for _, p := range people {
		if p.Migrates {
			migrating++
			if !regexp.MustCompile(`(?m)^   - ` + regexp.QuoteMeta(p.Login) + `: \d+ rows of homed data left in rtc`).MatchString(out.String()) {
				t.Errorf("no homed-data problem reported for %s", p.Login)
			}
		}
	}
	for _, want := range []string{"SKIPPED (-skip deleteaccount)", fmt.Sprintf("== END STATE: FAILED (%d problems)", migrating)} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// the steps before the skipped one did their work: no AD problem is reported
	if strings.Contains(out.String(), "msRTCSIP-UserEnabled is") {
		t.Error("an AD problem was reported although disableaccount ran")
	}

	// rtcsim was stopped, the OU removed: failure or not, the demo cleans up
	m := regexp.MustCompile(`listening on (\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatal("no rtcsim address in the output")
	}
	if c, err := net.DialTimeout("tcp", m[1], time.Second); err == nil {
		c.Close()
		t.Errorf("rtcsim still listens on %s after the demo", m[1])
	}
	ad, err := lab.FindAD()
	if err != nil {
		t.Fatal(err)
	}
	c, err := ad.Dial()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if e, err := ad.Entry(c, "OU="+o.ou+","+ad.Base, "ou"); err != nil || e != nil {
		t.Errorf("OU=%s after the demo: %v, %v; want it deleted", o.ou, e, err)
	}
}
