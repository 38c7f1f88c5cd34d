package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"github.com/lyncmigrate/lyncmigrate/internal/testad"
)

func TestFormatLDIF(t *testing.T) {
	entry := func(dn string, attrs map[string][]string) *ldap.Entry {
		e := &ldap.Entry{DN: dn}
		for k, vs := range attrs {
			a := &ldap.EntryAttribute{Name: k}
			for _, v := range vs {
				a.Values = append(a.Values, v)
				a.ByteValues = append(a.ByteValues, []byte(v))
			}
			e.Attributes = append(e.Attributes, a)
		}
		return e
	}
	in := []*ldap.Entry{
		entry("CN=zed,OU=T,DC=x", map[string][]string{"cn": {"zed"}, "uSNChanged": {"99"}, "objectClass": {"user", "top"}}),
		entry("CN=Bob,CN=Ann,OU=T,DC=x", map[string][]string{"info": {" lead", "a\nb"}}),
		entry("OU=T,DC=x", map[string][]string{"ou": {"T"}, "whenChanged": {"20260101000000.0Z"}}),
		entry("cn=ann,ou=t,dc=x", map[string][]string{"displayName": {"Änn"}, "description": {""}}),
	}
	want := "dn: OU=T,DC=x\nou: T\n\n" +
		"dn: cn=ann,ou=t,dc=x\ndescription: \ndisplayName: Änn\n\n" +
		"dn: CN=Bob,CN=Ann,OU=T,DC=x\ninfo:: IGxlYWQ=\ninfo:: YQpi\n\n" +
		"dn: CN=zed,OU=T,DC=x\ncn: zed\nobjectClass: top\nobjectClass: user\n\n"
	if got := formatLDIF(in); got != want {
		t.Errorf("formatLDIF:\n%s\nwant:\n%s", got, want)
	}
}

// The helpers against the DC: seeding, re-seeding and dumps.
func TestSeedAndDump(t *testing.T) {
	e := AD(t)
	ou := SeedOU(t, "testenv-seed")
	users := AddUsers(t, ou, []SeedUser{
		{CN: "Ann Lee", SAM: "annl", SIP: "sip:Ann@Example.com", Enabled: new(true), HomeServer: true},
		{CN: "Bob", SIP: "sip:bob@example.com", Enabled: new(false), AccountDisabled: true,
			Attrs: map[string][]string{"msRTCSIP-Line": {"tel:+15551234567"}, "displayName": {"Robert"}}},
		{CN: "Carl, Jr.", SAM: "carljr"},
	})
	contacts := AddContacts(t, ou, []SeedContact{{CN: "Room 1", SIP: "sip:room1@example.com"}})
	if want := "CN=Carl\\, Jr.," + ou; users[2] != want {
		t.Errorf("DN = %q, want %q", users[2], want)
	}

	before := DumpLDIF(t, ou)
	for _, want := range []string{
		"dn: " + ou + "\n",
		"dn: CN=Ann Lee," + ou + "\n",
		"msRTCSIP-PrimaryUserAddress: sip:Ann@Example.com\n",
		"msRTCSIP-PrimaryHomeServer: " + e.PoolDN() + "\n",
		"msRTCSIP-UserEnabled: TRUE\n",
		"msRTCSIP-UserEnabled: FALSE\n",
		"msRTCSIP-Line: tel:+15551234567\n",
		"displayName: Robert\n",
		"userAccountControl: 544\n",
		"userAccountControl: 546\n",
		"userPrincipalName: annl@lynctest.local\n",
	} {
		if !strings.Contains(before, want) {
			t.Errorf("dump lacks %q:\n%s", want, before)
		}
	}
	if room := entryText(before, contacts[0]); !strings.Contains(room, "\nmsRTCSIP-PrimaryUserAddress: sip:room1@example.com\n") ||
		!strings.Contains(room, "\nobjectClass: contact") {
		t.Errorf("contact entry:\n%s", room)
	}
	for _, skipped := range []string{"uSNChanged:", "whenChanged:", "uSNCreated:"} {
		if strings.Contains(before, skipped) {
			t.Errorf("dump has %s", skipped)
		}
	}
	if again := DumpLDIF(t, ou); again != before {
		t.Errorf("two dumps of the same data differ")
	}

	c := e.Dial(t)
	mod := ldap.NewModifyRequest(users[0], nil)
	mod.Replace("msRTCSIP-UserEnabled", []string{"FALSE"})
	if err := c.Modify(mod); err != nil {
		t.Fatal(err)
	}
	after := DumpLDIF(t, ou)
	if after == before {
		t.Fatal("dump unchanged after a modify")
	}
	annBefore := strings.Replace(entryText(before, users[0]), "msRTCSIP-UserEnabled: TRUE", "msRTCSIP-UserEnabled: FALSE", 1)
	if got := entryText(after, users[0]); got != annBefore {
		t.Errorf("modified entry:\n%s\nwant only UserEnabled changed:\n%s", got, annBefore)
	}
	if strings.Replace(before, entryText(before, users[0]), "", 1) != strings.Replace(after, entryText(after, users[0]), "", 1) {
		t.Error("other entries changed")
	}

	// Seeding again empties the OU.
	SeedOU(t, "testenv-seed")
	if got := DumpLDIF(t, ou); strings.Count(got, "dn: ") != 1 {
		t.Errorf("re-seeded OU is not empty:\n%s", got)
	}
}

// entryText is the block of one entry in a dump.
func entryText(dump, dn string) string {
	for block := range strings.SplitSeq(dump, "\n\n") {
		if strings.HasPrefix(block, "dn: "+dn+"\n") {
			return block
		}
	}
	return ""
}

// adHelperEnv makes TestADHelperProcess call AD in a child process.
const adHelperEnv = "LMTEST_AD_HELPER_PROCESS"

// TestADHelperProcess is the child of TestADMissingServer; in a normal run it
// returns at once.
func TestADHelperProcess(t *testing.T) {
	if os.Getenv(adHelperEnv) == "" {
		return
	}
	AD(t)
	t.Log("AD returned")
}

// SPEC 7 / issue 3: with CI set, a test whose DC is missing fails; without
// CI it is skipped. Run in a child test process whose LMTEST_ variables name
// a DC but not how to bind to it.
func TestADMissingServer(t *testing.T) {
	for _, tc := range []struct {
		ci       bool
		wantExit bool
		want     string
	}{
		{ci: true, wantExit: true, want: "--- FAIL: TestADHelperProcess"},
		{ci: false, want: "--- SKIP: TestADHelperProcess"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestADHelperProcess$", "-test.v", "-test.count=1")
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "LMTEST_") && !strings.HasPrefix(kv, "CI=") {
				env = append(env, kv)
			}
		}
		env = append(env, adHelperEnv+"=1", testad.EnvURL+"=ldaps://127.0.0.1:1")
		if tc.ci {
			env = append(env, "CI=1")
		}
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if _, failed := err.(*exec.ExitError); failed != tc.wantExit || (err != nil && !failed) {
			t.Errorf("CI=%v: err = %v, want a failing exit: %v\n%s", tc.ci, err, tc.wantExit, out)
		}
		if !strings.Contains(string(out), tc.want) || !strings.Contains(string(out), testad.EnvPassword) || strings.Contains(string(out), "AD returned") {
			t.Errorf("CI=%v: output lacks %q or the missing %s:\n%s", tc.ci, tc.want, testad.EnvPassword, out)
		}
		if tc.ci && !strings.Contains(string(out), "CI is set, so this fails") {
			t.Errorf("CI=1: the failure does not say why:\n%s", out)
		}
	}
}
