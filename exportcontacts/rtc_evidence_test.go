package exportcontacts

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// One fixture seeded into the reconstructed schema (nvarchar names) and into
// the evidence schema (UTF-8 in varbinary, alias-typed ids, other lengths): the
// export writes the same bytes from both, non-ASCII names included.
func TestRTCSameCSVWhateverTheStorage(t *testing.T) {
	users := writeUsers(t, sipUsersFile+"sip:hank@export-e2e.example.com\r\n")
	out := map[string]map[string]string{}
	for _, schema := range rtcSchemas {
		cfg, _ := rtcRun(t, schema, users)
		r := runExport(t, cfg)
		if r.code != 1 {
			t.Fatalf("%s: exit %d\n%s", schema, r.code, r.log)
		}
		out[schema] = map[string]string{
			ContactsPrefix: readText(t, file(t, r.dir, ContactsPrefix, ".csv")),
			RejectsPrefix:  readText(t, file(t, r.dir, RejectsPrefix, ".csv")),
			UserListPrefix: readText(t, file(t, r.dir, UserListPrefix, ".txt")),
		}
	}
	a, b := out[rtcSchemas[0]], out[rtcSchemas[1]]
	for _, p := range []string{ContactsPrefix, RejectsPrefix, UserListPrefix} {
		if a[p] != b[p] {
			t.Errorf("%s differs:\n%s\nvs\n%s", p, a[p], b[p])
		}
	}
	for _, name := range []string{"Ünïcode Grüppe", "Bøb 日本", `"Friends, Family"`, `"Team ""A"""`} {
		if !strings.Contains(a[ContactsPrefix], name) {
			t.Errorf("the CSV lacks %s:\n%s", name, a[ContactsPrefix])
		}
	}
}

// On the evidence schema, names are bytes: the default group is the one byte
// 0x7E; a name stored as UTF-16LE reads as the same text; bytes that are no
// text send the rows carrying them to the rejects file with the reason, and
// the rest of the user's list is exported.
func TestRTCNamesStoredAsBytes(t *testing.T) {
	cfg, rtc := rtcRun(t, "lync2013-evidence", writeUsers(t, "sip:ann@export-e2e.example.com\r\nsip:bob@export-e2e.example.com\r\nsip:hank@export-e2e.example.com\r\n"))
	db := rtc.DB(t)
	var tilde []byte
	if err := db.QueryRow("SELECT DisplayName FROM ContactGroup WHERE OwnerId = 1 AND GroupNumber = 1").Scan(&tilde); err != nil || !bytes.Equal(tilde, []byte{0x7E}) {
		t.Fatalf("the default group is stored as %x (%v), want 7e", tilde, err)
	}
	var le []byte
	for _, u := range utf16.Encode([]rune("Bob, Jr.")) {
		le = append(le, byte(u), byte(u>>8))
	}
	for _, q := range []struct {
		sql string
		arg any
	}{
		{"UPDATE Contact SET DisplayName = ? WHERE OwnerId = 1 AND BuddyId = 2", le},                                // UTF-16LE
		{"UPDATE ContactGroup SET DisplayName = ? WHERE OwnerId = 2 AND GroupNumber = 2", []byte{0xC3, 0x28, 0x41}}, // not text
		{"UPDATE Contact SET DisplayName = ? WHERE OwnerId = 8 AND BuddyId = 2", []byte{0xFF}},                      // not text
	} {
		if _, err := db.Exec(q.sql, q.arg); err != nil {
			t.Fatal(err)
		}
	}
	r := runExport(t, cfg)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.log)
	}
	recs := readCSV(t, file(t, r.dir, ContactsPrefix, ".csv"))
	if want := concatRows([][]string{csvHeader}, annRows, bobRows[1:]); !slices.EqualFunc(recs, want, slices.Equal) {
		t.Errorf("CSV\n%q\nwant\n%q", recs, want)
	}
	const why = " stored as bytes that are neither UTF-8 nor UTF-16LE text"
	want := [][]string{
		append(slices.Clone(csvHeader), "Reason"),
		append(slices.Clone(annRejected), `Contact Domain "bad_domain.com" contains '_': only letters, digits and hyphens are allowed`),
		{"bob", e2eDomain, "ann", e2eDomain, "Ann", "0xC32841", "Group Name" + why},
		{"Hank", "Export-E2E.example.com", "bob", e2eDomain, "0xFF", "Ünïcode Grüppe", "Nickname" + why},
	}
	if rej := readCSV(t, file(t, r.dir, RejectsPrefix, ".csv")); !slices.EqualFunc(rej, want, slices.Equal) {
		t.Errorf("rejects\n%q\nwant\n%q", rej, want)
	}
	for _, w := range []string{
		"[WARN]  Contact sip:ann@export-e2e.example.com of sip:bob@export-e2e.example.com in group [0xC32841] rejected: Group Name" + why,
		"[WARN]  Contact sip:bob@export-e2e.example.com of sip:Hank@Export-E2E.example.com in group [Ünïcode Grüppe] rejected: Nickname" + why,
	} {
		if !strings.Contains(r.log, w) {
			t.Errorf("log lacks %q", w)
		}
	}
}
