package verify

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

const domain = "verify.example.com"

// world is the test deployment: AD with the migrating users in every state
// and three users staying on Lync, and two pools. Pool A has the evidence
// schema (with ResourceDirectory.Enabled and a table the product never
// heard of), pool B the reconstructed one (no Enabled: it cannot tell
// replication).
type world struct {
	ad     testenv.ADEnv
	ou     string
	poolA  testenv.RTCEnv
	poolB  testenv.RTCEnv
	lines  []string // the input file
	expect map[string]want
}

// want is what verify must say of one user.
type want struct {
	state    result.State
	outcome  result.Outcome
	detail   string // a substring
	adFound  bool
	servers  [2]wantServer
	lineOnly bool // a malformed line: no state, no servers
}

type wantServer struct {
	id         int64 // 0: no Resource row
	homed      bool  // its rows in every user-keyed table are left (counted in SQLite by the test)
	listedBy   int64
	replicated *bool
}

func sip(name string) string { return "sip:" + name + "@" + domain }
func uah(name string) string { return name + "@" + domain }

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{ad: testenv.AD(t)}
	w.ou = testenv.SeedOU(t, "verify")
	user := func(cn string, enabled bool, home bool) testenv.SeedUser {
		return testenv.SeedUser{CN: cn, SAM: "vf-" + cn, SIP: sip(cn), Enabled: new(enabled), HomeServer: home}
	}
	testenv.AddUsers(t, w.ou, []testenv.SeedUser{
		user("mig", false, false),
		user("mig2", false, false),
		user("half", false, false),
		{CN: "notdis", SAM: "vf-notdis", SIP: "sip:NotDis@" + domain, Enabled: new(true), HomeServer: true},
		user("notrep", false, false),
		// the address is gone from msRTCSIP-PrimaryUserAddress, kept as a proxy address
		{CN: "lost", SAM: "vf-lost", Enabled: new(false), Attrs: map[string][]string{"proxyAddresses": {"smtp:lost@" + domain, "SIP:Lost@" + domain}}},
		user("s1", true, true), user("s2", true, true), user("s3", true, true),
	})
	// a mail contact with the not-found user's address as a proxy address: not a user
	testenv.AddContacts(t, w.ou, []testenv.SeedContact{{CN: "nf-contact", Attrs: map[string][]string{"proxyAddresses": {"sip:nf@" + domain}}}})

	const (
		mig, mig2, half, notdis, notrep, lost, fed, gone = 1, 2, 3, 4, 5, 6, 8, 9
		s1, s2, s3                                       = 100, 101, 200
	)
	w.poolA = startPool(t, schemaEvidence, []poolUser{
		{id: mig, address: uah("mig")},
		{id: mig2, address: uah("mig2")},
		{id: half, address: uah("half")},
		{id: notdis, address: "NotDis@" + domain, homed: true, enabled: true, buddies: []int{notdis, s1}},
		{id: notrep, address: uah("notrep"), homed: true, enabled: true, buddies: []int{s2}},
		{id: lost, address: uah("lost"), homed: true, enabled: true, buddies: []int{s1}},
		{id: fed, address: uah("fed")}, // a contact only (a federated address, say)
		{id: s1, address: uah("s1"), homed: true, enabled: true, buddies: []int{mig, half, fed, lost}},
		{id: s2, address: uah("s2"), homed: true, enabled: true, buddies: []int{mig, notrep}},
	})
	w.poolB = startPool(t, schemaPlain, []poolUser{
		{id: mig2, address: uah("mig2")},
		{id: half, address: uah("half"), homed: true, buddies: []int{s3}},
		{id: gone, address: uah("gone"), homed: true, buddies: []int{s3}},
		{id: s3, address: uah("s3"), homed: true, buddies: []int{half}},
	})

	w.lines = []string{
		"# verify test: every state",
		sip("mig"),
		uah("mig2"), // Cisco's user@host form
		sip("half"),
		"SIP:notdis@" + domain, // any case
		sip("notrep"),
		sip("lost"),
		sip("nf"),
		sip("fed"),
		sip("gone"),
		sip("MIG"),          // a duplicate
		"sip@bad@" + domain, // malformed
	}
	none := wantServer{}
	w.expect = map[string]want{
		sip("mig"): {state: result.StateMigrated, outcome: result.Processed, adFound: true, detail: "on the contact lists of 2 users still on Lync",
			servers: [2]wantServer{{id: mig, listedBy: 2}, none}},
		sip("mig2"): {state: result.StateMigrated, outcome: result.Processed, adFound: true, detail: "no homed data on 2 servers",
			servers: [2]wantServer{{id: mig2}, {id: mig2}}},
		sip("half"): {state: result.StateNotDeleted, outcome: result.Error, adFound: true, detail: "homed data left on " + serverName(w.poolB.Addr) + " (15 rows in 15 tables): run deleteaccount there",
			servers: [2]wantServer{{id: half, listedBy: 1}, {id: half, homed: true, listedBy: 1}}},
		"sip:notdis@" + domain: {state: result.StateNotDisabled, outcome: result.Error, adFound: true, detail: "run disableaccount",
			servers: [2]wantServer{{id: notdis, homed: true, listedBy: 0, replicated: new(true)}, none}},
		sip("notrep"): {state: result.StateNotReplicated, outcome: result.Error, adFound: true, detail: "ResourceDirectory on " + serverName(w.poolA.Addr) + " still says enabled",
			servers: [2]wantServer{{id: notrep, homed: true, listedBy: 1, replicated: new(false)}, none}},
		sip("lost"): {state: result.StateAddressLost, outcome: result.Error, adFound: true, detail: "has SIP:Lost@" + domain + " in proxyAddresses",
			servers: [2]wantServer{{id: lost, homed: true, listedBy: 1, replicated: new(false)}, none}},
		sip("nf"): {state: result.StateNotFound, outcome: result.NotFound, detail: "check the input", servers: [2]wantServer{none, none}},
		sip("fed"): {state: result.StateNotFound, outcome: result.NotFound, detail: "(the address is on the contact lists of 1 user)",
			servers: [2]wantServer{{id: fed, listedBy: 1}, none}},
		sip("gone"): {state: result.StateNotDeleted, outcome: result.Error, detail: "no AD user has this address; homed data left on " + serverName(w.poolB.Addr),
			servers: [2]wantServer{none, {id: gone, homed: true}}},
		"sip@bad@" + domain: {outcome: result.Error, detail: `starts with "sip@"`, lineOnly: true},
	}
	return w
}

