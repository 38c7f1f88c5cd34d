package exportcontacts

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/textenc"
)

// textReader turns an XML file into UTF-8 as internal/textenc says: DBImpExp writes
// UTF-16 LE with a BOM ("unicode XML"); Export-CsUserData parts and hand-edited files
// are UTF-8, with or without a BOM; UTF-16 without one is read when the document
// starts with "<" (textenc.NewXMLReader).
func textReader(br *bufio.Reader) (io.Reader, error) {
	r, err := textenc.NewXMLReader(br)
	if errors.Is(err, textenc.ErrUTF16WithoutBOM) {
		return nil, fmt.Errorf("%w; save it as UTF-8, or as UTF-16 with a byte-order mark", err)
	}
	return r, err
}

// declaredCharset accepts the encodings textReader has already turned into UTF-8: the
// DBImpExp declaration says encoding="utf-16" about a stream we now read as UTF-8.
func declaredCharset(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2", "utf-8", "utf8":
		return input, nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q (expected UTF-8 or UTF-16)", label)
}

// decodeBase64 decodes an Export-CsUserData name (base64 of UTF-8). Invalid UTF-8 is
// replaced by U+FFFD, as .NET's Encoding.UTF8.GetString does for the cmdlets' own readers.
func decodeBase64(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("bad base64 %q: %w", s, err)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), nil
}
