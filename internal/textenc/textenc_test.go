package textenc

import (
	"bufio"
	"bytes"
	"errors"
	"golang.org/x/text/encoding/unicode"
	"io"
	"testing"
)

// utf16Bytes is s in UTF-16 (x/text's encoder), with or without a byte-order mark.
func utf16Bytes(s string, bigEndian, bom bool) []byte {
	order, mark := unicode.LittleEndian, unicode.IgnoreBOM
	if bigEndian {
		order = unicode.BigEndian
	}
	if bom {
		mark = unicode.UseBOM
	}
	out, err := unicode.UTF16(order, mark).NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return out
}

func TestNewReader(t *testing.T) {
	const text = "sip:zoë@foo.com\r\n日本"
	const doc = `<?xml version="1.0" encoding="utf-16"?><a b="zoë 日本"/>`
	cases := []struct {
		name string
		xml  bool // NewXMLReader, else NewReader
		in   []byte
		want string
		err  error
	}{
		{"utf-8", false, []byte(text), text, nil},
		{"utf-8 with BOM", false, append([]byte{0xEF, 0xBB, 0xBF}, text...), text, nil},
		{"utf-16le with BOM", false, utf16Bytes(text, false, true), text, nil},
		{"utf-16be with BOM", false, utf16Bytes(text, true, true), text, nil},
		{"utf-16le without BOM", false, utf16Bytes(text, false, false), "", ErrUTF16WithoutBOM},
		{"utf-16be without BOM", false, utf16Bytes(text, true, false), "", ErrUTF16WithoutBOM},
		{"invalid utf-8 kept for the caller to report", false, []byte("a\xffb"), "a\xffb", nil},
		{"empty", false, nil, "", nil},
		{"one byte", false, []byte("x"), "x", nil},
		{"a BOM only", false, []byte{0xFF, 0xFE}, "", nil},
		{"xml: utf-16le without BOM, starts with <", true, utf16Bytes(doc, false, false), doc, nil},
		{"xml: utf-16be without BOM, starts with <", true, utf16Bytes(doc, true, false), doc, nil},
		{"xml: utf-16le with BOM", true, utf16Bytes(doc, false, true), doc, nil},
		{"xml: utf-8", true, []byte(doc), doc, nil},
		{"xml: utf-16le without BOM, starts with a space", true, utf16Bytes(" "+doc, false, false), "", ErrUTF16WithoutBOM},
		{"xml: empty", true, nil, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			read := NewReader
			if c.xml {
				read = NewXMLReader
			}
			r, err := read(bufio.NewReader(bytes.NewReader(c.in)))
			if !errors.Is(err, c.err) {
				t.Fatalf("err = %v, want %v", err, c.err)
			}
			if err != nil {
				return
			}
			got, err := io.ReadAll(r)
			if err != nil || string(got) != c.want {
				t.Errorf("read %q, %v; want %q", got, err, c.want)
			}
		})
	}
}
