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

// lync2013Columns are the integer columns of testdata/rtc/lync2013.sql's
// user-keyed tables (other columns left out: the statements name them only
// in the backup's column list).
var lync2013Columns = map[string][]string{
	"Resource": {"ResourceId"}, "ResourceDirectory": {"ResourceId"}, "ContactGroup": {"OwnerId", "GroupNumber"},
	"Contact": {"OwnerId", "BuddyId"}, "ContactGroupAssoc": {"OwnerId", "BuddyId", "GroupNumber"},
	"Container": {"OwnerId", "ContainerNum"}, "CachedContainerMember": {"OwnerId", "ContainerNum", "MemberId"},
	"ContainerMemberUser": {"OwnerId", "ContainerNum", "MemberId"}, "PromptedSubscriber": {"OwnerId", "SubscriberId"},
	"Delegate": {"OwnerId", "DelegateId"}, "ConferenceParticipant": {"ConferenceId", "EnterpriseId"},
	"UserPolicy": {"ResourceId", "PolicyType"}, "ResourcePhone": {"ResourceId"}, "RtcItem": {"ResourceId"},
	"PUIDDirectory": {"ResourceId"}, "PublishedInstance": {"PublisherId", "ContainerNum", "CategoryId"},
}

// userTablesOf is what discovery finds on a lync2013 rtcsim (the integer
// columns above), plus extra tables.
func userTablesOf(extra ...rtcclient.UserTable) *rtcclient.UserTables {
	var list []rtcclient.UserTable
	for name, cols := range lync2013Columns {
		ut := rtcclient.UserTable{Name: name}
		for _, c := range cols {
			ut.Columns = append(ut.Columns, rtcclient.CatalogColumn{ColumnInfo: rtcclient.ColumnInfo{Name: c, DataType: "int"}})
			if key, ok := rtcschema.UserKeyOf(c); ok {
				if key.Side == rtcschema.OwnerSide {
					ut.Owner = append(ut.Owner, c)
				} else {
					ut.Other = append(ut.Other, c)
				}
			}
		}
		list = append(list, ut)
	}
	return rtcclient.NewUserTables(append(list, extra...))
}

