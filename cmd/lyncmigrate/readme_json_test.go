package main

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// The README's --json section against the one Go type of the output
// (internal/result): every sample line decodes into result.Record or
// result.SummaryObject with no unknown field, and the field table names
// exactly the fields of result.Record.

func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	doc, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(doc), "\r\n", "\n")
	start := strings.Index(s, "\n## "+heading+"\n")
	if start < 0 {
		t.Fatalf("README.md has no section %q", heading)
	}
	s = s[start+1:]
	if end := strings.Index(s[3:], "\n## "); end >= 0 {
		s = s[:end+3]
	}
	return s
}

func TestREADMEJSONSamples(t *testing.T) {
	sec := readmeSection(t, "--json")
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(sec, -1)
	if len(blocks) == 0 {
		t.Fatal("the --json section has no json sample")
	}
	var records, summaries int
	for _, b := range blocks {
		for _, line := range strings.Split(strings.TrimSpace(b[1]), "\n") {
			var v any = &result.Record{}
			if strings.HasPrefix(line, `{"summary":`) {
				v = &result.SummaryObject{}
				summaries++
			} else {
				records++
			}
			dec := json.NewDecoder(bytes.NewReader([]byte(line)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(v); err != nil {
				t.Errorf("README sample does not fit %T: %v\n%s", v, err, line)
				continue
			}
			if r, ok := v.(*result.Record); ok && !r.Outcome.Valid() {
				t.Errorf("README sample has outcome %q\n%s", r.Outcome, line)
			}
		}
	}
	if records == 0 || summaries == 0 {
		t.Errorf("want user objects and summary objects in the samples: %d, %d", records, summaries)
	}
}

func TestREADMEJSONFieldTable(t *testing.T) {
	sec := readmeSection(t, "--json")
	var documented []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|").FindAllStringSubmatch(sec, -1) {
		documented = append(documented, m[1])
	}
	var fields []string
	rt := reflect.TypeFor[result.Record]()
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		fields = append(fields, name)
	}
	if !slices.Equal(documented, fields) {
		t.Errorf("README --json field table lists %q; result.Record has %q", documented, fields)
	}
	// and the summary paragraph names every summary field
	rs := reflect.TypeFor[result.Summary]()
	for i := range rs.NumField() {
		name, _, _ := strings.Cut(rs.Field(i).Tag.Get("json"), ",")
		if !strings.Contains(sec, "`"+name+"`") {
			t.Errorf("README --json section does not name the summary field %q", name)
		}
	}
}
