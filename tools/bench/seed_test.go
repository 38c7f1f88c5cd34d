package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// The seed goes through rtcsim's own tables and type checks: a schema change that the bench
// does not follow fails here, not in the middle of `make bench`.
func TestSeedRTC(t *testing.T) {
	for _, schema := range []string{"lync2013", "lync2013-evidence"} {
		t.Run(schema, func(t *testing.T) { testSeedRTC(t, schema) })
	}
}

func testSeedRTC(t *testing.T, schema string) {
	const n, contacts = 7, 4
	p := filepath.Join(t.TempDir(), "rtc.sqlite")
	if err := seedRTC(p, schema, benchUsers(n), contacts); err != nil {
		t.Fatal(err)
	}
	srv, err := rtcsim.Open(rtcsim.Options{Schema: schema, DBPath: p})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for q, want := range map[string]int{
		"SELECT COUNT(*) FROM Resource":                                                  n,
		"SELECT COUNT(*) FROM Contact":                                                   n * contacts,
		"SELECT COUNT(*) FROM ContactGroupAssoc":                                         exportRows(n, contacts),
		"SELECT COUNT(*) FROM ContactGroup WHERE GroupNumber = 1":                        n,
		"SELECT COUNT(*) FROM Contact WHERE OwnerId = BuddyId":                           0,
		"SELECT COUNT(*) FROM Resource WHERE UserAtHost = 'lmb000003@bench.example.com'": 1,
		"SELECT COUNT(*) FROM PUIDDirectory":                                             n,
		"SELECT COUNT(*) FROM UserPolicy":                                                n,
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

// The plain loops' statements must be ones rtcsim accepts, and do the work they claim.
func TestPlainLoopsAgainstRTCSim(t *testing.T) {
	const n, contacts = 30, 5
	p := filepath.Join(t.TempDir(), "rtc.sqlite")
	users := benchUsers(n)
	if err := seedRTC(p, "lync2013", users, contacts); err != nil {
		t.Fatal(err)
	}
	srv, err := rtcsim.Open(rtcsim.Options{DBPath: p, Password: "Pw-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	addr, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rtc := &lab.RTC{Addr: addr.String(), User: "sa", Password: "Pw-1"}
	ctx := context.Background()

	gotUsers, gotContacts, err := plainRead(ctx, rtc.DSN(), sipsOf(users), 4)
	if err != nil {
		t.Fatal(err)
	}
	if gotUsers != n || gotContacts != n*contacts {
		t.Errorf("plainRead: %d users, %d contacts; want %d, %d", gotUsers, gotContacts, n, n*contacts)
	}
	if err := checkDeleted(rtc, 0); err != nil {
		t.Fatal(err)
	}
	// the first ten users go; the others stay, their contacts pointing at the ten included
	done, err := plainDelete(ctx, rtc.DSN(), sipsOf(users[:10]), 4)
	if err != nil || done != 10 {
		t.Fatalf("plainDelete: %d, %v", done, err)
	}
	if err := checkDeleted(rtc, 10); err != nil {
		t.Error(err)
	}
	var left int
	if err := srv.SQLite().QueryRow("SELECT COUNT(*) FROM Contact").Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != (n-10)*contacts {
		t.Errorf("%d Contact rows left, want %d", left, (n-10)*contacts)
	}
}
