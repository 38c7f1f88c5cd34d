package disableaccount

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// batch is the 500-user scenario of issue 4: users to disable (some written
// in another case), already-disabled users, users not in AD, malformed lines,
// duplicates, a contact sharing a user's address, two users sharing one.
type batch struct {
	ou       string
	dom      string // the SIP domain, "@…"
	file     string
	toChange map[string]string // lower-case URI → DN of the users the run must change
	want     result.Summary
}

func seedBatch(t *testing.T, ouName string) batch {
	e := testenv.AD(t)
	ou, sam, dom := seedOU(t, ouName)
	var users []testenv.SeedUser
	var lines []string
	b := batch{ou: ou, dom: dom, toChange: map[string]string{}}
	dn := func(cn string) string { return "CN=" + cn + "," + ou }

	for i := range 400 { // enabled and homed: processed
		cn := fmt.Sprintf("u%03d", i)
		u := testenv.SeedUser{CN: cn, SAM: sam(cn), SIP: "sip:" + cn + dom, Enabled: new(true), HomeServer: true,
			Attrs: map[string][]string{"msRTCSIP-OptionFlags": {"256"}, "msRTCSIP-Line": {fmt.Sprintf("tel:+1555%04d", i)}}}
		if i%4 == 0 {
			u.Attrs["msRTCSIP-TargetHomeServer"] = []string{e.PoolDN()}
		}
		if i%50 == 7 { // disabled but still homed: only the home servers go
			u.Enabled = new(false)
		}
		users = append(users, u)
		line := u.SIP
		if i%7 == 0 {
			line = "sip:" + strings.ToUpper(cn+dom) // AD matches case-insensitively
		}
		lines = append(lines, line)
		b.toChange[strings.ToLower(u.SIP)] = dn(cn)
	}
	for i := range 40 { // already disabled (or never enabled): skipped
		cn := fmt.Sprintf("off%02d", i)
		u := testenv.SeedUser{CN: cn, SAM: sam(cn), SIP: "sip:" + cn + dom}
		if i%2 == 0 {
			u.Enabled = new(false)
		}
		users = append(users, u)
		lines = append(lines, u.SIP)
	}
	users = append(users, // two users with one address: error, neither changed
		testenv.SeedUser{CN: "twin1", SAM: sam("twin1"), SIP: "sip:twin" + dom, Enabled: new(true), HomeServer: true},
		testenv.SeedUser{CN: "twin2", SAM: sam("twin2"), SIP: "sip:Twin" + dom, Enabled: new(true), HomeServer: true})
	lines = append(lines, "sip:twin"+dom)
	for i := range 20 { // SIP-enabled users not in the file: untouched
		cn := fmt.Sprintf("stay%02d", i)
		users = append(users, testenv.SeedUser{CN: cn, SAM: sam(cn), SIP: "sip:" + cn + dom, Enabled: new(true), HomeServer: true})
	}
	testenv.AddUsers(t, ou, users)
	// A contact with the address of u001: not a user, ignored; u001 is processed.
	testenv.AddContacts(t, ou, []testenv.SeedContact{{CN: "contact-u001", SIP: "sip:u001" + dom,
		Attrs: map[string][]string{"msRTCSIP-UserEnabled": {"TRUE"}, "msRTCSIP-PrimaryHomeServer": {e.PoolDN()}}}})

	for i := range 54 { // not in AD
		lines = append(lines, fmt.Sprintf("sip:ghost%02d%s", i, dom))
	}
	lines = append(lines, // malformed: error outcomes with their line
		"sip@chuck@x.com", "sip:has space@x.com", "sip:nodomain", "ann@foo.com", "DN:OU=x,DC=y")
	lines = append(lines, // duplicates: a WARN each, not outcomes
		"sip:u010"+dom, "SIP:U011"+strings.ToUpper(dom), "sip:off01"+dom, "sip:ghost01"+dom)
	// Comments and blank lines are not users.
	lines = append([]string{"# batch 1 of the migration", ""}, lines...)
	b.file = writeLines(t, lines)
	b.want = result.Summary{Processed: 400, Skipped: 40, Errors: 1 + 5, NotFound: 54, Duplicates: 4}
	return b
}

