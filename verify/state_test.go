package verify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

func TestDecide(t *testing.T) {
	const addr = "sip:ann@foo.com"
	disabled := result.ADStatus{Found: true, Address: addr, DN: "CN=Ann,OU=Sales,DC=foo,DC=com"}
	enabled := disabled
	enabled.Enabled = true
	lost := result.ADStatus{Found: true, DN: "CN=Ann,OU=Sales,DC=foo,DC=com", ProxyAddress: "SIP:Ann@foo.com"}
	absent := result.ADStatus{}

	clean := func(name string) result.ServerStatus {
		return result.ServerStatus{Server: name, ResourceID: new(int64(7)), Replicated: new(true), HomedRows: map[string]int64{}}
	}
	stillEnabled := func(name string) result.ServerStatus {
		s := clean(name)
		s.Replicated = new(false)
		s.HomedRows = map[string]int64{"ResourceDirectory": 1, "Contact": 4}
		return s
	}
	homed := func(name string) result.ServerStatus {
		s := clean(name)
		s.HomedRows = map[string]int64{"ContactGroup": 2, "Contact": 4}
		return s
	}
	listed := func(s result.ServerStatus, n int64) result.ServerStatus { s.ListedBy = n; return s }
	cannotTell := func(name string) result.ServerStatus { // no Enabled column, or no ResourceDirectory row
		s := clean(name)
		s.Replicated = nil
		return s
	}
	noResource := result.ServerStatus{Server: "sql2", HomedRows: map[string]int64{}}
	unread := result.ServerStatus{Server: "sql3", Error: "connect: connection refused"}

	tests := []struct {
		name    string
		ad      result.ADStatus
		servers []result.ServerStatus
		state   result.State
		outcome result.Outcome
		detail  []string // substrings of the detail
	}{
		{"migrated on two pools", disabled, []result.ServerStatus{listed(clean("sql1"), 3), cannotTell("sql2")},
			result.StateMigrated, result.Processed, []string{"migrated: disabled in Active Directory, address kept, no homed data on 2 servers", "on the contact lists of 3 users still on Lync (kept on purpose)"}},
		{"migrated, never homed on the second pool", disabled, []result.ServerStatus{clean("sql1"), noResource},
			result.StateMigrated, result.Processed, []string{"no homed data on 2 servers"}},
		{"migrated, home server left", result.ADStatus{Found: true, Address: addr, HomeServer: "CN=Lc Services,CN=pool1"}, []result.ServerStatus{clean("sql1")},
			result.StateMigrated, result.Processed, []string{"msRTCSIP-PrimaryHomeServer is still set"}},
		// AD first: whatever the pools say.
		{"still enabled in AD, data everywhere", enabled, []result.ServerStatus{stillEnabled("sql1"), homed("sql2")},
			result.StateNotDisabled, result.Error, []string{"not_disabled: still SIP-enabled in Active Directory (msRTCSIP-UserEnabled TRUE): run disableaccount"}},
		{"still enabled in AD, nothing left on the pools", enabled, []result.ServerStatus{clean("sql1")},
			result.StateNotDisabled, result.Error, []string{"run disableaccount"}},
		{"two AD users, one enabled", result.ADStatus{Found: true, Enabled: true, Address: addr, Users: 2}, []result.ServerStatus{clean("sql1")},
			result.StateNotDisabled, result.Error, []string{"(2 AD users have this address)"}},
		{"address lost, data still homed", lost, []result.ServerStatus{homed("sql1")},
			result.StateAddressLost, result.Error, []string{"address_lost: no AD user has this address in msRTCSIP-PrimaryUserAddress, but CN=Ann,OU=Sales,DC=foo,DC=com has SIP:Ann@foo.com in proxyAddresses: restore msRTCSIP-PrimaryUserAddress"}},
		{"address lost, clean pools", lost, []result.ServerStatus{clean("sql1")},
			result.StateAddressLost, result.Error, nil},
		// Replication before deletion: deleteaccount would refuse the user on the enabled pool.
		{"disabled, one pool not replicated, the other homed", disabled, []result.ServerStatus{homed("sql1"), stillEnabled("sql2")},
			result.StateNotReplicated, result.Error, []string{"not_replicated: disabled in Active Directory, but ResourceDirectory on sql2 still says enabled: wait"}},
		{"disabled, homed on one pool of two", disabled, []result.ServerStatus{clean("sql1"), homed("sql2")},
			result.StateNotDeleted, result.Error, []string{"not_deleted: disabled in Active Directory; homed data left on sql2 (Contact 4, ContactGroup 2): run deleteaccount there"}},
		{"disabled, homed on both pools", disabled, []result.ServerStatus{homed("sql1"), homed("sql2")},
			result.StateNotDeleted, result.Error, []string{"sql1 (Contact 4, ContactGroup 2), sql2 (Contact 4, ContactGroup 2)"}},
		{"disabled, homed in many tables", disabled, []result.ServerStatus{func() result.ServerStatus {
			s := clean("sql1")
			s.HomedRows = map[string]int64{"Contact": 40, "ContactGroup": 3, "Container": 2, "ResourceDirectory": 1, "UserPolicy": 2}
			return s
		}()}, result.StateNotDeleted, result.Error, []string{"homed data left on sql1 (48 rows in 5 tables): run deleteaccount there"}},
		{"disabled, the pool cannot tell replication, data left", disabled, []result.ServerStatus{func() result.ServerStatus { s := homed("sql1"); s.Replicated = nil; return s }()},
			result.StateNotDeleted, result.Error, nil},
		// Not in AD at all.
		{"account gone from AD, data left", absent, []result.ServerStatus{homed("sql1")},
			result.StateNotDeleted, result.Error, []string{"no AD user has this address; homed data left on sql1"}},
		{"account gone from AD, directory still enabled", absent, []result.ServerStatus{stillEnabled("sql1")},
			result.StateNotReplicated, result.Error, []string{"no AD user has this address, but ResourceDirectory on sql1 still says enabled"}},
		{"nowhere", absent, []result.ServerStatus{noResource, noResource},
			result.StateNotFound, result.NotFound, []string{"not_found: not in Active Directory and not homed on any rtc server: check the input"}},
		{"a Resource row only, on others' lists", absent, []result.ServerStatus{listed(clean("sql1"), 2)},
			result.StateNotFound, result.NotFound, []string{"(the address is on the contact lists of 2 users)"}},
		// A server that could not be read proves nothing.
		{"migrated on the servers read", disabled, []result.ServerStatus{clean("sql1"), unread},
			result.StateMigrated, result.Error, []string{"no homed data on 1 server", "not proven: sql3 could not be read"}},
		{"not found on the servers read", absent, []result.ServerStatus{noResource, unread},
			result.StateNotFound, result.NotFound, []string{"not proven: sql3 could not be read"}},
		{"homed data is proof enough", disabled, []result.ServerStatus{homed("sql1"), unread},
			result.StateNotDeleted, result.Error, nil},
		{"AD is proof enough", enabled, []result.ServerStatus{unread},
			result.StateNotDisabled, result.Error, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			state, detail := decide(tt.ad, tt.servers)
			o, detail := outcomeFor(state, detail, tt.servers)
			if state != tt.state || o != tt.outcome {
				t.Errorf("state %s, outcome %s; want %s, %s (detail %q)", state, o, tt.state, tt.outcome, detail)
			}
			if !strings.HasPrefix(detail, string(state)+": ") {
				t.Errorf("detail %q does not start with the state", detail)
			}
			for _, want := range tt.detail {
				if !strings.Contains(detail, want) {
					t.Errorf("detail %q lacks %q", detail, want)
				}
			}
		})
	}
}

