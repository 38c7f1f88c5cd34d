package exportcontacts

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textReader turns the start of an XML file into UTF-8: DBImpExp writes UTF-16 LE with a
// BOM ("unicode XML"); Export-CsUserData parts and hand-edited files are UTF-8, with or
// without a BOM. UTF-16 without a BOM is recognised by its first "<".
func textReader(br *bufio.Reader) io.Reader {
	b, _ := br.Peek(3)
	utf16 := func(e unicode.Endianness, bom unicode.BOMPolicy) io.Reader {
		return transform.NewReader(br, unicode.UTF16(e, bom).NewDecoder())
	}
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return utf16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return utf16(unicode.BigEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(b, []byte{'<', 0}):
		return utf16(unicode.LittleEndian, unicode.IgnoreBOM)
	case bytes.HasPrefix(b, []byte{0, '<'}):
		return utf16(unicode.BigEndian, unicode.IgnoreBOM)
	}
	return br
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
