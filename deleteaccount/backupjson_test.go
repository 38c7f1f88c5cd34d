package deleteaccount

import (
	"encoding/json"
	"testing"
	"time"
)

// The row encoder's lines are byte for byte what json.Marshal writes for the
// same record, whatever the values hold.
func TestRowEncoderMatchesMarshal(t *testing.T) {
	h := txnHeader{User: "sip:a@x", Server: `sql01\rtc`, Database: "rtc", Version: "lync2013", ResourceID: 1010}
	cols, types := []string{"A", "B"}, []string{"nvarchar", "int"}
	values := []any{
		nil, int64(-42), int32(7), true, false, "plain text", "", "Ö ünïcode ✓",
		`quote " and \ backslash`, "tab\tnewline\n", "<b>&amp;</b>", "a<b", "c>d", "e&f", "line\u2028sep", "bad \xff utf-8",
		[]byte{0, 1, 255}, 1.5, time.Date(2025, 3, 4, 5, 6, 7, 800, time.UTC), "12.50",
	}
	rows := []backupRow{{Table: "Contact", Columns: cols, Types: types}} // no values: omitted, as omitempty does
	for _, v := range values {
		rows = append(rows, backupRow{Table: "Contact", Columns: cols, Types: types, Values: []any{v, int64(1)}})
	}
	// a table change and a column change within one transaction
	rows = append(rows,
		backupRow{Table: "ContactGroup", Columns: cols, Types: types, Values: []any{"x", int64(2)}},
		backupRow{Table: "ContactGroup", Columns: []string{"A"}, Types: []string{"int"}, Values: []any{int64(3)}},
		backupRow{Table: "ContactGroup", Columns: []string{"A"}, Types: []string{"bigint"}, Values: []any{int64(4)}})
	enc := rowEncoder{h: h, txn: 9}
	for _, r := range rows {
		got, err := enc.append(nil, r)
		if err != nil {
			t.Fatal(err)
		}
		rec := h.record(recRow, 9)
		rec.User, rec.ResourceID = "", 0
		rec.Table, rec.Columns, rec.Types, rec.Values = r.Table, r.Columns, r.Types, r.Values
		want, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("values %#v\n got %s\nwant %s", r.Values, got, want)
		}
	}
}
