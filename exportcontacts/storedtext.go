package exportcontacts

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// storedText is a name column of the rtc database read whatever its storage
// (SPEC 7.1): nvarchar/varchar arrive as text; varbinary/binary as bytes,
// which Lync most likely fills with UTF-8 (Export-CsUserData base64-encodes
// the same bytes: "fg==" is "~"). So the same data gives the same CSV
// whether a server stores it as text or as bytes.
type storedText struct {
	Text  string
	Valid bool // not NULL
	// Undecodable is set when the bytes are neither UTF-8 nor UTF-16LE
	// text; Text then shows them in hex, and the rows that would carry the
	// name go to the rejects file with this reason.
	Undecodable string
}

// Scan implements sql.Scanner.
func (s *storedText) Scan(src any) error {
	*s = storedText{}
	switch v := src.(type) {
	case nil:
	case string:
		s.Text, s.Valid = v, true
	case []byte:
		s.Valid = true
		var ok bool
		if s.Text, ok = decodeStored(v); !ok {
			s.Text = "0x" + strings.ToUpper(hex.EncodeToString(v))
			s.Undecodable = "stored as bytes that are neither UTF-8 nor UTF-16LE text"
		}
	default:
		return fmt.Errorf("a name column returned %T, want text or bytes", src)
	}
	return nil
}

// decodeStored decodes a binary name: UTF-8 first, else UTF-16LE of
// printable characters; a byte order mark is dropped. Text holds no NUL: ASCII in UTF-16LE ("A\x00") is
// valid UTF-8 but not what was meant, and a NUL is never part of a name.
func decodeStored(b []byte) (string, bool) {
	if u := bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF}); utf8.Valid(u) && bytes.IndexByte(u, 0) < 0 {
		return string(u), true
	}
	if len(b)%2 != 0 {
		return "", false
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	if len(units) > 0 && units[0] == 0xFEFF {
		units = units[1:]
	}
	for i := 0; i < len(units); i++ {
		switch u := units[i]; {
		case u == 0:
			return "", false
		case utf16.IsSurrogate(rune(u)):
			if u >= 0xDC00 || i+1 >= len(units) || units[i+1] < 0xDC00 || units[i+1] > 0xDFFF {
				return "", false // an unpaired surrogate: not text
			}
			i++
		}
	}
	text := string(utf16.Decode(units))
	// Nearly any even run of bytes decodes as UTF-16: only letters, marks,
	// digits, symbols and spaces make it a name.
	for _, r := range text {
		if !unicode.IsGraphic(r) && !unicode.IsSpace(r) {
			return "", false
		}
	}
	return text, true
}
