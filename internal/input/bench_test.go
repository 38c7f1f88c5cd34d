package input

import (
	"bytes"
	"fmt"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

// BenchmarkParsePowerShell reads 10,000 users as PowerShell 5.1 writes them
// (UTF-16LE with BOM, CRLF), one duplicate in ten.
func BenchmarkParsePowerShell(b *testing.B) {
	var text bytes.Buffer
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&text, "sip:user%05d@lynctest.example.com\r\n", i-i%10*(i%10/9))
	}
	data, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(text.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		l, err := Parse(bytes.NewReader(data), "users.txt", Options{Command: Disable})
		if err != nil || l.Lines != 10000 || len(l.Entries)+len(l.Duplicates) != 10000 {
			b.Fatalf("%v %d", err, l.Lines)
		}
	}
}
