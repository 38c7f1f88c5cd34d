package deleteaccount

import (
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// With --ldap-server against Samba: a user still SIP-enabled is an error and
// keeps all its rows; a disabled one is deleted; one absent from AD too.
func TestADGate(t *testing.T) {
	e := testenv.AD(t)
	ou := testenv.SeedOU(t, "DeleteAccountGate")
	testenv.AddUsers(t, ou, []testenv.SeedUser{
		{CN: "User Seven", SAM: "dagate07", SIP: "sip:User07@LyncTest.local", Enabled: new(true), HomeServer: true},
		{CN: "User Two", SAM: "dagate02", SIP: "sip:user02@lynctest.local", Enabled: new(false)},
	})
	env := startRTC(t, "lync2013", seedSQL(rtcschema.Lync2013, population()))
	before := takeDump(t, env)
	cfg := Config{SQL: sqlConfig(env), LDAP: &adclient.Config{
		Server: e.URL, CAFile: e.CAFile, Auth: adclient.AuthSimple, BindDN: e.BindDN, Base: ou,
		PasswordFunc: func() (string, error) { return e.Password, nil },
	}}
	cfg.Common.File = usersFile(t, "sip:user07@lynctest.local", "sip:user02@lynctest.local", "sip:user03@lynctest.local")
	o := runJob(t, cfg, "", 0)
	if o.code != result.ExitPartial {
		t.Errorf("exit %d, want 1\n%s", o.code, o.log)
	}
	r := o.byUser("sip:user07@lynctest.local")
	if len(r) != 1 || r[0].Outcome != result.Error || !strings.Contains(r[0].Detail, "disable first") || r[0].Server != "" {
		t.Errorf("user07 = %+v, want an error saying disable first", r)
	}
	for _, u := range []string{"sip:user02@lynctest.local", "sip:user03@lynctest.local"} {
		if r := o.byUser(u); len(r) != 1 || r[0].Outcome != result.Processed {
			t.Errorf("%s = %+v, want processed", u, r)
		}
	}
	want, _ := before.without(1002, 1003)
	sameDump(t, "after the gated run", takeDump(t, env), want)
	// user07's rows were backed up with its chunk before the gate's answer
	// was looked at: that transaction is marked aborted, not left for
	// --undo to take as cut short.
	txns, warnings, err := readBackup(backupFile(t, o.logDir))
	if err != nil || len(warnings) != 0 {
		t.Errorf("backup: %v, warnings %v", err, warnings)
	}
	for _, tx := range txns {
		if tx.head.ResourceID == 1007 {
			t.Errorf("user07's transaction %d is restorable: %+v", tx.head.Txn, tx)
		}
	}
	if len(txns) != 2 {
		t.Errorf("%d restorable transactions, want 2 (user02, user03)", len(txns))
	}
	if strings.Contains(o.log, "AD state was not checked") {
		t.Error("the no-AD warning appeared with --ldap-server")
	}
	if !strings.Contains(o.log, "up to 30 minutes") {
		t.Error("no reminder of AD replication time")
	}
	if strings.Contains(o.log, e.Password) {
		t.Error("the LDAP password reached the log")
	}
}
