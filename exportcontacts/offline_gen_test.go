package exportcontacts

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/base64"
	"io"
	"os"
	"strconv"
	"testing"
)

// writeLargeZip writes an Export-CsUserData-shaped zip of users × contacts to path, one
// user at a time (memory flat in users, so that benchmarks can scale N). Each user has a
// urn:hcd: item (to skip), and a urn:lcd: item with four groups — "~", two named ones and a
// distribution group — and contacts with base64 nicknames in one or two groups.
// It returns the number of Contact elements written.
func writeLargeZip(tb testing.TB, path string, users, contacts int) int {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed) // the reader's cost does not depend on the level
	})
	pw, err := zw.Create("DocItemSet.xml")
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(pw, 256<<10)
	ws := func(s string) { _, _ = w.WriteString(s) }
	ws(`<?xml version="1.0" encoding="utf-8"?>` + "\r\n" + `<DocItemSet xmlns="urn:schema:Microsoft.Rtc.Management.ScopeFramework.2008" Version="3">` + "\r\n")
	var b []byte
	total := 0
	for u := range users {
		owner := "user" + strconv.Itoa(u) + "@example.com"
		ws(`<DocItem Name="urn:hcd:` + owner + `"><Data><HomedResource xmlns="urn:schema:Microsoft.Rtc.Management.UserData.2012"><Containers><Container Number="100"><Publisher Type="Everyone" /></Container></Containers></HomedResource></Data></DocItem>` + "\r\n")
		ws(`<DocItem Name="urn:lcd:` + owner + `"><Data><HomedResource xmlns="urn:schema:Microsoft.Rtc.Management.UserData.2012">` + "\r\n")
		ws(`<ContactGroups><ContactGroup Number="1" DisplayName="fg==" ExternalUri="" /><ContactGroup Number="2" DisplayName="VGVhbQ==" ExternalUri="" />` +
			`<ContactGroup Number="3" DisplayName="RnJpZW5kcywgRmFtaWx5" ExternalUri="" /><ContactGroup Number="4" DisplayName="U2FsZXMgREw=" ExternalUri="c2lwOnNhbGVzLWRsQGV4YW1wbGUuY29t" /></ContactGroups>` + "\r\n<Contacts>\r\n")
		for c := range contacts {
			id := (u + c + 1) % max(users, 2)
			b = append(b[:0], `<Contact Buddy="user`...)
			b = strconv.AppendInt(b, int64(id), 10)
			b = append(b, `@example.com" DisplayName="`...)
			b = base64.StdEncoding.AppendEncode(b, []byte("User "+strconv.Itoa(id)+" Ünïcode"))
			if c%3 == 0 {
				b = append(b, `" Groups="2 3" SubscribePresence="1" />`+"\r\n"...)
			} else {
				b = append(b, `" Groups="1" SubscribePresence="1" />`+"\r\n"...)
			}
			_, _ = w.Write(b)
			total++
		}
		ws("</Contacts>\r\n</HomedResource></Data></DocItem>\r\n")
	}
	ws("</DocItemSet>\r\n")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return total
}
