package mdblock

import (
	"errors"
	"testing"
)

func TestExtractReplace(t *testing.T) {
	const b, e = "<!-- B -->", "<!-- E -->"
	doc := "# T\n\nintro\n" + b + "\nold\nlines\n" + e + "\nafter\n"
	got, err := Extract(doc, b, e)
	if err != nil || got != "old\nlines\n" {
		t.Fatalf("Extract = %q, %v", got, err)
	}
	out, err := Replace(doc, b, e, "new")
	if err != nil {
		t.Fatal(err)
	}
	if want := "# T\n\nintro\n" + b + "\nnew\n" + e + "\nafter\n"; out != want {
		t.Fatalf("Replace =\n%q\nwant\n%q", out, want)
	}
	if again, _ := Replace(out, b, e, "new\n"); again != out {
		t.Fatalf("Replace is not idempotent:\n%q", again)
	}
	empty, _ := Replace(doc, b, e, "")
	if got, _ := Extract(empty, b, e); got != "" {
		t.Fatalf("empty block = %q", got)
	}
}

func TestMarkerErrors(t *testing.T) {
	const b, e = "<!-- B -->", "<!-- E -->"
	for name, doc := range map[string]string{
		"no markers":      "text\n",
		"no end":          b + "\nx\n",
		"twice":           b + "\n" + e + "\n" + b + "\n" + e + "\n",
		"reversed":        e + "\nx\n" + b + "\n",
		"same line":       b + " x " + e + "\n",
		"end inside line": b + "\nx " + e + "\n",
	} {
		if _, err := Extract(doc, b, e); !errors.Is(err, ErrMarkers) {
			t.Errorf("%s: Extract error = %v, want ErrMarkers", name, err)
		}
		if _, err := Replace(doc, b, e, "y\n"); !errors.Is(err, ErrMarkers) {
			t.Errorf("%s: Replace error = %v, want ErrMarkers", name, err)
		}
	}
}