// TestVerifyEveryState: Samba and two pools with users in every state, one
// migrated on one pool and not on the other: each state, listed_by and the
// per-server facts right, nothing changed on either side (the LDAP relay
// saw no write, rtcsim's database did not change), exit 1; the same users
// verified in small batches come out the same, in input order.
func TestVerifyEveryState(t *testing.T) {
	w := newWorld(t)
	spy := testenv.StartLDAPSpy(t, w.ad.PlainURL)
	adBefore := testenv.DumpLDIF(t, w.ou)
	statsA, statsB := w.poolA.Stats(), w.poolB.Stats()
	logA, logB := len(w.poolA.Statements(t)), len(w.poolB.Statements(t))
	dumpA, dumpB := w.poolA.Dump(t), w.poolB.Dump(t)

	file := usersFile(t, w.lines...)
	report := t.TempDir() + "/verify.html"
	cfg := config(w.ad, spy.URL, file, w.poolA, w.poolB)
	cfg.Report = report
	o := runJob(t, cfg)
	if o.code != result.ExitPartial {
		t.Fatalf("exit %d, want 1\nstderr:\n%s\nlog:\n%s", o.code, o.stderr, o.log)
	}
	w.check(t, o)
	wantStates := result.StateCounts{Migrated: 2, NotDisabled: 1, NotReplicated: 1, NotDeleted: 2, AddressLost: 1, NotFound: 2}
	if o.summary.States == nil || *o.summary.States != wantStates {
		t.Errorf("summary states %+v, want %+v", o.summary.States, wantStates)
	}
	if s := o.summary; s.Processed != 2 || s.NotFound != 2 || s.Errors != 6 || s.Duplicates != 1 || s.NotAttempted != 0 || s.ExitCode != 1 {
		t.Errorf("summary %+v", s)
	}
	for _, l := range []string{"[INFO]  2 users migrated\r\n", "[INFO]  2 users not_deleted\r\n", "[INFO]  1 users address_lost\r\n",
		"1 duplicate lines ignored", "[ERROR] " + sip("notrep") + ": not_replicated: "} {
		if !strings.Contains(o.log, l) {
			t.Errorf("log lacks %q", l)
		}
	}
	checkReport(t, report, o, w.lines)

	// Nothing changed, and nothing was even asked to change.
	if n := spy.Writes(); n != 0 {
		t.Errorf("verify sent %d write requests to AD", n)
	}
	if n := spy.Count(ldap.ApplicationSearchRequest); n < 3 {
		t.Errorf("%d searches through the relay: the run did not read AD through it", n)
	}
	if got := testenv.DumpLDIF(t, w.ou); got != adBefore {
		t.Errorf("AD changed:\nbefore:\n%s\nafter:\n%s", adBefore, got)
	}
	readOnly(t, w.poolA, statsA, logA)
	readOnly(t, w.poolB, statsB, logB)
	if !reflect.DeepEqual(w.poolA.Dump(t), dumpA) || !reflect.DeepEqual(w.poolB.Dump(t), dumpB) {
		t.Error("an rtc database changed")
	}

	t.Run("small batches", func(t *testing.T) {
		old := batchSize
		batchSize = 3 // 9 users: batches of 3, two at a time
		t.Cleanup(func() { batchSize = old })
		small := runJob(t, config(w.ad, w.ad.URL, file, w.poolA, w.poolB))
		if small.code != result.ExitPartial {
			t.Fatalf("exit %d, want 1\nstderr:\n%s", small.code, small.stderr)
		}
		w.check(t, small)
		var users []string
		for _, k := range small.order {
			if r := small.records[k]; r.State != "" {
				users = append(users, k)
			}
		}
		want := []string{sip("mig"), sip("mig2"), sip("half"), "sip:notdis@" + domain, sip("notrep"), sip("lost"), sip("nf"), sip("fed"), sip("gone")}
		if !reflect.DeepEqual(users, want) {
			t.Errorf("records in the order %q, want the input's %q", users, want)
		}
	})

	t.Run("all migrated", func(t *testing.T) {
		all := runJob(t, config(w.ad, w.ad.URL, usersFile(t, sip("mig"), uah("mig2")), w.poolA, w.poolB))
		if all.code != result.ExitOK {
			t.Fatalf("exit %d, want 0\nstderr:\n%s\nlog:\n%s", all.code, all.stderr, all.log)
		}
		if s := all.summary; s.Processed != 2 || s.States == nil || s.States.Migrated != 2 {
			t.Errorf("summary %+v", s)
		}
	})

	t.Run("unreachable server", func(t *testing.T) {
		addr := testenv.ClosedAddr(t)
		dead := serverName(addr) // as records and messages name it
		cfg := config(w.ad, w.ad.URL, file, w.poolA)
		cfg.SQL.Servers = append(cfg.SQL.Servers, addr)
		cfg.Report = t.TempDir() + "/incomplete.html"
		u := runJob(t, cfg)
		if u.code != result.ExitFatal {
			t.Fatalf("exit %d, want 3\nstderr:\n%s", u.code, u.stderr)
		}
		if !strings.Contains(u.stderr, "rtc database "+dead+" could not be read") || !strings.Contains(u.log, dead+" could not be read") {
			t.Errorf("the unreachable server is not named:\nstderr:\n%s", u.stderr)
		}
		if u.summary.NotAttempted != 0 || len(u.records) != len(w.expect) {
			t.Errorf("%d records, %d not attempted: want every user reported from the other server", len(u.records), u.summary.NotAttempted)
		}
		for user, wt := range w.expect {
			r := u.records[strings.ToLower(user)]
			if wt.lineOnly {
				continue
			}
			if len(r.Servers) != 2 || r.Servers[1].Server != dead || r.Servers[1].Error == "" || r.Servers[1].ResourceID != nil {
				t.Errorf("%s: servers %+v, want %s not read", user, r.Servers, dead)
				continue
			}
			// What pool A and AD prove stands; what needs every server does not.
			switch {
			case user == sip("mig") || user == sip("mig2"):
				if r.State != result.StateMigrated || r.Outcome != result.Error || !strings.Contains(r.Detail, "not proven: "+dead+" could not be read") {
					t.Errorf("%s: %s/%s %q; want migrated but an error, not proven", user, r.State, r.Outcome, r.Detail)
				}
			case user == sip("gone"): // its data is on the missing pool
				if r.State != result.StateNotFound || !strings.Contains(r.Detail, "not proven") {
					t.Errorf("%s: %s %q", user, r.State, r.Detail)
				}
			case user == sip("half"): // homed only on the missing pool: not proven migrated
				if r.State != result.StateMigrated || r.Outcome != result.Error {
					t.Errorf("%s: %s/%s", user, r.State, r.Outcome)
				}
			default:
				if r.State != wt.state {
					t.Errorf("%s: state %s, want %s (pool A and AD tell)", user, r.State, wt.state)
				}
			}
		}
		b, err := os.ReadFile(cfg.Report)
		if err != nil || !strings.Contains(string(b), "Incomplete: "+dead+" could not be read") {
			t.Errorf("the report does not say it is incomplete (%v)", err)
		}
	})
}

