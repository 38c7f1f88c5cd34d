// Package exportgen generates Export-CsUserData-shaped zips for tests and benchmarks
// (exportcontacts' tests, tools/bench). It is a fixture generator only: the product never
// imports it (cmd/lyncmigrate's deps test forbids it).
package exportgen

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"strconv"
)

// WriteZip writes an Export-CsUserData-shaped zip of users × contacts to path, one user at a
// time (memory flat in users, so that benchmarks can scale N). Each user has a urn:hcd: item
// (skipped by the reader) and a urn:lcd: item with four groups — "~", two named ones and a
// distribution group — and contacts with base64 nicknames in one or two groups. Owners are
// user<i>@example.com. The output is deterministic for the same parameters.
// It returns the number of Contact elements written.
func WriteZip(path string, users, contacts int) (total int, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write %s: %w", path, cerr)
		}
	}()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed) // the reader's cost does not depend on the level
	})
	pw, err := zw.Create("DocItemSet.xml")
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	w := bufio.NewWriterSize(pw, 256<<10)
	// bufio keeps the first write error and returns it from Flush
	ws := func(s string) { _, _ = w.WriteString(s) }
	ws(`<?xml version="1.0" encoding="utf-8"?>` + "\r\n" + `<DocItemSet xmlns="urn:schema:Microsoft.Rtc.Management.ScopeFramework.2008" Version="3">` + "\r\n")
	var b []byte
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
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := zw.Close(); err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	return total, nil
}

// CSVRows is how many CSV rows the export of such a zip writes: a contact in groups "2 3" is a
// row per group, one in group "1" (the default group "~") one row. It is -1 when owners are on
// their own lists (dropped), which makes the count depend on the mapping.
func CSVRows(users, contacts int) int {
	// a user is never on their own list: (u+c+1) % users == u needs c+1 ≡ 0 (mod users)
	if users >= 2 && contacts >= users {
		return -1
	}
	perUser := 0
	for c := range contacts {
		if c%3 == 0 {
			perUser += 2
		} else {
			perUser++
		}
	}
	return users * perUser
}