func TestStatements(t *testing.T) {
	col := func(name, typ string) rtcclient.CatalogColumn {
		return rtcclient.CatalogColumn{ColumnInfo: rtcclient.ColumnInfo{Name: name, DataType: typ}}
	}
	mystery := rtcclient.UserTable{Name: "Mystery", Owner: []string{"OwnerId", "PublisherId"},
		Columns: []rtcclient.CatalogColumn{col("OwnerId", "int"), col("PublisherId", "bigint"), col("Note", "varbinary")}}
	users := userTablesOf(mystery)
	rd, _ := users.Table("ResourceDirectory")
	rd.Columns = append(rd.Columns, col("Enabled", "bit"))
	st, err := newStatements(rtcschema.For(rtcschema.Lync2013), users)
	if err != nil {
		t.Fatal(err)
	}
	if st.tables[0].t.Name != "Mystery" || st.tables[0].planned || st.tables[1].t.Name != "Resource" || st.tables[2].t.Name != "ContactGroupAssoc" {
		t.Errorf("order: %s, %s, %s: want the unknown table first, then Resource and the plan's", st.tables[0].t.Name, st.tables[1].t.Name, st.tables[2].t.Name)
	}
	c, _ := st.table("contact")
	if want := "SELECT [OwnerId], [BuddyId] FROM [Contact] WHERE ([OwnerId] = @p1)"; c.sel != want {
		t.Errorf("select\n got %s\nwant %s", c.sel, want)
	}
	if !c.planned || c.del != "" {
		t.Errorf("Contact: planned %v, delete %q: a procedure's table, no DELETE step", c.planned, c.del)
	}
	m, _ := st.table("Mystery")
	if want := "SELECT [OwnerId], [PublisherId], [Note] FROM [Mystery] WHERE [OwnerId] IN (@p1, @p2) OR [PublisherId] IN (@p1, @p2)"; m.inList(2) != want {
		t.Errorf("set-based select\n got %s\nwant %s", m.inList(2), want)
	}
	d, _ := st.table("Delegate")
	if want := "DELETE FROM [Delegate] WHERE [OwnerId] = @p1"; d.del != want {
		t.Errorf("delete\n got %s\nwant %s", d.del, want)
	}
	for _, want := range []string{
		"(SELECT COUNT(*) FROM [Mystery] WHERE ([OwnerId] = @p1 OR [PublisherId] = @p1))",
		"(SELECT COUNT(*) FROM [Contact] WHERE ([OwnerId] = @p1))",
		// the other side: other users' rows, each column on its own (an index on BuddyId can serve it)
		"(SELECT COUNT(*) FROM [Contact] WHERE ([BuddyId] = @p1) AND ([OwnerId] IS NULL OR [OwnerId] <> @p1))",
		"(SELECT COUNT(*) FROM [Resource] WHERE ([ResourceId] = @p1))",
	} {
		if !strings.Contains(st.count, want) {
			t.Errorf("count lacks %s:\n%s", want, st.count)
		}
	}
	if !strings.HasSuffix(st.count, ", (SELECT COUNT(*) FROM [ResourceDirectory] WHERE [Enabled] <> 0 AND [ResourceId] = @p1)") || st.enabledAt != st.countCols-1 {
		t.Errorf("count does not end with the replication check:\n%s", st.count)
	}
	if strings.Contains(st.dryCount, "BuddyId") || strings.Count(st.dryCount, ", ") != strings.Count(st.count, ", ") {
		t.Errorf("the dry run's count reads the other side or moves the columns:\n%s", st.dryCount)
	}
	if r, _ := st.table("Resource"); r.backedUp() || !r.resource {
		t.Error("Resource is backed up")
	}

	// A DELETE step on a table that is not user-keyed on the server refuses.
	var without []rtcclient.UserTable
	for _, ut := range users.List {
		if ut.Name != "RtcItem" {
			without = append(without, ut)
		}
	}
	if _, err := newStatements(rtcschema.For(rtcschema.Lync2013), rtcclient.NewUserTables(without)); err == nil || !strings.Contains(err.Error(), "RtcItem") {
		t.Errorf("plan table not discovered: %v", err)
	}

	stmt, args := existsSQL("Contact", []string{"OwnerId", "DisplayName", "BuddyId"}, []any{int64(1), nil, int64(2)})
	if want := "SELECT COUNT(*) FROM [Contact] WHERE [OwnerId] = @p1 AND [DisplayName] IS NULL AND [BuddyId] = @p2"; stmt != want || len(args) != 2 {
		t.Errorf("exists\n got %s %v\nwant %s", stmt, args, want)
	}
	if got, want := insertSQL("Contact", []string{"OwnerId", "Buddy]Id"}), "INSERT INTO [Contact] ([OwnerId], [Buddy]]Id]) VALUES (@p1, @p2)"; got != want {
		t.Errorf("insert\n got %s\nwant %s", got, want)
	}
	if got, want := identityInsertSQL("Mystery", true), "SET IDENTITY_INSERT [dbo].[Mystery] ON"; got != want {
		t.Errorf("identity insert\n got %s\nwant %s", got, want)
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
	if err := ok.Validate(); err != nil {
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
		if err := c.Validate(); err == nil {
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

// settle makes a transaction's backup hold exactly what vanished: rows
// not on disk are appended (with a begin record when none was written),
// rows on disk that stayed are named by a kept record, and --undo reads
// back only the vanished ones.
func TestBackupSettle(t *testing.T) {
	row := func(table string, n int64) backupRow {
		return backupRow{Table: table, Columns: []string{"OwnerId", "N"}, Types: []string{"int", "int"}, Values: []any{int64(7), n}}
	}
	a, b, c, d := row("Contact", 1), row("Contact", 2), row("Contact", 3), row("Mystery", 4)
	cases := []struct {
		name       string
		disk, gone []backupRow
		want       []backupRow
		kept       bool
	}{
		{"all on disk, all gone", []backupRow{a, b}, []backupRow{b, a}, []backupRow{a, b}, false},
		{"one stayed, one more vanished", []backupRow{a, b, c}, []backupRow{a, c, d}, []backupRow{a, c, d}, true},
		{"nothing on disk", nil, []backupRow{d, a}, []backupRow{d, a}, false},
		{"copies: one of two equal rows stayed", []backupRow{a, a}, []backupRow{a}, []backupRow{a}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "b.jsonl")
			w, err := openBackup(path, time.Now)
			if err != nil {
				t.Fatal(err)
			}
			h := txnHeader{User: "sip:a@x", Server: "s", Database: "rtc", Version: "lync2013", ResourceID: 7}
			var txn int64
			if c.disk != nil {
				if txn, err = w.begin(h, c.disk); err != nil {
					t.Fatal(err)
				}
			}
			at := make([]int, len(c.disk))
			for i := range at {
				at[i] = i
			}
			vanished := make([]bool, len(c.disk))
			more := markOnDisk(c.disk, at, c.gone, vanished)
			if txn, err = w.settle(txn, h, vanished, more); err != nil || txn == 0 {
				t.Fatalf("settle: txn %d, %v", txn, err)
			}
			if err := w.committed(txn, h); err != nil {
				t.Fatal(err)
			}
			if err := w.close(); err != nil {
				t.Fatal(err)
			}
			raw, _ := os.ReadFile(path)
			if got := strings.Contains(string(raw), `"type":"kept"`); got != c.kept {
				t.Errorf("kept record: %v, want %v\n%s", got, c.kept, raw)
			}
			txns, _, err := readBackup(path)
			if err != nil || len(txns) != 1 {
				t.Fatalf("%d transactions, %v", len(txns), err)
			}
			var got []string
			for _, r := range txns[0].rows {
				got = append(got, fmt.Sprint(r.Table, r.Values))
			}
			var want []string
			for _, r := range c.want {
				want = append(want, fmt.Sprint(r.Table, r.Values))
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("undo would restore %v, want %v", got, want)
			}
		})
	}
}

// The invariants, on the counts before and after the plan: the Resource
// row stays; no other user's row naming the user vanishes; the user's own
// rows may.
func TestInvariants(t *testing.T) {
	users := userTablesOf()
	st, err := newStatements(rtcschema.For(rtcschema.Lync2013), users)
	if err != nil {
		t.Fatal(err)
	}
	counts := func(set map[string][2]int64) userCounts {
		c := make(userCounts, st.countCols)
		for i := range st.tables {
			tb := &st.tables[i]
			v := set[tb.t.Name] // owner, other
			if tb.ownerAt >= 0 {
				c[tb.ownerAt] = v[0]
			}
			if tb.otherAt >= 0 {
				c[tb.otherAt] = v[1]
			}
		}
		return c
	}
	before := counts(map[string][2]int64{"Resource": {1, 0}, "Contact": {2, 3}, "ContainerMemberUser": {1, 2}})
	cases := []struct {
		name  string
		after map[string][2]int64
		want  string
	}{
		{"own rows gone", map[string][2]int64{"Resource": {1, 0}, "Contact": {0, 3}, "ContainerMemberUser": {0, 2}}, ""},
		{"others' contacts gone", map[string][2]int64{"Resource": {1, 0}, "Contact": {0, 0}, "ContainerMemberUser": {0, 2}},
			"the plan would remove them from 3 other users' contact lists (Contact rows whose BuddyId names them): rolled back, nothing changed"},
		{"Resource and a membership gone", map[string][2]int64{"Contact": {0, 3}, "ContainerMemberUser": {0, 1}},
			"the plan would delete their Resource row, which other users' contact lists point at; the plan would remove 1 rows of other users that name them in ContainerMemberUser (MemberId): rolled back, nothing changed"},
	}
	for _, c := range cases {
		err := st.invariants(before, counts(c.after))
		if got := errString(err); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}
