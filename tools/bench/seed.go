package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// sipDomain is the bench users' SIP domain: no other test seeds it.
const sipDomain = "bench.example.com"

// benchUsers are lmb000001…: the same users in AD and in rtcsim.
func benchUsers(n int) []lab.User {
	us := make([]lab.User, n)
	for i := range us {
		name := fmt.Sprintf("lmb%06d", i+1)
		us[i] = lab.User{SAM: name, DisplayName: fmt.Sprintf("Bench User %d", i+1), SIP: "sip:" + name + "@" + sipDomain}
	}
	return us
}

func sipsOf(us []lab.User) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.SIP
	}
	return out
}

// The groups of every bench user: the default group "~" and two named ones.
var benchGroups = []string{"~", "Team", "Friends, Family"}

// contactsOf is user i's (0-based) contact list: the next `contacts` users, wrapping round.
// Every third contact is in groups 2 and 3, the others in group 1 (the default group).
func contactsOf(i, n, contacts int) (buddies []int, groups [][]int) {
	for k := 1; k <= contacts; k++ {
		buddies = append(buddies, (i+k)%n)
		if k%3 == 0 {
			groups = append(groups, []int{2, 3})
		} else {
			groups = append(groups, []int{1})
		}
	}
	return buddies, groups
}

// exportRows is how many CSV rows exporting every bench user writes: one per (contact, group).
func exportRows(n, contacts int) int {
	per := 0
	for k := 1; k <= contacts; k++ {
		if k%3 == 0 {
			per += 2
		} else {
			per++
		}
	}
	return n * per
}

// seedRTC creates an rtcsim database of the schema at path holding the users' homed data:
// the contact tables and, through rtcsim's fixture, one row in every other table keyed by
// the user (other-side columns naming the next user), each value in the type its column
// declares. One SQLite transaction: hundreds of thousands of rows in seconds.
func seedRTC(path, schema string, users []lab.User, contacts int) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	srv, err := rtcsim.Open(rtcsim.Options{Schema: schema, DBPath: path})
	if err != nil {
		return err
	}
	defer srv.Close()
	f := rtcsim.Fixture{HomedRows: 1}
	n := len(users)
	for i, u := range users {
		fu := rtcsim.FixtureUser{ResourceID: int64(i + 1), UserAtHost: strings.TrimPrefix(u.SIP, "sip:"), DisplayName: u.DisplayName}
		for g, name := range benchGroups {
			fu.Groups = append(fu.Groups, rtcsim.FixtureGroup{Number: g + 1, Name: name})
		}
		buddies, groups := contactsOf(i, n, contacts)
		for k, b := range buddies {
			fu.Contacts = append(fu.Contacts, rtcsim.FixtureContact{Buddy: int64(b + 1), DisplayName: rtcsim.Text(users[b].DisplayName), Groups: groups[k]})
		}
		f.Users = append(f.Users, fu)
	}
	if err := srv.LoadFixture(context.Background(), f); err != nil {
		return fmt.Errorf("seed %s: %w", path, err)
	}
	return srv.Close()
}

// copyDB copies the seeded database (and its WAL, if any) for one run.
func copyDB(from, to string) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(to + suffix)
		b, err := os.ReadFile(from + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			return err
		}
	}
	return nil
}
