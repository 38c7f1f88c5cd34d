// Package mdblock finds and replaces a generated block of a Markdown file:
// the text between a begin and an end marker line (HTML comments, invisible
// when rendered).
package mdblock

import (
	"errors"
	"fmt"
	"strings"
)

// The markers around the flag reference in README.md.
const (
	FlagsBegin = "<!-- BEGIN GENERATED FLAGS (go run ./tools/gendocs): do not edit by hand -->"
	FlagsEnd   = "<!-- END GENERATED FLAGS -->"
)

// ErrMarkers is returned when the markers are missing, repeated or out of order.
var ErrMarkers = errors.New("generated block markers")

// bounds returns where the block's content starts and ends in doc: after the
// begin marker's line and at the start of the end marker's line.
func bounds(doc, begin, end string) (from, to int, err error) {
	if strings.Count(doc, begin) != 1 || strings.Count(doc, end) != 1 {
		return 0, 0, fmt.Errorf("%w: want %q and %q once each", ErrMarkers, begin, end)
	}
	b := strings.Index(doc, begin)
	nl := strings.IndexByte(doc[b:], '\n')
	e := strings.Index(doc, end)
	if nl < 0 || b+nl+1 > e {
		return 0, 0, fmt.Errorf("%w: %q must be on a line before %q", ErrMarkers, begin, end)
	}
	if e > 0 && doc[e-1] != '\n' {
		return 0, 0, fmt.Errorf("%w: %q must start a line", ErrMarkers, end)
	}
	return b + nl + 1, e, nil
}

// Extract returns the content between the markers.
func Extract(doc, begin, end string) (string, error) {
	from, to, err := bounds(doc, begin, end)
	if err != nil {
		return "", err
	}
	return doc[from:to], nil
}

// Replace returns doc with the content between the markers set to content,
// which must end with a line end.
func Replace(doc, begin, end, content string) (string, error) {
	from, to, err := bounds(doc, begin, end)
	if err != nil {
		return "", err
	}
	if content != "" && !strings.HasSuffix(content, "\n") {
		content += "\n"
	}
	return doc[:from] + content + doc[to:], nil
}
