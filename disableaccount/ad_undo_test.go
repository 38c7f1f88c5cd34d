package disableaccount

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// --clear removes more attributes, backed up and restored like the list.
func TestADClearAndUndo(t *testing.T) {
	e := testenv.AD(t)
	ou, sam, dom := seedOU(t, "clear")
	users := []testenv.SeedUser{
		{CN: "c1", SAM: sam("c1"), SIP: "sip:c1" + dom, Enabled: new(true), HomeServer: true,
			Attrs: map[string][]string{"msRTCSIP-Line": {"tel:+15550001"}, "msRTCSIP-LineServer": {"sip:gw@x"}}},
		// Already disabled, but with a line: --clear leaves something to do.
		{CN: "c2", SAM: sam("c2"), SIP: "sip:c2" + dom, Enabled: new(false),
			Attrs: map[string][]string{"msRTCSIP-Line": {"tel:+15550002"}}},
		{CN: "c3", SAM: sam("c3"), SIP: "sip:c3" + dom, Enabled: new(false)},
	}
	testenv.AddUsers(t, ou, users)
	before := parseDump(t, testenv.DumpLDIF(t, ou))
	logDir := t.TempDir()
	file := writeLines(t, []string{users[0].SIP, users[1].SIP, users[2].SIP})

	cfg := testConfig(e, file, logDir)
	cfg.Clear = []string{"msRTCSIP-Line", "msRTCSIP-LineServer"}
	o := runJob(t, cfg)
	checkCounts(t, o, result.Summary{Processed: 2, Skipped: 1}, result.ExitOK)
	want := before.clone()
	for _, cn := range []string{"c1", "c2"} {
		dn := strings.ToLower("CN=" + cn + "," + ou)
		want.disabled(dn)
		delete(want[dn], "msrtcsip-line")
		delete(want[dn], "msrtcsip-lineserver")
	}
	checkDump(t, "after --clear", want, parseDump(t, testenv.DumpLDIF(t, ou)))

	// The undo file, extended by hand: a duplicate record, a record for an
	// object that is gone, and one that would change the PrimaryUserAddress.
	extra := "\r\n# user: sip:gone" + dom + "\r\ndn: CN=gone," + ou + "\r\nchangetype: modify\r\nreplace: msRTCSIP-UserEnabled\r\nmsRTCSIP-UserEnabled: TRUE\r\n-\r\n" +
		"\r\ndn: CN=c1," + ou + "\r\nchangetype: modify\r\nreplace: msRTCSIP-UserEnabled\r\nmsRTCSIP-UserEnabled: FALSE\r\n-\r\n" +
		"\r\n# user: sip:c3" + dom + "\r\ndn: CN=c3," + ou + "\r\nchangetype: modify\r\nreplace: msRTCSIP-PrimaryUserAddress\r\nmsRTCSIP-PrimaryUserAddress: sip:evil@x\r\n-\r\n"
	undoFile := filepath.Join(t.TempDir(), "undo.ldif")
	if err := os.WriteFile(undoFile, []byte(o.backup+extra), 0o600); err != nil {
		t.Fatal(err)
	}
	// A dry run of the undo first: reports, changes nothing.
	ucfg := testConfig(e, "", logDir)
	ucfg.Undo, ucfg.DryRun = undoFile, true
	dry := runJob(t, ucfg)
	checkCounts(t, dry, result.Summary{Processed: 2, NotFound: 1, Errors: 1, Duplicates: 1, DryRun: true}, result.ExitPartial)
	checkDump(t, "after a dry-run --undo", want, parseDump(t, testenv.DumpLDIF(t, ou)))

	ucfg.DryRun = false
	u := runJob(t, ucfg)
	checkCounts(t, u, result.Summary{Processed: 2, NotFound: 1, Errors: 1, Duplicates: 1}, result.ExitPartial)
	checkDump(t, "after --undo", before, parseDump(t, testenv.DumpLDIF(t, ou)))
	if r := u.records["sip:c3"+dom]; r.Outcome != result.Error || !strings.Contains(r.Detail, "never changed") {
		t.Errorf("PrimaryUserAddress record: %+v", r)
	}
	if r := u.records["sip:c1"+dom]; len(r.Changes) != 4 {
		t.Errorf("c1 restored with %d changes; want 4: %+v", len(r.Changes), r)
	}
	// Undoing the undo's own backup disables again: backups chain.
	ucfg.Undo = u.backupPath()
	checkCounts(t, runJob(t, ucfg), result.Summary{Processed: 2}, result.ExitOK)
	checkDump(t, "after undoing the undo", want, parseDump(t, testenv.DumpLDIF(t, ou)))
}
