package main

import (
	"context"
	"database/sql"
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

// seedRTC creates a Lync 2013 rtcsim database at path holding the users' homed data: the
// contact tables and one row in each other table of the delete plan. It writes through
// rtcsim's own SQLite handle (the tables under their plain names), checked by the type
// constraints rtcsim declares, in one transaction: hundreds of thousands of rows in seconds.
func seedRTC(path string, users []lab.User, contacts int) error {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	srv, err := rtcsim.Open(rtcsim.Options{Schema: "lync2013", DBPath: path})
	if err != nil {
		return err
	}
	defer srv.Close()
	ctx := context.Background()
	tx, err := srv.SQLite().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins := map[string]*sql.Stmt{}
	// insert adds a row to "Table (Col, …)"; the first error stops the rest.
	insert := func(table string, vals ...any) {
		if err != nil {
			return
		}
		st := ins[table]
		if st == nil {
			q := "INSERT INTO " + table + " VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ") + ")"
			if st, err = tx.PrepareContext(ctx, q); err != nil {
				err = fmt.Errorf("%s: %w", q, err)
				return
			}
			ins[table] = st
		}
		if _, err = st.ExecContext(ctx, vals...); err != nil {
			err = fmt.Errorf("insert into %s %v: %w", table, vals, err)
		}
	}
	const when = "2013-05-01 10:00:00"
	n := len(users)
	for i, u := range users {
		id := i + 1
		insert("Resource (ResourceId, UserAtHost)", id, strings.TrimPrefix(u.SIP, "sip:"))
		insert("ResourceDirectory (ResourceId, AdDisplayName)", id, u.DisplayName)
		for g, name := range benchGroups {
			insert("ContactGroup (OwnerId, GroupNumber, DisplayName, ExternalUri)", id, g+1, name, nil)
		}
		buddies, groups := contactsOf(i, n, contacts)
		for k, b := range buddies {
			insert("Contact (OwnerId, BuddyId, DisplayName, SubscribePresence)", id, b+1, users[b].DisplayName, 1)
			for _, g := range groups[k] {
				insert("ContactGroupAssoc (OwnerId, BuddyId, GroupNumber)", id, b+1, g)
			}
		}
		other := (i+1)%n + 1
		insert("Container (OwnerId, ContainerNum, Version)", id, 1, 0)
		insert("PublishedInstance (PublisherId, ContainerNum, CategoryId, InstanceNum, InstanceData, LastModified)", id, 1, 1, int64(1), nil, when)
		insert("CachedContainerMember (OwnerId, ContainerNum, MemberId)", id, 1, other)
		insert("ContainerMemberUser (OwnerId, ContainerNum, MemberId)", id, 1, other)
		insert("PromptedSubscriber (OwnerId, SubscriberId, PromptedAt)", id, other, when)
		insert("Delegate (OwnerId, DelegateId, DelegateType)", id, other, 0)
		insert("ConferenceParticipant (ConferenceId, EnterpriseId, ParticipantRole)", 1000+id, id, 0)
		insert("UserPolicy (ResourceId, PolicyType, PolicyInstance)", id, 1, nil)
		insert("ResourcePhone (ResourceId, PhoneType, PhoneUri)", id, 1, fmt.Sprintf("tel:+1555%07d", id))
		insert("RtcItem (ItemId, ResourceId, ItemType, ItemData, LastModified)", int64(id), id, 1, nil, when)
		insert("PUIDDirectory (ResourceId, PUID, DeviceId)", id, int64(id)*7919, nil)
	}
	if err != nil {
		return fmt.Errorf("seed %s: %w", path, err)
	}
	if err := tx.Commit(); err != nil {
		return err
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
