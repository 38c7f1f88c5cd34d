package exportcontacts

import (
	"archive/zip"
	"errors"
	"golang.org/x/text/encoding/unicode"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

type part struct{ name, body string }

func writeZip(t *testing.T, parts ...part) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "export.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, pt := range parts {
		w, err := zw.Create(pt.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(pt.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeTemp(t *testing.T, name string, body []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func readAll(t *testing.T, file string) ([]*contactList, error) {
	t.Helper()
	var out []*contactList
	err := readExport(file, func(cl *contactList) error { out = append(out, cl); return nil })
	return out, err
}

func owners(lists []*contactList) []string {
	var o []string
	for _, cl := range lists {
		o = append(o, cl.Owner)
	}
	return o
}

const docItemSet1 = `<?xml version="1.0" encoding="utf-8"?>
<DocItemSet xmlns="urn:x"><DocItem Name="urn:LCD:sip:Ann@foo.com"><Data><HomedResource>
<ContactGroups><ContactGroup Number="1" DisplayName="fg==" /><ContactGroup Number="2" DisplayName="VGVhbQ==" /></ContactGroups>
<Contacts><Contact Buddy="bob@foo.com" DisplayName="Qm9i" Groups="2" /></Contacts>
</HomedResource></Data></DocItem></DocItemSet>`

func TestReadZipVariants(t *testing.T) {
	legacy := `<HomedResources xmlns="http://schemas.microsoft.com/RtcServer/2002/11/dbimpexp"><HomedResource UserAtHost="eve@foo.com">
<ContactGroups><ContactGroup Number="1" DisplayName="~" /></ContactGroups><Contacts><Contact Buddy="bob@foo.com" Name="Bob" Groups="1" /></Contacts>
</HomedResource></HomedResources>`
	b64HomedResources := `<HomedResources><HomedResource UserAtHost="sip:zed@foo.com">
<ContactGroups><ContactGroup Number="1" DisplayName="fg==" /><ContactGroup Number="3" DisplayName="VGVhbQ==" /></ContactGroups>
<Contacts><Contact Buddy="bob@foo.com" DisplayName="Qm9i" Groups="3" /></Contacts></HomedResource></HomedResources>`
	cases := []struct {
		name   string
		parts  []part
		owners []string
		check  func(t *testing.T, l []*contactList)
	}{
		{"DocItemSet.xml in a folder, any case", []part{{"meta/MetaData.xml", "<MetaData/>"}, {"Export/docitemset.XML", docItemSet1}},
			[]string{"Ann@foo.com"}, func(t *testing.T, l []*contactList) {
				if l[0].Groups[1].Name != "Team" || l[0].Contacts[0].Nickname != "Bob" || l[0].Groups[0].Name != "~" {
					t.Errorf("base64 names not decoded: %+v", l[0])
				}
			}},
		{"no DocItemSet.xml: a legacy-format part", []part{{"MetaData.xml", "<MetaData/>"}, {"users.xml", legacy}},
			[]string{"eve@foo.com"}, func(t *testing.T, l []*contactList) {
				if l[0].Contacts[0].Nickname != "Bob" || l[0].Groups[0].Name != "~" {
					t.Errorf("plain names (Name attribute) not read: %+v", l[0])
				}
			}},
		{"HomedResources root with base64 names", []part{{"DocItemSet.xml", b64HomedResources}},
			[]string{"zed@foo.com"}, func(t *testing.T, l []*contactList) {
				if l[0].Groups[1].Name != "Team" || l[0].Contacts[0].Nickname != "Bob" {
					t.Errorf("fg== marker did not switch to base64: %+v", l[0])
				}
			}},
		{"lcd DocItem without data is an empty list", []part{{"DocItemSet.xml", `<DocItemSet><DocItem Name="urn:lcd:nobody@foo.com"><Data/></DocItem></DocItemSet>`}},
			[]string{"nobody@foo.com"}, func(t *testing.T, l []*contactList) {
				if len(l[0].Contacts) != 0 || l[0].Err != nil {
					t.Errorf("%+v", l[0])
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := readAll(t, writeZip(t, c.parts...))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(owners(l), c.owners) {
				t.Fatalf("owners %v, want %v", owners(l), c.owners)
			}
			c.check(t, l)
		})
	}
}

func TestReadOwnerErrors(t *testing.T) {
	// A bad owner is reported with its name and attribute; the owners after it are still read.
	doc := `<DocItemSet>
<DocItem Name="urn:lcd:bad@foo.com"><Data><HomedResource><ContactGroups><ContactGroup Number="2" DisplayName="not base64!" /></ContactGroups></HomedResource></Data></DocItem>
<DocItem Name="urn:lcd:badnick@foo.com"><Data><HomedResource><Contacts><Contact Buddy="bob@foo.com" DisplayName="@@" /></Contacts></HomedResource></Data></DocItem>
<DocItem Name="urn:lcd:badext@foo.com"><Data><HomedResource><ContactGroups><ContactGroup Number="4" DisplayName="fg==" ExternalUri="%%" /></ContactGroups></HomedResource></Data></DocItem>
<DocItem Name="urn:lcd:badgroups@foo.com"><Data><HomedResource><Contacts><Contact Buddy="bob@foo.com" Groups="1 x" /></Contacts></HomedResource></Data></DocItem>
<DocItem Name="urn:lcd:badnumber@foo.com"><Data><HomedResource><ContactGroups><ContactGroup Number="one" DisplayName="fg==" /></ContactGroups></HomedResource></Data></DocItem>
<DocItem Name="urn:lcd:"><Data><HomedResource /></Data></DocItem>
<DocItem Name="urn:lcd:good@foo.com"><Data><HomedResource><Contacts><Contact Buddy="bob@foo.com" Groups="1" /></Contacts></HomedResource></Data></DocItem>
</DocItemSet>`
	l, err := readAll(t, writeZip(t, part{"DocItemSet.xml", doc}))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ owner, err string }{
		{"bad@foo.com", "sip:bad@foo.com: ContactGroup 2 attribute DisplayName: bad base64"},
		{"badnick@foo.com", "sip:badnick@foo.com: Contact bob@foo.com attribute DisplayName: bad base64"},
		{"badext@foo.com", "sip:badext@foo.com: ContactGroup 4 attribute ExternalUri: bad base64"},
		{"badgroups@foo.com", `sip:badgroups@foo.com: Contact bob@foo.com attribute Groups "1 x": "x" is not a group number`},
		{"badnumber@foo.com", `sip:badnumber@foo.com: ContactGroup attribute Number "one" is not a group number`},
		{"", "HomedResource without an owner"},
		{"good@foo.com", ""},
	}
	if len(l) != len(want) {
		t.Fatalf("%d lists, want %d: %v", len(l), len(want), owners(l))
	}
	for i, w := range want {
		cl := l[i]
		if cl.Owner != w.owner {
			t.Errorf("list %d owner %q, want %q", i, cl.Owner, w.owner)
		}
		switch {
		case w.err == "" && cl.Err != nil:
			t.Errorf("%s: unexpected error %v", cl.Owner, cl.Err)
		case w.err != "" && (cl.Err == nil || !strings.Contains(cl.Err.Error(), w.err)):
			t.Errorf("%s: error %v, want it to contain %q", cl.Owner, cl.Err, w.err)
		case w.err != "" && (len(cl.Contacts) != 0 || len(cl.Groups) != 0):
			t.Errorf("%s: a list in error must be empty, got %+v", cl.Owner, cl)
		}
	}
}

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

func TestReadXMLEncodings(t *testing.T) {
	doc := `<?xml version="1.0" encoding="utf-16"?>
<HomedResources><HomedResource UserAtHost="zoë@foo.com"><Contacts><Contact Buddy="日本@foo.com" DisplayName="山田" Groups="1" /></Contacts></HomedResource></HomedResources>`
	utf8doc := strings.Replace(doc, "utf-16", "utf-8", 1)
	cases := map[string][]byte{
		"utf16le-bom": utf16Bytes(doc, false, true),
		"utf16be-bom": utf16Bytes(doc, true, true),
		"utf8-bom":    append([]byte("\xEF\xBB\xBF"), utf8doc...),
		"utf8":        []byte(utf8doc),
		// XML 1.0 Appendix F: the first "<" tells UTF-16 without a mark
		"utf16le-nobom": utf16Bytes(doc, false, false),
		"utf16be-nobom": utf16Bytes(doc, true, false),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			l, err := readAll(t, writeTemp(t, "x.xml", body))
			if err != nil {
				t.Fatal(err)
			}
			if len(l) != 1 || l[0].Owner != "zoë@foo.com" || l[0].Contacts[0].Buddy != "日本@foo.com" || l[0].Contacts[0].Nickname != "山田" {
				t.Errorf("%+v", l)
			}
		})
	}
	// UTF-16 without a mark that does not start with "<" is refused, as in a
	// users file (internal/textenc).
	for name, body := range map[string][]byte{"utf16le-nobom-space": utf16Bytes(" "+doc, false, false), "utf16be-nobom-space": utf16Bytes(" "+doc, true, false)} {
		t.Run(name, func(t *testing.T) {
			_, err := readAll(t, writeTemp(t, "x.xml", body))
			if err == nil || !strings.Contains(err.Error(), "x.xml") || !strings.Contains(err.Error(), "UTF-16 text without a byte-order mark") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	good := `<HomedResources><HomedResource UserAtHost="a@b.com"><Contacts><Contact Buddy="c@b.com" /></Contacts></HomedResource></HomedResources>`
	cases := []struct {
		name string
		file func(t *testing.T) string
		want []string
	}{
		{"missing", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope.zip") }, []string{"nope.zip", ostest.NotExistText(t)}},
		{"truncated", func(t *testing.T) string { return writeTemp(t, "cut.xml", []byte(good[:60])) }, []string{"cut.xml"}},
		{"syntax", func(t *testing.T) string {
			return writeTemp(t, "bad.xml", []byte(`<HomedResources><HomedResource UserAtHost="a@b.com"><Contacts></HomedResource></HomedResources>`))
		}, []string{"bad.xml", "<Contacts> closed by </HomedResource>"}},
		{"mismatch in a skipped element", func(t *testing.T) string {
			return writeTemp(t, "skip.xml", []byte(`<HomedResources><HomedResource UserAtHost="a@b.com"><Other><x></y></Other></HomedResource></HomedResources>`))
		}, []string{"skip.xml", "<x> closed by </y>"}},
		{"users file, not XML", func(t *testing.T) string { return writeTemp(t, "users.txt", []byte("sip:ann@foo.com\r\n")) },
			[]string{"users.txt", "not an Export-CsUserData zip nor a DBImpExp XML file"}},
		{"other XML", func(t *testing.T) string { return writeTemp(t, "o.xml", []byte(`<?xml version="1.0"?><Config/>`)) },
			[]string{"o.xml", "root element <Config>"}},
		{"declared charset", func(t *testing.T) string {
			return writeTemp(t, "cp.xml", []byte(`<?xml version="1.0" encoding="windows-1252"?>`+good))
		}, []string{"cp.xml", `unsupported XML encoding "windows-1252"`}},
		{"zip without contact data", func(t *testing.T) string { return writeZip(t, part{"MetaData.xml", "<MetaData/>"}, part{"a.txt", "x"}) },
			[]string{"export.zip", "no DocItemSet.xml"}},
		{"zip with a broken DocItemSet.xml", func(t *testing.T) string { return writeZip(t, part{"DocItemSet.xml", "<DocItemSet><DocItem>"}) },
			[]string{"export.zip: DocItemSet.xml", "file ends inside <DocItem>"}},
		{"zip with an unknown DocItemSet.xml root", func(t *testing.T) string { return writeZip(t, part{"DocItemSet.xml", "<Foo/>"}) },
			[]string{"export.zip", "DocItemSet.xml", "root element <Foo>"}},
		{"corrupt zip", func(t *testing.T) string { return writeTemp(t, "c.zip", []byte("PK\x03\x04garbage")) }, []string{"c.zip"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := readAll(t, c.file(t))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestReadStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop here")
	n := 0
	err := readExport("testdata/dbimpexp-utf8.xml", func(cl *contactList) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("err %v after %d lists; want the callback's own error after 1", err, n)
	}
}
