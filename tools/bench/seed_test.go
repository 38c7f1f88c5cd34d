package main

import (
	"path/filepath"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
)

// The seed goes through rtcsim's own tables and type checks: a schema change that the bench
// does not follow fails here, not in the middle of `make bench`.
func TestSeedRTC(t *testing.T) {
	const n, contacts = 7, 4
	p := filepath.Join(t.TempDir(), "rtc.sqlite")
	if err := seedRTC(p, benchUsers(n), contacts); err != nil {
		t.Fatal(err)
	}
	srv, err := rtcsim.Open(rtcsim.Options{DBPath: p})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for q, want := range map[string]int{
		"SELECT COUNT(*) FROM Resource":                                                  n,
		"SELECT COUNT(*) FROM Contact":                                                   n * contacts,
		"SELECT COUNT(*) FROM ContactGroupAssoc":                                         exportRows(n, contacts),
		"SELECT COUNT(*) FROM ContactGroup WHERE DisplayName = '~'":                      n,
		"SELECT COUNT(*) FROM Contact WHERE OwnerId = BuddyId":                           0,
		"SELECT COUNT(*) FROM Resource WHERE UserAtHost = 'lmb000003@bench.example.com'": 1,
		"SELECT COUNT(*) FROM PUIDDirectory":                                             n,
	} {
		var got int
		if err := srv.SQLite().QueryRow(q).Scan(&got); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
}

func TestZipCSVRows(t *testing.T) {
	// per user: contacts 0, 3, 6 are in groups "2 3" (two rows), the other five in one
	if got := zipCSVRows(10, 8); got != 10*(3*2+5) {
		t.Errorf("zipCSVRows(10, 8) = %d, want %d", got, 10*11)
	}
	if got := zipCSVRows(5, 8); got != -1 {
		t.Errorf("zipCSVRows(5, 8) = %d, want -1 (owners on their own lists)", got)
	}
}
