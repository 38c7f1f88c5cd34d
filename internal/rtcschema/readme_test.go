package rtcschema

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// README's "what is reconstructed" section is written from the grades: every
// confirmed name is in its Confirmed table, and no reconstructed table is.
func TestREADMEGrades(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "## What is reconstructed, and how to check it first")
	conf := strings.Index(text[start:], "**Confirmed**")
	recon := strings.Index(text[start:], "**Reconstructed**")
	if start < 0 || conf < 0 || recon < conf {
		t.Fatal("README lacks the section or its two tables")
	}
	confirmedText := text[start+conf : start+recon]
	rows := strings.Split(confirmedText, "\n")
	for _, c := range allColumns() {
		if c.Fact.Grade != Confirmed {
			continue
		}
		found := false
		inRow := regexp.MustCompile("`" + c.Table + `\([^)]*\b` + c.Name + `\b`)
		for _, r := range rows {
			found = found || inRow.MatchString(r)
		}
		if !found {
			t.Errorf("README's confirmed facts lack %s", c)
		}
	}
	for _, tb := range Tables() {
		named := regexp.MustCompile("`" + tb.Name + "[`(]").MatchString(confirmedText)
		if named != (tb.Fact.Grade == Confirmed) {
			t.Errorf("table %s is %s, but README's confirmed facts name it: %v", tb.Name, tb.Fact.Grade, named)
		}
	}
	for _, p := range For(Lync2013).Procedures {
		if !strings.Contains(confirmedText, "`"+p.Name+"`") {
			t.Errorf("README's confirmed facts lack procedure %s", p.Name)
		}
	}
}