// check compares every record with what the world expects.
func (w *world) check(t *testing.T, o outcome) {
	t.Helper()
	if len(o.records) != len(w.expect) {
		t.Errorf("%d records, want %d", len(o.records), len(w.expect))
	}
	pools := [2]string{serverName(w.poolA.Addr), serverName(w.poolB.Addr)}
	envs := [2]testenv.RTCEnv{w.poolA, w.poolB}
	for user, wt := range w.expect {
		r, ok := o.records[strings.ToLower(user)]
		if !ok {
			t.Errorf("%s: no record", user)
			continue
		}
		if r.State != wt.state || r.Outcome != wt.outcome || !strings.Contains(r.Detail, wt.detail) {
			t.Errorf("%s: %s / %s %q; want %s / %s with %q", user, r.State, r.Outcome, r.Detail, wt.state, wt.outcome, wt.detail)
		}
		if wt.state != "" && !strings.HasPrefix(r.Detail, string(wt.state)+": ") {
			t.Errorf("%s: detail %q does not start with the state", user, r.Detail)
		}
		if r.Line == 0 {
			t.Errorf("%s: no line number", user)
		}
		if wt.lineOnly {
			if r.AD != nil || r.Servers != nil || r.State != "" {
				t.Errorf("%s: a malformed line has %+v", user, r)
			}
			continue
		}
		if r.AD == nil || r.AD.Found != wt.adFound {
			t.Errorf("%s: ad %+v, want found %v", user, r.AD, wt.adFound)
		}
		if len(r.Servers) != 2 {
			t.Errorf("%s: %d servers", user, len(r.Servers))
			continue
		}
		for k, ws := range wt.servers {
			s := r.Servers[k]
			if s.Server != pools[k] || s.Error != "" {
				t.Errorf("%s: server %d is %s (%s), want %s", user, k, s.Server, s.Error, pools[k])
			}
			switch {
			case ws.id == 0 && s.ResourceID != nil:
				t.Errorf("%s on %s: ResourceId %d, want none", user, s.Server, *s.ResourceID)
			case ws.id != 0 && (s.ResourceID == nil || *s.ResourceID != ws.id):
				t.Errorf("%s on %s: ResourceId %v, want %d", user, s.Server, s.ResourceID, ws.id)
			}
			homed := map[string]int64{}
			if ws.id != 0 {
				homed = homedIn(t, envs[k], ws.id)
			}
			if ws.homed != (len(homed) > 0) {
				t.Fatalf("the test's own seeding: %s on %s has rows in %v", user, s.Server, homed)
			}
			if !reflect.DeepEqual(s.HomedRows, homed) {
				t.Errorf("%s on %s: homed rows %v, want %v", user, s.Server, s.HomedRows, homed)
			}
			if s.ListedBy != ws.listedBy {
				t.Errorf("%s on %s: listed by %d, want %d", user, s.Server, s.ListedBy, ws.listedBy)
			}
			if !reflect.DeepEqual(s.Replicated, ws.replicated) {
				t.Errorf("%s on %s: replicated %v, want %v", user, s.Server, ptr(s.Replicated), ptr(ws.replicated))
			}
		}
	}
	// The table the product never heard of is counted like the others.
	if rows := o.records[sip("notrep")].Servers[0].HomedRows; rows["UserNote"] == 0 || rows["PublishedStaticInstance"] == 0 {
		t.Errorf("notrep on the evidence schema: homed rows %v, want UserNote and PublishedStaticInstance among them", rows)
	}
	lost := o.records[sip("lost")]
	if lost.AD == nil || lost.AD.Address != "" || lost.AD.ProxyAddress != "SIP:Lost@"+domain || !strings.HasPrefix(strings.ToLower(lost.AD.DN), "cn=lost,") {
		t.Errorf("lost: ad %+v", lost.AD)
	}
	nd := o.records["sip:notdis@"+domain]
	if nd.AD == nil || !nd.AD.Enabled || nd.AD.HomeServer == "" || nd.AD.Address != "sip:NotDis@"+domain {
		t.Errorf("notdis: ad %+v", nd.AD)
	}
}

func ptr(b *bool) string {
	if b == nil {
		return "null"
	}
	if *b {
		return "true"
	}
	return "false"
}

// serverName is how verify names a server given as addr: host,port.
func serverName(addr string) string {
	t, err := rtcclient.ParseServer(addr)
	if err != nil {
		panic(err)
	}
	return t.String()
}
