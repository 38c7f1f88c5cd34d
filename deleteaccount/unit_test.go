package deleteaccount

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

func TestStatements(t *testing.T) {
	cat := &rtcclient.Catalog{Tables: map[string][]rtcclient.ColumnInfo{
		"contact": {{Name: "OwnerId", DataType: "int"}, {Name: "BuddyId", DataType: "int"},
			{Name: "DisplayName", DataType: "nvarchar", MaxLength: 256}, {Name: "SubscribePresence", DataType: "bit"}},
	}}
	st := newStatements(rtcschema.For(rtcschema.Lync2013), cat)
	c := st.table("contact")
	if want := "SELECT [OwnerId], [BuddyId], [DisplayName], [SubscribePresence] FROM [Contact] WHERE [OwnerId] = @p1"; c.sel != want {
		t.Errorf("select\n got %s\nwant %s", c.sel, want)
	}
	if want := "DELETE FROM [Contact] WHERE [OwnerId] = @p1"; c.del != want {
		t.Errorf("delete\n got %s\nwant %s", c.del, want)
	}
	if want, got := "SELECT (SELECT COUNT(*) FROM [ConferenceParticipant] WHERE [EnterpriseId] = @p1)", st.procCount["rtcpdeleteconferenceparticipantbyenterpriseid"]; got != want {
		t.Errorf("proc count\n got %s\nwant %s", got, want)
	}
	if !strings.HasPrefix(st.count, "SELECT (SELECT COUNT(*) FROM [ContactGroupAssoc] WHERE [OwnerId] = @p1), ") ||
		strings.Count(st.count, "COUNT(*)") != len(rtcschema.For(rtcschema.Lync2013).Touched()) {
		t.Errorf("count %s", st.count)
	}
	if got, want := existsSQL("Contact", []string{"OwnerId", "BuddyId"}), "SELECT COUNT(*) FROM [Contact] WHERE [OwnerId] = @p1 AND [BuddyId] = @p2"; got != want {
		t.Errorf("exists\n got %s\nwant %s", got, want)
	}
	if got, want := insertSQL("Contact", []string{"OwnerId", "Buddy]Id"}), "INSERT INTO [Contact] ([OwnerId], [Buddy]]Id]) VALUES (@p1, @p2)"; got != want {
		t.Errorf("insert\n got %s\nwant %s", got, want)
	}
}

func TestCombine(t *testing.T) {
	p := func(o result.Outcome, rows map[string]int64) result.Record {
		return result.Record{Server: "s", Outcome: o, Detail: string(o), Rows: rows}
	}
	cases := []struct {
		parts []result.Record
		want  result.Outcome
	}{
		{[]result.Record{p(result.NotFound, nil), p(result.Processed, map[string]int64{"Contact": 2})}, result.Processed},
		{[]result.Record{p(result.Processed, nil), p(result.Error, nil)}, result.Error},
		{[]result.Record{p(result.NotFound, nil), p(result.Skipped, nil)}, result.Skipped},
		{[]result.Record{p(result.NotFound, nil), p(result.NotFound, nil)}, result.NotFound},
		{[]result.Record{p(result.Skipped, nil), p(result.Processed, map[string]int64{"Contact": 1}), p(result.Processed, map[string]int64{"Contact": 3})}, result.Processed},
	}
	for i, c := range cases {
		got := combine(result.Record{User: "sip:a@b"}, c.parts)
		if got.Outcome != c.want {
			t.Errorf("case %d: %s, want %s", i, got.Outcome, c.want)
		}
	}
	got := combine(result.Record{}, cases[4].parts)
	if got.Rows["Contact"] != 4 {
		t.Errorf("overall rows %v, want Contact 4", got.Rows)
	}
}

