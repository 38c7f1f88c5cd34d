package run

import (
	"bytes"
	"os"
	"testing"

	"github.com/schollz/progressbar/v3"
)

// The bar is only drawn on a terminal and never with --json.
func TestProgressOnlyOnTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	tests := []struct {
		name string
		w    interface{ Write([]byte) (int, error) }
		json bool
	}{
		{"buffer", &bytes.Buffer{}, false},
		{"pipe", w, false},
		{"pipe with json", w, true},
	}
	for _, tt := range tests {
		if p := newProgress(tt.w, tt.json); p != nil {
			t.Errorf("%s: a progress bar was made", tt.name)
		}
	}
	var p *progress // the no-op bar must be safe to use
	p.grow(3)
	p.add(1)
	p.clear()
}

func TestProgressGrow(t *testing.T) {
	p := &progress{bar: progressbar.NewOptions(-1, progressbar.OptionSetWriter(&bytes.Buffer{}))}
	p.grow(3)
	p.grow(0)
	p.grow(2)
	if got := p.bar.GetMax(); got != 5 {
		t.Errorf("max %d, want 5", got)
	}
	p.add(2)
	if got := p.bar.State().CurrentNum; got != 2 {
		t.Errorf("current %d, want 2", got)
	}
}
