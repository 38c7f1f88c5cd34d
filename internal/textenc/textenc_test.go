package textenc

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"
	"unicode/utf16"
)

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	put := func(u uint16) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	if bom {
		put(0xFEFF)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		put(u)
	}
	return out
}

func TestNewReader(t *testing.T) {
	const text = "sip:zoë@foo.com\r\n日本"
	cases := []struct {
		name string
		in   []byte
		want string
		err  error
	}{
		{"utf-8", []byte(text), text, nil},
		{"utf-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, text...), text, nil},
		{"utf-16le with BOM", utf16Bytes(text, false, true), text, nil},
		{"utf-16be with BOM", utf16Bytes(text, true, true), text, nil},
		{"utf-16le without BOM", utf16Bytes(text, false, false), "", ErrUTF16WithoutBOM},
		{"utf-16be without BOM", utf16Bytes(text, true, false), "", ErrUTF16WithoutBOM},
		{"invalid utf-8 kept for the caller to report", []byte("a\xffb"), "a\xffb", nil},
		{"empty", nil, "", nil},
		{"one byte", []byte("x"), "x", nil},
		{"a BOM only", []byte{0xFF, 0xFE}, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewReader(bufio.NewReader(bytes.NewReader(c.in)))
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

func TestNewXMLReader(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="utf-16"?><a b="zoë 日本"/>`
	cases := []struct {
		name string
		in   []byte
		want string
		err  error
	}{
		{"utf-16le without BOM, starts with <", utf16Bytes(doc, false, false), doc, nil},
		{"utf-16be without BOM, starts with <", utf16Bytes(doc, true, false), doc, nil},
		{"utf-16le with BOM", utf16Bytes(doc, false, true), doc, nil},
		{"utf-8", []byte(doc), doc, nil},
		{"utf-16le without BOM, starts with a space", utf16Bytes(" "+doc, false, false), "", ErrUTF16WithoutBOM},
		{"empty", nil, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewXMLReader(bufio.NewReader(bytes.NewReader(c.in)))
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
