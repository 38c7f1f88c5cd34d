package input

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/lyncmigrate/lyncmigrate/internal/textenc"
)

// maxLineBytes bounds one line (after decoding). Longer lines are reported
// as malformed and skipped to their end, so that a binary file given by
// mistake neither exhausts memory nor stops the scan.
const maxLineBytes = 64 << 10

// lineReader streams the decoded lines of a file, without their LF.
type lineReader struct {
	sc       *bufio.Scanner
	skipping bool // inside an over-long line, dropping bytes up to its newline
	long     bool // the last token was cut at maxLineBytes
}

// newLineReader decodes the file as internal/textenc says (UTF-8, or UTF-16 with
// a byte-order mark, which is what PowerShell 5.1's `>` and Out-File write).
func newLineReader(r io.Reader, name string) (*lineReader, error) {
	src, err := textenc.NewReader(bufio.NewReaderSize(r, 64<<10))
	switch {
	case errors.Is(err, textenc.ErrUTF16WithoutBOM):
		return nil, fmt.Errorf("%w: %s looks like UTF-16 text without a byte-order mark; save it as UTF-8 or as Unicode (UTF-16 with a byte-order mark)", ErrFormat, name)
	case err != nil:
		return nil, fmt.Errorf("read users file %q: %w", name, err)
	}
	lr := &lineReader{sc: bufio.NewScanner(src)}
	lr.sc.Buffer(make([]byte, 0, 4096), maxLineBytes)
	lr.sc.Split(lr.split)
	return lr, nil
}

// split is bufio.ScanLines (keeping a CR, which is trimmed later with the
// other white space) that, instead of failing with ErrTooLong, returns the
// first maxLineBytes of a long line flagged as long and drops the rest.
func (lr *lineReader) split(data []byte, atEOF bool) (int, []byte, error) {
	i := bytes.IndexByte(data, '\n')
	if lr.skipping {
		if i < 0 {
			return len(data), nil, nil
		}
		lr.skipping = false
		return i + 1, nil, nil
	}
	switch {
	case i >= 0:
		return i + 1, data[:i], nil
	case len(data) >= maxLineBytes:
		lr.skipping, lr.long = true, true
		return len(data), data, nil
	case atEOF && len(data) > 0:
		return len(data), data, nil
	}
	return 0, nil, nil
}

// next returns the next line, whether it was cut, and false at the end.
func (lr *lineReader) next() (line string, long bool, ok bool) {
	if !lr.sc.Scan() {
		return "", false, false
	}
	long, lr.long = lr.long, false
	return lr.sc.Text(), long, true
}

func (lr *lineReader) err() error { return lr.sc.Err() }
