package exportcontacts

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// exportFixture runs the offline pipeline the Run will run (read → map → BAT rules →
// writers → stats) over one fixture and returns the output folder.
func exportFixture(t *testing.T, src string, mo mapOptions, co csvOptions) (dir string, written, rejected []batRow, st *contactStats) {
	t.Helper()
	dir = t.TempDir()
	cw, err := createContactsCSV(createFile(t, filepath.Join(dir, "ExportedContacts.csv")), co)
	if err != nil {
		t.Fatal(err)
	}
	rejects := filepath.Join(dir, "ExportedContactsRejected.csv")
	rw := newRejectsCSV(rejects, opener(t, rejects), co)
	uw := createUserList(createFile(t, filepath.Join(dir, "UserList.txt")))
	st = &contactStats{}
	err = readExport(src, func(cl *contactList) error {
		if cl.Err != nil {
			t.Errorf("owner %s: %v", cl.Owner, cl.Err)
			return nil
		}
		log := discard()
		rows := mapRows(cl, mo, log)
		ok, rej := splitRows(rows, log)
		for _, r := range ok {
			if err := cw.Write(r); err != nil {
				return err
			}
		}
		for _, rj := range rej {
			if err := rw.Write(rj); err != nil {
				return err
			}
			rejected = append(rejected, rj.Row)
		}
		written = append(written, ok...)
		st.Add(distinctContacts(ok))
		return uw.Write(cl.Owner)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []interface{ Close() error }{cw, rw, uw} {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return dir, written, rejected, st
}

func sameFile(t *testing.T, got, golden string) {
	t.Helper()
	g, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g, w) {
		t.Errorf("%s differs from %s\n--- got ---\n%q\n--- want ---\n%q", filepath.Base(got), golden, g, w)
	}
}

// parseCSV checks the file with encoding/csv: every record parses, has n fields, and
// (after an optional header) carries exactly the rows written.
func parseCSV(t *testing.T, file string, header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%s: encoding/csv: %v", file, err)
	}
	want := rows
	if header != nil {
		want = append([][]string{header}, rows...)
	}
	if !slices.EqualFunc(recs, want, slices.Equal) {
		t.Errorf("%s: records\n%q\nwant\n%q", file, recs, want)
	}
}

func TestReadersGolden(t *testing.T) {
	fixtures := []string{
		"testdata/export-lync2013.zip",
		"testdata/dbimpexp-utf16le.xml",
		"testdata/dbimpexp-utf8.xml",
	}
	cases := []struct {
		name   string
		mo     mapOptions
		co     csvOptions
		golden string
	}{
		{"defaults", mapOptions{}, csvOptions{}, "testdata/golden"},
		{"state-noheader-defaultgroup", mapOptions{DefaultGroup: "Other Contacts", StateColumn: true},
			csvOptions{NoHeader: true, StateColumn: true}, "testdata/golden/options"},
	}
	for _, fx := range fixtures {
		for _, tc := range cases {
			t.Run(filepath.Base(fx)+"/"+tc.name, func(t *testing.T) {
				dir, written, rejected, st := exportFixture(t, fx, tc.mo, tc.co)
				sameFile(t, filepath.Join(dir, "ExportedContacts.csv"), filepath.Join(tc.golden, "ExportedContacts.csv"))
				sameFile(t, filepath.Join(dir, "ExportedContactsRejected.csv"), filepath.Join(tc.golden, "ExportedContactsRejected.csv"))
				sameFile(t, filepath.Join(dir, "UserList.txt"), "testdata/golden/UserList.txt")

				hdr := []string{"User ID", "User Domain", "Contact ID", "Contact Domain", "Nickname", "Group Name"}
				fields := func(r batRow, extra ...string) []string {
					f := []string{r.UserID, r.UserDomain, r.ContactID, r.ContactDomain, r.Nickname, r.GroupName}
					if tc.co.StateColumn {
						f = append(f, "0")
					}
					return append(f, extra...)
				}
				var recs, rejs [][]string
				for _, r := range written {
					recs = append(recs, fields(r))
				}
				for _, r := range rejected {
					rejs = append(rejs, fields(r, checkRow(r).Error()))
				}
				rejHdr := slices.Clone(hdr)
				if tc.co.StateColumn {
					rejHdr = append(rejHdr, "State")
				}
				rejHdr = append(rejHdr, "Reason")
				if tc.co.NoHeader {
					hdr = nil
				}
				parseCSV(t, filepath.Join(dir, "ExportedContacts.csv"), hdr, recs)
				parseCSV(t, filepath.Join(dir, "ExportedContactsRejected.csv"), rejHdr, rejs)

				// ann: bob carol dave Eve frank grace judy heidi; bob: ann zoë; empty: none.
				users, largest, total, avg := st.Values()
				if users != 3 || largest != 8 || total != 10 || avg != 10.0/3 {
					t.Errorf("stats = %d users, largest %d, total %d, average %v; want 3, 8, 10, 3.33…", users, largest, total, avg)
				}
			})
		}
	}
}

// The three fixtures hold the same lists: the readers must agree on the model itself,
// not only on the CSV.
func TestReadersAgree(t *testing.T) {
	read := func(file string) []*contactList {
		var out []*contactList
		if err := readExport(file, func(cl *contactList) error { out = append(out, cl); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	zip := read("testdata/export-lync2013.zip")
	if len(zip) != 3 {
		t.Fatalf("zip: %d owners, want 3 (urn:hcd:/urn:upc: DocItems must be skipped)", len(zip))
	}
	ann := zip[0]
	if ann.Owner != "ann@foo.com" || len(ann.Groups) != 6 || len(ann.Contacts) != 12 {
		t.Fatalf("ann = %+v", ann)
	}
	if g := ann.Groups[3]; g.Name != "Sales DL" || g.ExternalURI != "sip:sales-dl@foo.com" || g.Number != 4 {
		t.Errorf("distribution group = %+v", g)
	}
	if c := ann.Contacts[4]; c.Buddy != "frank@foo.com" || c.Groups != nil || c.Nickname != "" {
		t.Errorf("contact in no group = %+v", c)
	}
	if c := ann.Contacts[7]; !slices.Equal(c.Groups, []int{2, 2, 1}) {
		t.Errorf("judy groups = %v", c.Groups)
	}
	for _, f := range []string{"testdata/dbimpexp-utf16le.xml", "testdata/dbimpexp-utf8.xml"} {
		got := read(f)
		if len(got) != len(zip) {
			t.Fatalf("%s: %d owners, want %d", f, len(got), len(zip))
		}
		for i := range got {
			if got[i].Owner != zip[i].Owner || !slices.Equal(got[i].Groups, zip[i].Groups) ||
				!slices.EqualFunc(got[i].Contacts, zip[i].Contacts, func(a, b contactEntry) bool {
					return a.Buddy == b.Buddy && a.Nickname == b.Nickname && slices.Equal(a.Groups, b.Groups)
				}) {
				t.Errorf("%s owner %d:\n%+v\nzip:\n%+v", f, i, got[i], zip[i])
			}
		}
	}
}
