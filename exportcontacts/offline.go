package exportcontacts

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// docItemSetName is the part of an Export-CsUserData zip that holds the contact lists.
const docItemSetName = "DocItemSet.xml"

// errNotContactData marks an XML document whose root is none of the known layouts.
var errNotContactData = errors.New("not contact data")

// readExport reads an offline export — an Export-CsUserData zip (DocItemSet.xml) or a
// Lync 2010 DBImpExp XML file, told apart by content, not by name — and calls fn once per
// owner, in file order. It streams: one HomedResource is in memory at a time, so memory
// stays flat in the file size. An owner whose data cannot be decoded is handed to fn with
// contactList.Err set; a file that cannot be read stops the read with an error naming it.
// An error returned by fn stops the read and is returned as is.
func readExport(file string, fn func(*contactList) error) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("read export %s: %w", file, err)
	}
	defer f.Close()
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	if isZip(magic[:n]) {
		fi, err := f.Stat()
		if err != nil {
			return fmt.Errorf("read export %s: %w", file, err)
		}
		return readZip(f, fi.Size(), file, fn)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("read export %s: %w", file, err)
	}
	err = readXML(bufio.NewReaderSize(f, 64<<10), file, fn)
	if errors.Is(err, errNotContactData) {
		return fmt.Errorf("read export %s: not an Export-CsUserData zip nor a DBImpExp XML file: %w", file, err)
	}
	return err
}

func isZip(b []byte) bool {
	// Local file header, or the end record of an empty archive.
	return bytes.Equal(b, []byte("PK\x03\x04")) || bytes.Equal(b, []byte("PK\x05\x06"))
}

// readZip reads DocItemSet.xml (any folder, any case). Without one, as for a
// -LegacyFormat export whose part names are not documented, every .xml part with a
// known root is read.
func readZip(r io.ReaderAt, size int64, file string, fn func(*contactList) error) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("read export %s: %w", file, err)
	}
	var parts, names []*zip.File
	for _, zf := range zr.File {
		base := path.Base(strings.ReplaceAll(zf.Name, `\`, "/"))
		switch {
		case strings.EqualFold(base, docItemSetName):
			parts = append(parts, zf)
		case strings.EqualFold(path.Ext(base), ".xml"):
			names = append(names, zf)
		}
	}
	strict := len(parts) > 0
	if !strict {
		parts = names
	}
	found := false
	for _, zf := range parts {
		err := readZipPart(zf, file, fn)
		switch {
		case err == nil:
			found = true
		case errors.Is(err, errNotContactData) && !strict:
			continue
		default:
			return err
		}
	}
	if !found {
		return fmt.Errorf("read export %s: the zip holds no %s (Export-CsUserData output) nor a DBImpExp XML part", file, docItemSetName)
	}
	return nil
}

func readZipPart(zf *zip.File, file string, fn func(*contactList) error) error {
	rc, err := zf.Open()
	if err != nil {
		return fmt.Errorf("read export %s: %s: %w", file, zf.Name, err)
	}
	defer rc.Close()
	err = readXML(bufio.NewReaderSize(rc, 64<<10), file+": "+zf.Name, fn)
	if errors.Is(err, errNotContactData) {
		return fmt.Errorf("read export %s: %s: %w", file, zf.Name, err)
	}
	return err
}
