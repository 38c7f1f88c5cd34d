package exportcontacts

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// Benchmarks of whole export runs (SPEC 8). Each reports contacts/s (wall clock)
// and contacts/cpu-s (the shared 2-core machine makes wall clock noisy), and the
// process's peak RSS: run one benchmark per `go test` for a meaningful RSS.
//
//	go test -run '^$' -bench 'ExportRunZip$' -benchtime 3x ./exportcontacts/
//	LMBENCH_ZIP_USERS=100000 go test -run '^$' -bench 'ExportRunZip$' -benchtime 1x ./exportcontacts/
//	go test -run '^$' -bench 'ExportRunRTC$' -benchtime 3x ./exportcontacts/   (Samba + rtcsim)

// BenchmarkExportRunZip is exportcontacts -f ALL --from-export on a generated
// Export-CsUserData zip of LMBENCH_ZIP_USERS (default 2,000) users ×
// LMBENCH_ZIP_CONTACTS (default 50) contacts. Target: ≥ 200,000 contacts/s;
// under 150 MB at 100,000 users.
func BenchmarkExportRunZip(b *testing.B) {
	users := envInt(b, "LMBENCH_ZIP_USERS", 2000)
	contacts := envInt(b, "LMBENCH_ZIP_CONTACTS", 50)
	zip := filepath.Join(b.TempDir(), "export.zip")
	total := writeLargeZip(b, zip, users, contacts)
	runtime.GC()
	cpu0 := cpuSeconds()
	for b.Loop() {
		cfg := baseConfig(b, "ALL")
		cfg.FromExport = zip
		cfg.Common.JSON = false
		if stderr := benchRun(b, cfg); !strings.Contains(stderr, fmt.Sprintf("%d users successfully processed", users)) {
			b.Fatalf("not every user processed:\n%s", stderr)
		}
	}
	report(b, total, cpu0)
}

// benchDomain and the user names of the rtc benchmark (rtcsim.Population).
const (
	benchDomain = "export-bench.example.com"
	benchPrefix = "xb"
)

// rtcBench is the Samba + rtcsim set-up of BenchmarkExportRunRTC: n SIP-enabled
// users in AD, the same n users homed in rtcsim with `contacts` contacts each.
type rtcBench struct {
	env   testenv.ADEnv
	rtc   testenv.RTCEnv
	file  string // the users file, one SIP line per user
	uris  []string
	total int
}

func setupRTCBench(b *testing.B) *rtcBench {
	b.Helper()
	n := envInt(b, "LMBENCH_USERS", 2000)
	contacts := envInt(b, "LMBENCH_CONTACTS", 50)
	env := testenv.AD(b)
	users := make([]testenv.SeedUser, n)
	uris := make([]string, n)
	for i := range users {
		cn := fmt.Sprintf("%s%d", benchPrefix, i)
		uris[i] = "sip:" + cn + "@" + benchDomain
		users[i] = testenv.SeedUser{CN: "xbench" + cn, SAM: "xbn-" + cn, SIP: uris[i], Enabled: new(true)}
	}
	// Seeding thousands of users takes most of a minute on a full shared DC: an
	// OU left by an earlier run with the same users is reused.
	if benchUsersPresent(b, env, "OU=export-bench,"+env.Base) != n {
		testenv.AddUsers(b, testenv.SeedOU(b, "export-bench"), users)
	}
	rtc := startRTC(b, lync2013Schema(b))
	rtc.Populate(b, rtcsim.Population{Users: n, Contacts: contacts, Domain: benchDomain, Prefix: benchPrefix})
	return &rtcBench{env: env, rtc: rtc, file: writeUsers(b, strings.Join(uris, "\r\n")+"\r\n"), uris: uris, total: n * contacts}
}

// benchUsersPresent counts the SIP-enabled users of the bench domain under ou.
func benchUsersPresent(b *testing.B, env testenv.ADEnv, ou string) int {
	b.Helper()
	c := env.Dial(b)
	defer c.Close()
	req := ldap.NewSearchRequest(ou, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(&(objectClass=user)(msRTCSIP-UserEnabled=TRUE)(msRTCSIP-PrimaryUserAddress=sip:"+benchPrefix+"*@"+benchDomain+"))",
		[]string{"cn"}, nil)
	res, err := c.SearchWithPaging(req, 1000)
	if err != nil {
		return -1 // no OU yet
	}
	return len(res.Entries)
}

