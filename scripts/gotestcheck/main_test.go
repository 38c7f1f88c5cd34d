package main

import (
	"os"
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	tests := []struct {
		name    string
		input   string // testdata/<input>.jsonl, expected output in <input>.golden (-windows: <input>.windows.golden)
		windows bool
		wantOK  bool
	}{
		{"all passed, a package without tests", "pass", false, true},
		{"failed, skipped and a build failure", "mixed", false, false},
		{"a test cut off by the timeout", "timeout", false, false},
		{"-windows: skipped on Windows, checks left out", "windows-ok", true, true},
		{"-windows: another skip still fails", "windows", true, false},
		{"skipped on Windows without -windows", "windows-ok", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := os.Open("testdata/" + tt.input + ".jsonl")
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			golden := "testdata/" + tt.input + ".golden"
			if tt.windows {
				golden = "testdata/" + tt.input + ".windows.golden"
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			r := newReport(&out)
			r.windows = tt.windows
			if err := r.read(in); err != nil {
				t.Fatal(err)
			}
			if ok := r.summary(); ok != tt.wantOK {
				t.Errorf("ok = %v, want %v", ok, tt.wantOK)
			}
			if out.String() != string(want) {
				t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
			}
		})
	}
}

func TestReportEmptyOrGarbage(t *testing.T) {
	for _, in := range []string{"", "go: downloading example.com/x v1.0.0\n"} {
		var out strings.Builder
		r := newReport(&out)
		if err := r.read(strings.NewReader(in)); err != nil {
			t.Fatal(err)
		}
		if r.summary() {
			t.Errorf("input %q: ok, want a failure (no test ran)", in)
		}
		if !strings.Contains(out.String(), "0 passed, 0 failed, 0 skipped\n") {
			t.Errorf("input %q: output %q lacks the count line", in, out.String())
		}
	}
}