// The backup file round trip: what a run writes is what --undo reads;
// committed transactions come back, aborted ones do not, and one with
// neither record (cut short around its COMMIT) comes back with a warning.
func TestBackupRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "DeleteAccountBackup20260101_120000.jsonl")
	now := func() time.Time { return time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC) }
	w, err := openBackup(path, now)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2025, 3, 4, 5, 6, 7, 800, time.UTC)
	row := backupRow{Table: "Contact", Columns: []string{"OwnerId", "BuddyId", "DisplayName", "Blob", "When", "Amount", "On"},
		Types:  []string{"int", "int", "nvarchar", "varbinary", "datetime2", "decimal", "bit"},
		Values: []any{int64(1010), int64(1011), "Ann \"A\" Ö", backupValue([]byte{0, 1, 255}, "varbinary"), when, backupValue([]byte("12.50"), "decimal"), true}}
	h := func(u string) txnHeader {
		return txnHeader{User: u, Server: `sql01\rtc`, Database: "rtc", Version: "lync2013", ResourceID: 1010}
	}
	t1, _ := w.begin(h("sip:a@x"), []backupRow{row})
	t2, _ := w.begin(h("sip:b@x"), []backupRow{row})
	t3, _ := w.begin(h("sip:c@x"), []backupRow{row})
	if err := w.committed(t1, h("sip:a@x")); err != nil {
		t.Fatal(err)
	}
	_ = w.committed(t3, h("sip:c@x"))
	_ = w.aborted(t3, h("sip:c@x"), "commit failed")
	_ = t2 // cut short: neither committed nor aborted
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if strings.Count(string(raw), "\r\n") != strings.Count(string(raw), "\n") {
		t.Error("backup lines do not end in CRLF")
	}
	ostest.OwnerOnly(t, path)
	txns, warns, err := readBackup(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "transaction 2 (sip:b@x on sql01\\rtc) has no committed or aborted record") {
		t.Errorf("warnings %q, want one about b's transaction", warns)
	}
	if len(txns) != 2 || txns[0].head.User != "sip:a@x" || txns[1].head.User != "sip:b@x" || len(txns[0].rows) != 1 {
		t.Fatalf("txns %+v, want a's and b's", txns)
	}
	r := txns[0].rows[0]
	if r.Server != `sql01\rtc` || r.Database != "rtc" || r.Version != "lync2013" || r.Table != "Contact" {
		t.Errorf("row record %+v lacks server/database/version/table", r)
	}
	var got []any
	for i := range r.Values {
		v, err := undoValue(r.Values[i], r.Types[i])
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	want := []any{int64(1010), int64(1011), "Ann \"A\" Ö", []byte{0, 1, 255}, when, "12.50", true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("values\n got %#v\nwant %#v", got, want)
	}

	// a torn last line is a warning, a torn line in the middle an error
	if err := os.WriteFile(path, append(raw, []byte(`{"type":"row","txn":`)...), 0o600); err != nil {
		t.Fatal(err)
	}
	if txns, warns, err := readBackup(path); err != nil || len(warns) != 2 || len(txns) != 2 {
		t.Errorf("torn last line: %d txns, warnings %q, err %v", len(txns), warns, err)
	}
	if err := os.WriteFile(path, append([]byte("{oops\r\n"), raw...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := readBackup(path); err == nil {
		t.Error("a malformed first line was accepted")
	}
}

func TestBackupRecordFields(t *testing.T) {
	b, _ := json.Marshal(txnHeader{User: "sip:a@x", Server: "s", Database: "rtc", Version: "ocs2007", ResourceID: 7}.record(recCommitted, 3))
	want := `{"type":"committed","txn":3,"user":"sip:a@x","server":"s","database":"rtc","version":"ocs2007","resource_id":7}`
	if string(b) != want {
		t.Errorf("got %s\nwant %s", b, want)
	}
}

// A broken backup writer refuses every later record.
func TestBackupStickyError(t *testing.T) {
	w, err := openBackup(filepath.Join(t.TempDir(), "b.jsonl"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	w.f.Close() // writes now fail
	if _, err := w.begin(txnHeader{User: "u"}, nil); err == nil {
		t.Fatal("write to a closed file succeeded")
	}
	if err := w.committed(1, txnHeader{}); err == nil {
		t.Error("a later record was accepted after a failed write")
	}
}

func TestValidate(t *testing.T) {
	ok := Config{SQL: rtcclient.Config{Servers: []string{"sql01,1433"}, Auth: rtcclient.AuthSQL, User: "sa"}}
	if err := validate(ok); err != nil {
		t.Errorf("validate: %v", err)
	}
	bad := []Config{
		{SQL: rtcclient.Config{Auth: rtcclient.AuthSQL, User: "sa"}},
		{SQL: ok.SQL, Undo: "f", DryRun: true},
		{SQL: ok.SQL, Undo: "f", Check: true},
		{SQL: rtcclient.Config{Servers: []string{"a;b"}, Auth: rtcclient.AuthSQL, User: "sa"}},
		{SQL: rtcclient.Config{Servers: []string{"SQL01:1433", "sql01,1433"}, Auth: rtcclient.AuthSQL, User: "sa"}},
	}
	for i, c := range bad {
		if err := validate(c); err == nil {
			t.Errorf("case %d accepted", i)
		}
	}
}

// Workers write and sync concurrently (group commit): every record arrives
// whole, and every transaction reads back committed.
func TestBackupConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.jsonl")
	w, err := openBackup(path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	row := backupRow{Table: "Contact", Columns: []string{"OwnerId"}, Types: []string{"int"}, Values: []any{int64(1)}}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				h := txnHeader{User: fmt.Sprintf("sip:u%d-%d@x", g, i), Server: "s", Database: "rtc", Version: "lync2013", ResourceID: 1}
				txn, err := w.begin(h, []backupRow{row, row})
				if err == nil {
					err = w.committed(txn, h)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	txns, _, err := readBackup(path)
	if err != nil || len(txns) != 400 {
		t.Fatalf("%d committed transactions, err %v; want 400", len(txns), err)
	}
	for _, tx := range txns {
		if len(tx.rows) != 2 {
			t.Fatalf("%s has %d rows", tx.head.User, len(tx.rows))
		}
	}
}

func TestUniqueIdentifierBackedUpAsText(t *testing.T) {
	// SQL Server sends a uniqueidentifier with its first three groups little-endian.
	raw := []byte{0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF}
	if got := backupValue(raw, "uniqueidentifier"); got != "6F9619FF-8B86-D011-B42D-00C04FC964FF" {
		t.Errorf("got %v", got)
	}
	if v, err := undoValue("6F9619FF-8B86-D011-B42D-00C04FC964FF", "uniqueidentifier"); err != nil || v != "6F9619FF-8B86-D011-B42D-00C04FC964FF" {
		t.Errorf("undo value %v, %v", v, err)
	}
}
