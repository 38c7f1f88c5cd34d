package main

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	_ "github.com/microsoft/go-mssqldb" // the "sqlserver" driver, to read rtcsim as a client would

	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// homedTables are the tables of the Lync 2013 delete plan with the column naming the user whose
// data a row is (testdata/rtc/lync2013.sql), and the columns the snapshot compares.
var homedTables = []struct {
	table, key string
	cols       []string
}{
	{"ResourceDirectory", "ResourceId", []string{"ResourceId", "AdDisplayName"}},
	{"ContactGroup", "OwnerId", []string{"OwnerId", "GroupNumber", "DisplayName", "ExternalUri"}},
	{"Contact", "OwnerId", []string{"OwnerId", "BuddyId", "DisplayName", "SubscribePresence"}},
	{"ContactGroupAssoc", "OwnerId", []string{"OwnerId", "BuddyId", "GroupNumber"}},
	{"Container", "OwnerId", []string{"OwnerId", "ContainerNum", "Version"}},
	{"PublishedInstance", "PublisherId", []string{"PublisherId", "ContainerNum", "CategoryId", "InstanceNum"}},
	{"CachedContainerMember", "OwnerId", []string{"OwnerId", "ContainerNum", "MemberId"}},
	{"ContainerMemberUser", "OwnerId", []string{"OwnerId", "ContainerNum", "MemberId"}},
	{"PromptedSubscriber", "OwnerId", []string{"OwnerId", "SubscriberId"}},
	{"Delegate", "OwnerId", []string{"OwnerId", "DelegateId", "DelegateType"}},
	{"ConferenceParticipant", "EnterpriseId", []string{"ConferenceId", "EnterpriseId", "ParticipantRole"}},
	{"UserPolicy", "ResourceId", []string{"ResourceId", "PolicyType"}},
	{"ResourcePhone", "ResourceId", []string{"ResourceId", "PhoneType", "PhoneUri"}},
	{"RtcItem", "ResourceId", []string{"ItemId", "ResourceId", "ItemType"}},
	{"PUIDDirectory", "ResourceId", []string{"ResourceId", "PUID"}},
}

// snapshot reads both servers.
func snapshot(ctx context.Context, ad lab.AD, ouDN, prefix string, rtc *lab.RTC) (state, error) {
	s := state{AD: map[string]adUser{}}
	c, err := ad.Dial()
	if err != nil {
		return s, err
	}
	defer c.Close()
	entries, err := ad.Entries(c, ouDN, "sAMAccountName", lab.AttrSIP, lab.AttrEnabled, lab.AttrHome, lab.AttrTargetHome)
	if err != nil {
		return s, err
	}
	for _, e := range entries {
		login, ok := strings.CutPrefix(e.GetAttributeValue("sAMAccountName"), prefix)
		if !ok {
			continue
		}
		s.AD[login] = adUser{DN: e.DN, SIP: e.GetAttributeValue(lab.AttrSIP), Enabled: e.GetAttributeValue(lab.AttrEnabled),
			Home: e.GetAttributeValue(lab.AttrHome), TargetHome: e.GetAttributeValue(lab.AttrTargetHome)}
	}
	s.RTC, err = readRTC(ctx, rtc)
	return s, err
}

func readRTC(ctx context.Context, rtc *lab.RTC) (rtcState, error) {
	st := rtcState{IDs: map[string]int64{}, Owned: map[int64][]string{}, Buddies: map[int64][]string{}}
	db, err := sql.Open("sqlserver", rtc.DSN())
	if err != nil {
		return st, err
	}
	defer db.Close()
	if err := eachRow(ctx, db, "SELECT ResourceId, UserAtHost FROM Resource", 2, func(v []any) {
		st.IDs[strings.ToLower(fmt.Sprint(v[1]))] = asInt(v[0])
	}); err != nil {
		return st, err
	}
	for _, t := range homedTables {
		key := slices.Index(t.cols, t.key)
		q := "SELECT " + strings.Join(t.cols, ", ") + " FROM " + t.table
		if err := eachRow(ctx, db, q, len(t.cols), func(v []any) {
			row := t.table + ": " + join(v)
			id := asInt(v[key])
			st.Owned[id] = append(st.Owned[id], row)
			if t.table == "Contact" {
				buddy := asInt(v[1])
				st.Buddies[buddy] = append(st.Buddies[buddy], fmt.Sprintf("%d: %s", id, row))
			}
		}); err != nil {
			return st, err
		}
	}
	for _, m := range []map[int64][]string{st.Owned, st.Buddies} {
		for _, rows := range m {
			slices.Sort(rows)
		}
	}
	return st, nil
}

func eachRow(ctx context.Context, db *sql.DB, q string, n int, fn func([]any)) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("rtcsim %s: %w", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		v := make([]any, n)
		p := make([]any, n)
		for i := range v {
			p[i] = &v[i]
		}
		if err := rows.Scan(p...); err != nil {
			return fmt.Errorf("rtcsim %s: %w", q, err)
		}
		fn(v)
	}
	return rows.Err()
}

// join prints a row's values; NULL is "NULL", bytes hex.
func join(v []any) string {
	s := make([]string, len(v))
	for i, x := range v {
		switch x := x.(type) {
		case nil:
			s[i] = "NULL"
		case []byte:
			s[i] = fmt.Sprintf("0x%X", x)
		default:
			s[i] = fmt.Sprint(x)
		}
	}
	return strings.Join(s, " | ")
}

// asInt reads an integer column however the driver typed it.
func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	}
	var n int64
	fmt.Sscan(fmt.Sprint(v), &n)
	return n
}
