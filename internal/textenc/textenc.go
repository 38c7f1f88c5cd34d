// Package textenc decides, once for the whole product, how a text file an operator
// gives is decoded: the users file (internal/input) and the offline export's XML
// (exportcontacts).
package textenc

import (
	"bufio"
	"bytes"
	"errors"
	"io"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// ErrUTF16WithoutBOM is text whose first two bytes hold exactly one zero byte:
// UTF-16 without a byte-order mark. It is refused rather than guessed: a wrong
// guess in a tool that changes accounts is worse than a clear error, and XML 1.0
// (4.3.3) requires the mark on UTF-16 too.
var ErrUTF16WithoutBOM = errors.New("looks like UTF-16 text without a byte-order mark")

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// NewReader returns br decoded to UTF-8 by its byte-order mark: UTF-8 (the mark
// dropped), UTF-16 LE or BE — what Windows PowerShell's Out-File, DBImpExp and
// Export-CsUserData write. Without a mark the text is UTF-8, read as it is.
func NewReader(br *bufio.Reader) (io.Reader, error) {
	head, err := br.Peek(3)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	switch {
	case bytes.Equal(head, utf8BOM):
		_, _ = br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		// ExpectBOM: the decoder drops the mark and takes the byte order from it.
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), nil
	case len(head) >= 2 && (head[0] == 0) != (head[1] == 0):
		return nil, ErrUTF16WithoutBOM
	}
	return br, nil
}

// NewXMLReader is NewReader for an XML document, which also accepts UTF-16
// without a byte-order mark when the document starts with "<": XML 1.0
// Appendix F detects it from that first character ("3C 00" little-endian,
// "00 3C" big-endian), which no other encoding produces, so nothing is guessed.
// The offline export read such files before textenc existed; it still does.
func NewXMLReader(br *bufio.Reader) (io.Reader, error) {
	head, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	switch {
	case bytes.Equal(head, []byte{'<', 0}):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()), nil
	case bytes.Equal(head, []byte{0, '<'}):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()), nil
	}
	return NewReader(br)
}