func TestADDisableBatchDryRunUndo(t *testing.T) {
	e := testenv.AD(t)
	b := seedBatch(t, "batch")
	logDir := t.TempDir()
	before := parseDump(t, testenv.DumpLDIF(t, b.ou))

	// The dry run and the real run go through a relay that decodes every
	// request: what reached the DC, not only what the directory shows.
	spy := testenv.StartLDAPSpy(t, e.PlainURL)
	viaSpy := func(c Config) Config {
		c.LDAP.Server, c.LDAP.CAFile = spy.URL, ""
		return c
	}

	// 1. Dry run: same lookups, nothing written.
	cfg := viaSpy(testConfig(e, b.file, logDir))
	cfg.DryRun = true
	dry := runJob(t, cfg)
	wantDry := b.want
	wantDry.DryRun = true
	checkCounts(t, dry, wantDry, result.ExitPartial)
	checkDump(t, "after the dry run", before, parseDump(t, testenv.DumpLDIF(t, b.ou)))
	if dry.backup != "" {
		t.Errorf("a dry run wrote a backup")
	}
	if n := spy.Count(ldap.ApplicationSearchRequest); n < 3 { // the rootDSE and the 495 addresses, 200 a search
		t.Fatalf("the spy saw %d searches: it does not see the run's traffic", n)
	}
	if n := spy.Writes(); n != 0 {
		t.Errorf("the dry run sent %d write requests (modify %d)", n, spy.Count(ldap.ApplicationModifyRequest))
	}
	spy.Reset()

	// 2. The real run, at debug, with a real bind: one modify request per
	// changed user, none for the others.
	// Each user's backup record is on disk before its modify request leaves:
	// the relay holds each request until the backup file has been read.
	var unsaved atomic.Int64
	spy.SetBeforeModify(func(dn string) {
		bak, _ := filepath.Glob(filepath.Join(logDir, "DisableAccountBackup*.ldif"))
		if len(bak) != 1 {
			unsaved.Add(1)
			return
		}
		if text, err := os.ReadFile(bak[0]); err != nil || !strings.Contains(string(text), "\r\ndn: "+dn+"\r\n") {
			unsaved.Add(1)
		}
	})
	cfg = viaSpy(testConfig(e, b.file, logDir))
	cfg.Common.LogLevel = "debug"
	real := runJob(t, cfg)
	spy.SetBeforeModify(nil)
	if n := unsaved.Load(); n > 0 {
		t.Errorf("%d modify requests left before their user's backup record was in the file", n)
	}
	checkCounts(t, real, b.want, result.ExitPartial)
	mods := spy.ModifiedDNs()
	if spy.Writes() != len(b.toChange) || len(mods) != len(b.toChange) {
		t.Errorf("the run sent %d write requests for %d DNs; want one modify for each of the %d users to change",
			spy.Writes(), len(mods), len(b.toChange))
	}
	var notOne []string
	for _, dn := range b.toChange {
		if n := mods[strings.ToLower(dn)]; n != 1 {
			notOne = append(notOne, fmt.Sprintf("%s: %d", dn, n))
		}
	}
	if len(notOne) > 0 {
		t.Errorf("%d users did not get exactly one modify request, e.g. %q", len(notOne), notOne[:min(3, len(notOne))])
	}

	// Each user's attributes against the dump of before: the disable list
	// applied to the users of the file that had something to change, and
	// nothing else anywhere.
	want := before.clone()
	for _, dn := range b.toChange {
		want.disabled(dn)
	}
	after := parseDump(t, testenv.DumpLDIF(t, b.ou))
	checkDump(t, "after the real run", want, after)
	for _, dn := range b.toChange {
		a := after[strings.ToLower(dn)]
		if len(a["msrtcsip-primaryuseraddress"]) != 1 || !reflect.DeepEqual(a["msrtcsip-primaryuseraddress"], before[strings.ToLower(dn)]["msrtcsip-primaryuseraddress"]) {
			t.Fatalf("%s: PrimaryUserAddress changed: %q", dn, a["msrtcsip-primaryuseraddress"])
		}
	}

	// The dry run reported the same users, outcomes and changes.
	if len(dry.records) != len(real.records) {
		t.Errorf("dry run %d records, real run %d", len(dry.records), len(real.records))
	}
	for k, r := range real.records {
		d := dry.records[k]
		if d.Outcome != r.Outcome || d.Line != r.Line || !reflect.DeepEqual(d.Changes, r.Changes) || !d.DryRun || r.DryRun {
			t.Errorf("%s: dry run %+v, real run %+v", k, d, r)
		}
	}
	// The JSON changes are the before → after of the dumps.
	for uri, dn := range b.toChange {
		r, ok := real.records[uri]
		if !ok || r.Outcome != result.Processed {
			t.Errorf("%s: %+v; want processed", uri, r)
			continue
		}
		for _, c := range r.Changes {
			k := strings.ToLower(c.Attribute)
			if !reflect.DeepEqual(c.Before, before[strings.ToLower(dn)][k]) || !reflect.DeepEqual(c.After, after[strings.ToLower(dn)][k]) && len(c.After)+len(after[strings.ToLower(dn)][k]) > 0 {
				t.Errorf("%s %s: change %q -> %q; dumps %q -> %q", uri, c.Attribute, c.Before, c.After,
					before[strings.ToLower(dn)][k], after[strings.ToLower(dn)][k])
			}
		}
	}
	for _, k := range []string{"sip:twin" + b.dom, "sip@chuck@x.com", "dn:ou=x,dc=y"} {
		if r := real.records[k]; r.Outcome != result.Error || r.Detail == "" {
			t.Errorf("%s: %+v; want an error with its reason", k, r)
		}
	}
	if r := real.records["sip@chuck@x.com"]; r.Line == 0 {
		t.Errorf("malformed line without its line number: %+v", r)
	}
	// Cisco's lines, and the change at debug.
	for _, line := range []string{
		"[INFO]  Preparing to Disable Communications Server Account for User [sip:u003" + b.dom + "]\r\n",
		"[DEBUG] Searching for user [sip:u003" + b.dom + "]\r\n",
		"[INFO]  Found user with PrimaryURI : sip:u003" + b.dom + ", DisplayName : u003, Enabled : True\r\n",
		"[DEBUG] Changing msRTCSIP-UserEnabled: TRUE -> FALSE\r\n",
		"[DEBUG] Committed changes to the AD\r\n",
		"[INFO]  User Account Disabled\r\n",
		"duplicate of line",
	} {
		if !strings.Contains(real.log, line) {
			t.Errorf("log lacks %q", line)
		}
	}
	if !strings.Contains(dry.log, "[INFO]  Would change msRTCSIP-UserEnabled: TRUE -> FALSE\r\n") {
		t.Errorf("the dry run's log lacks the change at info")
	}
	// The password is nowhere.
	for name, text := range map[string]string{"log": real.log, "stderr": real.stderr, "JSON": real.stdout, "backup": real.backup} {
		if strings.Contains(text, e.Password) {
			t.Errorf("the bind password appears in the %s", name)
		}
	}
	bak, err := parseLDIF(strings.NewReader(real.backup), "backup")
	if err != nil || len(bak) != 400 {
		t.Fatalf("backup: %d records, %v; want 400", len(bak), err)
	}

	// 3. A second run changes nothing.
	again := runJob(t, testConfig(e, b.file, logDir))
	wantAgain := b.want
	wantAgain.Skipped, wantAgain.Processed = 440, 0
	checkCounts(t, again, wantAgain, result.ExitPartial)
	checkDump(t, "after a second run", want, parseDump(t, testenv.DumpLDIF(t, b.ou)))
	if _, err := os.Stat(again.backupPath()); !os.IsNotExist(err) {
		t.Errorf("a run that changed nothing left a backup file: %v", err)
	}

	// 4. --undo gives back the directory of before; a second --undo changes nothing.
	undoCfg := testConfig(e, "", logDir)
	undoCfg.Undo = real.backupPath()
	undo := runJob(t, undoCfg)
	checkCounts(t, undo, result.Summary{Processed: 400}, result.ExitOK)
	checkDump(t, "after --undo", before, parseDump(t, testenv.DumpLDIF(t, b.ou)))
	if undoBak, err := parseLDIF(strings.NewReader(undo.backup), "undo backup"); err != nil || len(undoBak) != 400 {
		t.Errorf("--undo's own backup: %d records, %v", len(undoBak), err)
	}
	spy.Reset()
	undo2 := runJob(t, viaSpy(undoCfg))
	checkCounts(t, undo2, result.Summary{Skipped: 400}, result.ExitOK)
	if n := spy.Writes(); n != 0 || spy.Count(ldap.ApplicationSearchRequest) < 400 {
		t.Errorf("the second --undo sent %d write requests (and %d reads); want none", n, spy.Count(ldap.ApplicationSearchRequest))
	}
	checkDump(t, "after a second --undo", before, parseDump(t, testenv.DumpLDIF(t, b.ou)))
}
