package verify

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// chromium is the browser the report is opened in (Debian's package;
// .ci/run installs it).
const chromium = "/usr/bin/chromium"

// TestReportInChromium opens the sample report in headless Chromium: the
// DOM it builds holds the page (nothing blocked it), it prints to a PDF of
// A4 pages, and a screenshot is kept in build/verify-report.png for a person
// to look at. Skipped only where Chromium is missing, never in CI.
func TestReportInChromium(t *testing.T) {
	ostest.SkipOnWindows(t, "Chromium is opened from the Linux test run; the Windows test binaries (under Wine) have no browser")
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s: %v (CI installs the chromium package)", chromium, err)
		}
		t.Skipf("%s: %v", chromium, err)
	}
	dir := t.TempDir()
	page := writeSample(t, dir)
	url := "file://" + page

	dom := runChromium(t, "--dump-dom", url)
	root, err := html.Parse(strings.NewReader(dom))
	if err != nil {
		t.Fatalf("Chromium's DOM: %v", err)
	}
	text := textOf(root)
	for _, want := range []string{"Where each migrating user stands", "7 of 18 users need action", "sip:otto.ode@corp.example.com", `<script>alert("x")</script>@corp.example.com`} {
		if !strings.Contains(text, want) {
			t.Errorf("the page as Chromium shows it lacks %q", want)
		}
	}
	if strings.Contains(dom, "<script") {
		t.Error("Chromium's DOM has a script element")
	}

	pdf := filepath.Join(dir, "report.pdf")
	runChromium(t, "--no-pdf-header-footer", "--print-to-pdf="+pdf, url)
	b, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatalf("no PDF: %v", err)
	}
	// A4 is 595.28 × 841.89 points; Chromium rounds to its pixel grid.
	boxes := mediaBoxes(b)
	if len(boxes) == 0 {
		t.Error("no page in the PDF")
	}
	for _, box := range boxes {
		var x0, y0, w, h float64
		if _, err := fmt.Sscanf(box, "[%g %g %g %g]", &x0, &y0, &w, &h); err != nil || math.Abs(w-595.28) > 1.5 || math.Abs(h-841.89) > 1.5 {
			t.Errorf("a page of %q is not A4 (%v)", box, err)
		}
	}

	shot, err := filepath.Abs(filepath.Join("..", "build", "verify-report.png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(shot), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(shot)
	runChromium(t, "--window-size=1200,2600", "--hide-scrollbars", "--screenshot="+shot, url)
	fi, err := os.Stat(shot)
	if err != nil || fi.Size() < 10_000 {
		t.Fatalf("screenshot %s: %v (size %d)", shot, err, sizeOf(fi))
	}
	png, _ := os.ReadFile(shot)
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("%s is not a PNG", shot)
	}
	t.Logf("screenshot of the report: %s", shot)
}

// runChromium runs headless Chromium on its own profile, with nothing that
// reaches out to the network, and returns its standard output.
func runChromium(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, chromium, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// mediaBoxes are the page sizes of a PDF: "[0 0 595 842]".
func mediaBoxes(pdf []byte) []string {
	var out []string
	for _, part := range bytes.Split(pdf, []byte("/MediaBox"))[1:] {
		end := bytes.IndexByte(part, ']')
		if end > 0 {
			out = append(out, strings.TrimSpace(string(part[:end+1])))
		}
	}
	return out
}

func sizeOf(fi os.FileInfo) int64 {
	if fi == nil {
		return 0
	}
	return fi.Size()
}
