package result

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func golden(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b, []byte("\n"))
}

func TestRecordJSONGolden(t *testing.T) {
	twelve := 12
	tests := []struct {
		golden string
		rec    Record
	}{
		{"record_full.json", Record{
			User: "sip:ann@foo.com", Outcome: Processed, Detail: "deleted on 2 tables", DryRun: true, Line: 7,
			Server: `sql1\rtc`, Rows: map[string]int64{"Resource": 1, "Contact": 3},
			Changes: []Change{
				{Attribute: "msRTCSIP-UserEnabled", Before: []string{"TRUE"}, After: []string{"FALSE"}},
				{Attribute: "msRTCSIP-PrimaryHomeServer", Before: []string{"CN=Lc Services,CN=Microsoft,CN=pool1"}},
			},
			Contacts: &twelve,
		}},
		{"record_minimal.json", Record{User: "sip:bob@foo.com", Outcome: NotFound}},
		{"record_verify.json", Record{
			User: "sip:cat@foo.com", Outcome: Error, State: StateNotDeleted, Line: 3,
			Detail: "not_deleted: homed data left on sql2\\rtc (Contact 3, ResourceDirectory 1): run deleteaccount there",
			AD:     &ADStatus{Found: true, Address: "sip:cat@foo.com", DN: "CN=Cat,OU=Sales,DC=foo,DC=com"},
			Servers: []ServerStatus{
				{Server: `sql1\rtc`, ResourceID: new(int64(41)), Replicated: new(true), HomedRows: map[string]int64{}, ListedBy: 2},
				{Server: `sql2\rtc`, ResourceID: new(int64(7)), HomedRows: map[string]int64{"Contact": 3, "ResourceDirectory": 1}},
				{Server: "sql3:1433", Error: "connect: connection refused"},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			got, err := json.Marshal(tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			if want := golden(t, tt.golden); !bytes.Equal(got, want) {
				t.Errorf("JSON\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestSummaryJSONGolden(t *testing.T) {
	tests := []struct {
		golden string
		sum    Summary
	}{
		{"summary.json", Summary{Processed: 12, NotFound: 1, Skipped: 2, Duplicates: 3, ExitCode: 1,
			Log: `C:\Tools\DisableAccountLog20240102_030405.txt`}},
		{"summary_export.json", Summary{Processed: 4, NotAttempted: 2, DryRun: true,
			Contacts: &ContactStats{Largest: 40, Total: 90, Average: 22.5}, ExitCode: 130}},
		{"summary_verify.json", Summary{Processed: 5, Errors: 4, NotFound: 1, ExitCode: 1,
			States: &StateCounts{Migrated: 5, NotDisabled: 1, NotReplicated: 1, NotDeleted: 1, AddressLost: 1, NotFound: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			if got, want := tt.sum.JSON(), golden(t, tt.golden); !bytes.Equal(got, want) {
				t.Errorf("JSON\n got %s\nwant %s", got, want)
			}
		})
	}
}

// The JSON of a record reads back to the same record: scripts may feed the
// lines back (e.g. to retry the not_attempted users).
func TestRecordRoundTrip(t *testing.T) {
	var r Record
	if err := json.Unmarshal(golden(t, "record_full.json"), &r); err != nil {
		t.Fatal(err)
	}
	if r.User != "sip:ann@foo.com" || r.Outcome != Processed || r.Rows["Contact"] != 3 || r.Contacts == nil || *r.Contacts != 12 ||
		len(r.Changes) != 2 || len(r.Changes[1].After) != 0 {
		t.Errorf("round trip: %+v", r)
	}
}
