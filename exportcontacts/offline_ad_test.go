package exportcontacts

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// A DBImpExp file (UTF-8) with lists of the e2e users and one user AD does not know.
const e2eDBImpExp = `<?xml version="1.0" encoding="utf-8"?>
<HomedResources xmlns="http://schemas.microsoft.com/RtcServer/2002/11/dbimpexp">
  <HomedResource UserAtHost="ann@export-e2e.example.com">
    <ContactGroups><ContactGroup Number="1" DisplayName="~" /></ContactGroups>
    <Contacts><Contact Buddy="bob@export-e2e.example.com" DisplayName="Bob" Groups="1" /></Contacts>
  </HomedResource>
  <HomedResource UserAtHost="carl@export-e2e.example.com">
    <ContactGroups><ContactGroup Number="1" DisplayName="~" /></ContactGroups>
    <Contacts><Contact Buddy="ann@export-e2e.example.com" DisplayName="Ann" Groups="1" /></Contacts>
  </HomedResource>
  <HomedResource UserAtHost="zed@export-e2e.example.com">
    <ContactGroups><ContactGroup Number="1" DisplayName="~" /></ContactGroups>
    <Contacts><Contact Buddy="ann@export-e2e.example.com" DisplayName="Ann" Groups="1" /></Contacts>
  </HomedResource>
  <HomedResource UserAtHost="gina@export-e2e.example.com">
    <ContactGroups><ContactGroup Number="1" DisplayName="~" /></ContactGroups>
    <Contacts />
  </HomedResource>
</HomedResources>
`

func offlineADConfig(t *testing.T, users string) Config {
	t.Helper()
	env, _ := seedE2E(t)
	p := filepath.Join(t.TempDir(), "DBImpExp.xml")
	if err := os.WriteFile(p, []byte(e2eDBImpExp), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := baseConfig(t, users)
	cfg.FromExport = p
	cfg.LDAP = ldapConfig(env)
	return cfg
}

// -f ALL offline with --ldap-server: every owner of the file, checked in AD as
// they are read.
func TestOfflineADAll(t *testing.T) {
	r := runExport(t, offlineADConfig(t, "ALL"))
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stderr, r.log)
	}
	wantOutcomes(t, r, map[string]result.Outcome{
		e2eUser("ann"): result.Processed, e2eUser("carl"): result.Skipped,
		e2eUser("zed"): result.NotFound, e2eUser("gina"): result.Skipped,
	})
	want := [][]string{csvHeader, {"ann", e2eDomain, "bob", e2eDomain, "Bob", "General"}}
	if recs := readCSV(t, file(t, r.dir, ContactsPrefix, ".csv")); !slices.EqualFunc(recs, want, slices.Equal) {
		t.Errorf("CSV %q", recs)
	}
	if strings.Contains(r.log, "Users are not checked against Active Directory") {
		t.Errorf("the no-AD warning with --ldap-server")
	}
}

// A SIP file offline with --ldap-server: AD decides first, then the file.
func TestOfflineADSIPFile(t *testing.T) {
	r := runExport(t, offlineADConfig(t, writeUsers(t, "sip:ann@export-e2e.example.com\r\nsip:carl@export-e2e.example.com\r\nsip:bob@export-e2e.example.com\r\n")))
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stderr, r.log)
	}
	wantOutcomes(t, r, map[string]result.Outcome{
		e2eUser("ann"): result.Processed, e2eUser("carl"): result.Skipped, e2eUser("bob"): result.NotFound,
	})
	if d := r.record(t, e2eUser("bob")).Detail; !strings.Contains(d, "no contact list for this user in") {
		t.Errorf("bob: %q", d)
	}
	userListFeeds(t, file(t, r.dir, UserListPrefix, ".txt"), []string{e2eUser("ann")})
}
