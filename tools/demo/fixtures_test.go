package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
)

// The two fixtures describe the same people, and the seed holds what the demo's check needs to
// prove something: homed data for every migrating person, and people staying on Lync with
// migrating people on their lists.
func TestFixturesAgree(t *testing.T) {
	root, err := lyncmigrate.Root()
	if err != nil {
		t.Fatal(err)
	}
	people, err := loadPeople(fixture(root, "users.csv"))
	if err != nil {
		t.Fatal(err)
	}
	migrating := 0
	for _, p := range people {
		if p.Migrates {
			migrating++
		}
		if len("dm-"+p.Login) > 20 {
			t.Errorf("%s: sAMAccountName dm-%s is longer than 20 characters", p.Login, p.Login)
		}
	}
	if len(people) < 40 || migrating < 10 || len(people)-migrating < 10 {
		t.Fatalf("%d people, %d migrating: want about 50 with both groups well filled", len(people), migrating)
	}

	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.sql")
	if err := writeSeed(fixture(root, "rtc-seed.sql"), seed, "fixture.example.com"); err != nil {
		t.Fatal(err)
	}
	srv, err := rtcsim.Open(rtcsim.Options{Schema: "lync2013", DBPath: filepath.Join(dir, "rtc.sqlite")})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.SeedFile(context.Background(), seed); err != nil {
		t.Fatal(err)
	}
	db := srv.SQLite()
	for i, p := range people {
		var id int64
		uah := p.Login + "@fixture.example.com"
		if err := db.QueryRow("SELECT ResourceId FROM Resource WHERE UserAtHost = ?", uah).Scan(&id); err != nil {
			t.Errorf("%s: %v", uah, err)
			continue
		}
		if id != int64(2001+i) {
			t.Errorf("%s: ResourceId %d, want %d (2001 + line order)", uah, id, 2001+i)
		}
		var homed, named int
		q := fmt.Sprintf("SELECT (SELECT COUNT(*) FROM UserPolicy WHERE ResourceId = %d), "+
			"(SELECT COUNT(*) FROM Contact c JOIN Resource o ON o.ResourceId = c.OwnerId WHERE c.BuddyId = %d AND c.OwnerId >= %d)", id, id, 2001+migrating)
		if err := db.QueryRow(q).Scan(&homed, &named); err != nil {
			t.Fatal(err)
		}
		if homed == 0 {
			t.Errorf("%s: no homed rows (UserPolicy)", p.Login)
		}
		if p.Migrates && named == 0 {
			t.Errorf("%s migrates but nobody staying on Lync has them on their list", p.Login)
		}
	}
	var resources int
	if err := db.QueryRow("SELECT COUNT(*) FROM Resource").Scan(&resources); err != nil {
		t.Fatal(err)
	}
	if resources != len(people)+2 {
		t.Errorf("%d Resource rows, want %d people + 2 federated contacts", resources, len(people))
	}
}
