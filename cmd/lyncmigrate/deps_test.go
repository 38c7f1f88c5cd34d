package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// The product never links the test servers (DESIGN.md).
func TestProductDoesNotLinkTestServers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	ostest.SkipOnWindows(t, "runs go list (the Linux build checks both GOOS)")
	for _, goos := range []string{"linux", "windows"} {
		cmd := exec.Command("go", "list", "-deps", ".")
		cmd.Env = append(cmd.Environ(), "GOOS="+goos)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list (%s): %v", goos, err)
		}
		for _, pkg := range strings.Fields(string(out)) {
			if strings.Contains(pkg, "internal/rtcsim") || strings.Contains(pkg, "internal/testenv") || strings.Contains(pkg, "internal/exportgen") || strings.Contains(pkg, "internal/ostest") || strings.HasPrefix(pkg, "modernc.org/") {
				t.Errorf("%s build links %s", goos, pkg)
			}
		}
	}
}

// urfave's Required check bypasses OnUsageError and prints help on stdout:
// required settings are checked in validate.go instead.
func TestNoUrfaveRequiredFlags(t *testing.T) {
	for _, c := range allCommands() {
		for _, f := range c.Flags {
			if rf, ok := f.(cli.RequiredFlag); ok && rf.IsRequired() {
				t.Errorf("%s --%s is Required in urfave", c.Name, f.Names()[0])
			}
		}
	}
}
