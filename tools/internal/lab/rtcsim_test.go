//go:build !windows

package lab

import (
	"database/sql"
	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
	"path/filepath"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"
)

// The bench reads rtcsim's round trips and rows written from the child process.
func TestRTCStats(t *testing.T) {
	root, err := lyncmigrate.Root()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin, err := Build(root, "./cmd/rtcsim", dir, "rtcsim")
	if err != nil {
		t.Fatal(err)
	}
	r, err := StartRTC(RTCOptions{Binary: bin, Schema: "lync2013-evidence", DB: filepath.Join(dir, "rtc.sqlite"),
		Seeds: []string{"evidence-sample"}, Password: "Lab-Passw0rd", LogDir: dir, StatementLog: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Stop()
	c, err := mssql.NewConnector(r.DSN())
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	before, err := r.Stats()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM Contact WHERE OwnerId = @p1", 1001).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DELETE FROM Contact WHERE OwnerId = @p1", 1002); err != nil {
		t.Fatal(err)
	}
	after, err := r.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if d := after.Sub(before); d.Requests != 2 || d.WriteRequests != 1 || d.RowsWritten != 2 {
		t.Errorf("counted %+v, want 2 requests, 1 write, 2 rows", d)
	}
	r.Stop()
	if final, err := r.FinalStats(); err != nil || final.RowsWritten != after.RowsWritten {
		t.Errorf("final counters %+v, %v", final, err)
	}
}
