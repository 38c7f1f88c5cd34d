package rtcsim

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// The product must never link the test servers nor SQLite (SPEC 7,
// DESIGN.md): otherwise a product bug could hide behind rtcsim's code.
func TestProductDoesNotLinkRtcsim(t *testing.T) {
	ostest.SkipOnWindows(t, "runs go list (the Linux build checks both GOOS)")
	root := moduleRoot(t)
	if _, err := os.Stat(filepath.Join(root, "cmd", "lyncmigrate")); err != nil {
		t.Fatalf("cmd/lyncmigrate is missing: cannot check that the product does not link rtcsim: %v", err)
	}
	for _, goos := range []string{"linux", "windows"} {
		cmd := exec.Command("go", "list", "-deps", "./cmd/lyncmigrate")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOOS="+goos)
		out, err := cmd.Output()
		if err != nil {
			msg := ""
			if ee, ok := err.(*exec.ExitError); ok {
				msg = string(ee.Stderr)
			}
			t.Fatalf("go list -deps ./cmd/lyncmigrate (GOOS=%s): %v\n%s", goos, err, msg)
		}
		for _, pkg := range forbiddenDeps(strings.Fields(string(out))) {
			t.Errorf("GOOS=%s: the product links %s", goos, pkg)
		}
	}
}

// rtcsim's schemas and handlers are written from the SPEC and the public
// evidence, never from the product's knowledge (SPEC 7): otherwise a wrong
// fact would be wrong in both and every test would pass.
func TestRtcsimDoesNotImportTheProduct(t *testing.T) {
	ostest.SkipOnWindows(t, "runs go list (the Linux build checks it)")
	cmd := exec.Command("go", "list", "-deps", "./internal/rtcsim", "./cmd/rtcsim", "./internal/testenv", ".")
	cmd.Dir = moduleRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/lyncmigrate/lyncmigrate/") && !strings.Contains(pkg, "/internal/rtcsim") &&
			!strings.HasSuffix(pkg, "/internal/testenv") && !strings.HasSuffix(pkg, "/internal/testad") && !strings.HasSuffix(pkg, "/cmd/rtcsim") {
			t.Errorf("the test server depends on %s", pkg)
		}
	}
}

// forbiddenDeps returns the test-only packages in a dependency list (the
// module root package only embeds rtcsim's schemas and seeds).
func forbiddenDeps(pkgs []string) []string {
	var bad []string
	for _, pkg := range pkgs {
		if pkg == "github.com/lyncmigrate/lyncmigrate" || strings.HasSuffix(pkg, "/internal/rtcsim") || strings.Contains(pkg, "/internal/rtcsim/") ||
			strings.HasSuffix(pkg, "/internal/testenv") || strings.HasSuffix(pkg, "/internal/testad") || strings.HasSuffix(pkg, "/internal/exportgen") ||
			strings.HasPrefix(pkg, "modernc.org/sqlite") {
			bad = append(bad, pkg)
		}
	}
	return bad
}

func TestForbiddenDeps(t *testing.T) {
	got := forbiddenDeps([]string{"fmt", "github.com/lyncmigrate/lyncmigrate", "github.com/lyncmigrate/lyncmigrate/internal/rtcclient",
		"github.com/lyncmigrate/lyncmigrate/internal/rtcsim", "github.com/lyncmigrate/lyncmigrate/internal/testenv",
		"github.com/lyncmigrate/lyncmigrate/internal/testad", "github.com/lyncmigrate/lyncmigrate/internal/exportgen", "modernc.org/sqlite/lib", "github.com/lyncmigrate/lyncmigrate/internal/rtcschema"})
	want := []string{"github.com/lyncmigrate/lyncmigrate", "github.com/lyncmigrate/lyncmigrate/internal/rtcsim", "github.com/lyncmigrate/lyncmigrate/internal/testenv", "github.com/lyncmigrate/lyncmigrate/internal/testad",
		"github.com/lyncmigrate/lyncmigrate/internal/exportgen", "modernc.org/sqlite/lib"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("forbiddenDeps = %v, want %v", got, want)
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := lyncmigrate.Root()
	if err != nil {
		t.Fatal(err)
	}
	return root
}