// Every state has a title and what to do, for the report.
func TestStateTexts(t *testing.T) {
	for _, s := range result.States {
		if title[s] == "" || action[s] == "" {
			t.Errorf("%s: title %q, action %q", s, title[s], action[s])
		}
	}
}

// Config.Validate refuses, before any log or connection, what would only
// fail at the end of the run: a report whose folder is missing, or that is
// a folder.
func TestValidateReport(t *testing.T) {
	dir := t.TempDir()
	base := Config{
		LDAP: adclient.Config{Server: "ldaps://dc1.corp.local", Auth: adclient.AuthSimple, BindDN: "admin@corp.local"},
		SQL:  rtcclient.Config{Servers: []string{`sqlbe\rtc`}, Auth: rtcclient.AuthSQL, User: "u"},
	}
	folder := filepath.Join(dir, "reports.html")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		report, want string
	}{
		{filepath.Join(dir, "ok.html"), ""},
		{filepath.Join(dir, "ok.HTM"), ""},
		{filepath.Join(dir, "missing", "r.html"), "the folder " + filepath.Join(dir, "missing") + " does not exist"},
		{folder, "is a folder"},
		{filepath.Join(dir, "r.txt"), "the report is an HTML page; name it FILE.html"},
	} {
		cfg := base
		cfg.Report = tc.report
		err := cfg.Validate()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("report %s: %v, want %q", tc.report, err, tc.want)
		}
	}
	noSQL := base
	noSQL.SQL.Servers = nil
	if err := noSQL.Validate(); err == nil || !strings.Contains(err.Error(), "--sql-server is required") {
		t.Errorf("no server: %v", err)
	}
	twice := base
	twice.SQL.Servers = []string{`sqlbe\rtc`, `SQLBE\RTC`}
	if err := twice.Validate(); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("a server twice: %v", err)
	}
}
