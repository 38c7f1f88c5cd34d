package rtcsim

import "testing"

func TestSmoke(t *testing.T) {
	_, addr := startServer(t, "lync2013", "sample")
	db := openClient(t, addr, "")
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM rtc.dbo.Resource").Scan(&n); err != nil {
		t.Fatal(err)
	}
	var u string
	if err := db.QueryRow("SELECT UserAtHost FROM Resource WHERE ResourceId = @p1", 1001).Scan(&u); err != nil {
		t.Fatal(err)
	}
	t.Log(n, u)
}