// BenchmarkExportRunRTC compares exportcontacts from rtcsim, users resolved in
// Samba (product), with the plain loop: the same AD lookups, statements, workers,
// mapping and CSV writing, without log, schema check or user list. Target:
// ≥ 50,000 contacts/s.
func BenchmarkExportRunRTC(b *testing.B) {
	rb := setupRTCBench(b)
	workers := envInt(b, "LMBENCH_WORKERS", 4)
	b.Run("product", func(b *testing.B) {
		cpu0 := cpuSeconds()
		for b.Loop() {
			cfg := baseConfig(b, rb.file)
			cfg.SQL, cfg.LDAP = sqlConfig(rb.rtc), ldapConfig(rb.env)
			cfg.Common.JSON, cfg.Common.Workers = false, workers
			benchRun(b, cfg)
		}
		report(b, rb.total, cpu0)
	})
	b.Run("plain", func(b *testing.B) {
		cpu0 := cpuSeconds()
		for b.Loop() {
			if n := plainRTCExport(b, rb, workers); n != rb.total {
				b.Fatalf("plain loop wrote %d rows, want %d", n, rb.total)
			}
		}
		report(b, rb.total, cpu0)
	})
}

type nopLog struct{}

func (nopLog) Warnf(string, ...any)  {}
func (nopLog) Infof(string, ...any)  {}
func (nopLog) Debugf(string, ...any) {}

// plainRTCExport is the plain loop of SPEC 8 for the rtc export; it returns the
// rows written.
func plainRTCExport(b *testing.B, rb *rtcBench, workers int) int {
	ctx := context.Background()
	lc := *ldapConfig(rb.env)
	lc.Conns = min(workers, 4)
	ad, err := adclient.Connect(ctx, lc, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ad.Close()
	db, err := rtcclient.Open(ctx, *sqlConfig(rb.rtc), rb.rtc.Addr, nopLog{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SQL.SetMaxOpenConns(workers)
	db.SQL.SetMaxIdleConns(workers)
	found, err := ad.FindBySIP(ctx, rb.uris, adAttrs)
	if err != nil {
		b.Fatal(err)
	}
	var ts []target
	for _, u := range rb.uris {
		if len(found[u]) == 1 {
			ts = append(ts, target{uri: u})
		}
	}
	cw, err := createContactsCSV(createFile(b, filepath.Join(b.TempDir(), "plain.csv")), csvOptions{})
	if err != nil {
		b.Fatal(err)
	}
	src := &rtcSource{db: db, log: nopLog{}}
	chunks := adclient.Chunks(ts, ownersPerQuery)
	err = ordered(ctx, len(chunks), workers,
		func(c context.Context, i int) map[string]*owner {
			o, err := src.read(c, chunks[i])
			if err != nil {
				b.Error(err)
			}
			return o
		},
		func(owners map[string]*owner) error {
			for _, o := range owners {
				log := discard()
				rows := mapRows(o.list, mapOptions{}, log)
				ok, _ := splitRows(rows, log)
				for _, r := range ok {
					if err := cw.Write(r); err != nil {
						return err
					}
				}
			}
			return nil
		})
	if err != nil {
		b.Fatal(err)
	}
	if err := cw.Close(); err != nil {
		b.Fatal(err)
	}
	return cw.Rows()
}

// benchRun runs one export and returns its stderr (the summary); unlike
// runExport it keeps neither the log nor the JSON in memory, so that the peak RSS
// is the product's.
func benchRun(b *testing.B, cfg Config) string {
	b.Helper()
	var stderr bytes.Buffer
	cfg.Common.Stdout, cfg.Common.Stderr = io.Discard, &stderr
	if code := Run(context.Background(), cfg); code != 0 {
		b.Fatalf("exit %d\n%s", code, stderr.String())
	}
	if err := os.RemoveAll(cfg.Common.LogDir); err != nil {
		b.Fatal(err)
	}
	return stderr.String()
}

func report(b *testing.B, contacts int, cpu0 float64) {
	b.Helper()
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(contacts)*float64(b.N)/cpu, "contacts/cpu-s")
	}
	b.ReportMetric(float64(contacts)*float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(rss, "peak-RSS-MiB")
	}
}
