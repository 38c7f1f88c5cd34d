package rtcsim_test

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strconv"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// testenv.RTC, as the product's packages use it.
func TestTestenvRTC(t *testing.T) {
	e := testenv.RTC(t, "lync2013", "sample")
	if e.Port == 0 || e.Addr != e.Host+":"+strconv.Itoa(e.Port) || e.Database != "rtc" || e.Password == "" {
		t.Fatalf("env %+v", e)
	}
	c, err := mssql.NewConnector(e.DSN("app name=testenv"))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	if _, err := db.Exec("DELETE FROM Contact WHERE OwnerId = @p1", 1002); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := e.DB(t).QueryRow("SELECT COUNT(*) FROM Contact WHERE OwnerId = 1002").Scan(&n); err != nil || n != 0 {
		t.Errorf("direct handle sees %d rows, %v", n, err)
	}
	d := e.Dump(t)
	if len(d["Resource"]) != 6 || d["Resource"][0]["UserAtHost"] != "ann@foo.com" || len(d["Contact"]) != 9 {
		t.Errorf("dump: %d resources, first %v, %d contacts", len(d["Resource"]), d["Resource"][0], len(d["Contact"]))
	}
	e.SeedUsers(t, 100, 5)
	if err := db.QueryRow("SELECT COUNT(*) FROM Contact").Scan(&n); err != nil || n != 9+500 {
		t.Errorf("after SeedUsers %d contacts, %v", n, err)
	}
	e.Fault(t, rtcsim.Fault{Proc: "RtcpDeleteHomedResourceTransaction", Err: &rtcsim.Error{Number: 1205}, Times: 1})
	_, err = db.ExecContext(context.Background(), "dbo.RtcpDeleteHomedResourceTransaction", 1001)
	var me mssql.Error
	if !errors.As(err, &me) || me.Number != 1205 {
		t.Errorf("fault: %v", err)
	}
	// A second server is independent.
	e2 := testenv.RTC(t, "ocs2007")
	if e2.Addr == e.Addr || e2.Password == e.Password {
		t.Error("two servers share an address or password")
	}
}

// testenv.RTCWith: servers that share a login, as one run reaches them.
func TestTestenvRTCWithLogin(t *testing.T) {
	o := testenv.RTCOptions{User: "rtcadmin", Password: "Shared-Passw0rd"}
	a := testenv.RTCWith(t, "lync2013", o, "sample")
	b := testenv.RTCWith(t, "ocs2007", o)
	for _, e := range []testenv.RTCEnv{a, b} {
		if e.User != o.User || e.Password != o.Password {
			t.Fatalf("env login %s/%s", e.User, e.Password)
		}
		c, err := mssql.NewConnector(e.DSN())
		if err != nil {
			t.Fatal(err)
		}
		db := sql.OpenDB(c)
		defer db.Close()
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM Resource").Scan(&n); err != nil {
			t.Errorf("%s: login with the shared password: %v", e.Addr, err)
		}
	}
	if a.Addr == b.Addr || a.DBPath == b.DBPath {
		t.Error("two servers share an address or database")
	}
	// the login is checked: another password is refused
	bad := a
	bad.Password = "wrong"
	c, _ := mssql.NewConnector(bad.DSN())
	db := sql.OpenDB(c)
	defer db.Close()
	if err := db.Ping(); err == nil {
		t.Error("a wrong password was accepted")
	}
}

// testenv seeds one Go fixture into any schema, and evidence-sample by name.
func TestTestenvSeedFixture(t *testing.T) {
	fx := rtcsim.Fixture{Users: []rtcsim.FixtureUser{
		{ResourceID: 1, UserAtHost: "ann@foo.com", Groups: []rtcsim.FixtureGroup{{Number: 1, Name: "~"}},
			Contacts: []rtcsim.FixtureContact{{Buddy: 2, DisplayName: rtcsim.Text("Bøb"), Groups: []int{1}}}},
		{ResourceID: 2, UserAtHost: "bob@foo.com"},
	}, HomedRows: 1}
	for schema, want := range map[string]any{"lync2013": "Bøb", "lync2013-evidence": []byte("Bøb")} {
		e := testenv.RTC(t, schema)
		e.SeedFixture(t, fx)
		if got := e.Dump(t)["Contact"][0]["DisplayName"]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: DisplayName %#v, want %#v", schema, got, want)
		}
	}
	e := testenv.RTC(t, "lync2013-evidence-unsafe", "evidence-sample")
	before := e.DumpRestorable(t)
	if _, ok := before["ContactGroup"][0]["Version"]; ok || len(before["UserNote"]) != 3 {
		t.Errorf("DumpRestorable kept the rowversion or lost rows: %v", before["ContactGroup"][0])
	}
	if _, ok := e.Dump(t)["ContactGroup"][0]["Version"]; !ok {
		t.Error("Dump lacks the rowversion column")
	}
}
