package rtcsim

import (
	"database/sql"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

// host\RTC resolves through the SQL Browser answer on UDP 1434, which
// go-mssqldb always asks. Only this package binds that port.
func TestBrowserNamedInstance(t *testing.T) {
	ostest.SkipOnWindows(t, "Wine 8 opens no UDP socket for Go (no SIO_UDP_NETRESET, winapi error 10045): the SQL Browser lookup of host\\instance is untested there")
	s, addr := startServer(t, "lync2013", "sample")
	closer, err := s.ServeBrowser("127.0.0.1:1434", addr)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("cannot serve the SQL Browser on 127.0.0.1:1434: %v", err)
		}
		t.Skipf("UDP 1434 is taken (another browser?): %v", err)
	}
	defer closer.Close()
	db := openNamed(t, `127.0.0.1\rtc`)
	var user string
	if err := db.QueryRowContext(ctxT(t), "SELECT UserAtHost FROM Resource WHERE ResourceId = @p1", 1002).Scan(&user); err != nil || user != "bob@foo.com" {
		t.Fatalf("through host\\RTC: %q %v", user, err)
	}
	// Another instance name is not answered: the connection fails.
	if err := openNamed(t, `127.0.0.1\OTHER`).PingContext(ctxT(t)); err == nil {
		t.Error("unknown instance resolved")
	}
}

func openNamed(t *testing.T, server string) *sql.DB {
	t.Helper()
	return openClientDSN(t, "server="+server+";user id=sa;password="+testPassword+";database=rtc;encrypt=disable;dial timeout=3")
}

func TestBrowserWants(t *testing.T) {
	for _, tc := range []struct {
		req  []byte
		want bool
	}{
		{[]byte{0x03}, true},
		{[]byte{0x02}, true},
		{append([]byte{0x04}, "rtc\x00"...), true},
		{append([]byte{0x04}, "OTHER\x00"...), false},
		{[]byte{0x0F, 0x01, 'R', 'T', 'C', 0}, false},
		{nil, false},
	} {
		if got := browserWants(tc.req, "RTC"); got != tc.want {
			t.Errorf("browserWants(%q) = %v", tc.req, got)
		}
	}
}

// FreeTDS tsql is a second, independent TDS client.
func TestFreeTDSClient(t *testing.T) {
	ostest.SkipOnWindows(t, "runs FreeTDS tsql, a Linux program")
	tsql, err := exec.LookPath("tsql")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tsql (Debian freetds-bin) is not installed")
		}
		t.Skip("tsql (Debian freetds-bin) is not installed")
	}
	_, addr := startServer(t, "lync2013", "sample")
	host, port, _ := net.SplitHostPort(addr.String())
	// A throwaway test password on tsql's command line: tsql has no other way to take it.
	cmd := exec.Command(tsql, "-H", host, "-p", port, "-U", "sa", "-P", testPassword, "-D", "rtc", "-o", "q")
	cmd.Env = append(os.Environ(), "TDSVER=7.4", "FREETDSCONF=/dev/null")
	cmd.Stdin = strings.NewReader("SELECT UserAtHost FROM Resource ORDER BY ResourceId\ngo\nSELECT COUNT(*) FROM Contact WHERE BuddyId = 1001\ngo\nexit\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tsql: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"ann@foo.com", "Frank.Muller@Foo.com", "\n4\n"} { // ann has herself on her list
		if !strings.Contains(text, want) {
			t.Errorf("tsql output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Msg ") {
		t.Errorf("tsql reported an error:\n%s", text)
	}
}
