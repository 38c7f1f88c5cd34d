package disableaccount

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
	"github.com/lyncmigrate/lyncmigrate/internal/testenv"
)

// BenchmarkDisable measures SPEC 8's disable rows on the Samba DC: the
// product (with and without its backup) and the plain go-ldap loop — the
// same batched OR-filter searches, the same modify requests, the same
// workers and connections, but no log, no backup, no checks — at --workers 1
// and the default, and prints them as a markdown table with the ratios.
//
//	go test -run '^$' -bench Disable -benchtime 1x ./disableaccount/
//
// LMBENCH_USERS sets the number of users (default 2000).
func BenchmarkDisable(b *testing.B) {
	e := testenv.AD(b)
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("LMBENCH_USERS")); err == nil && v > 0 {
		n = v
	}
	ou, sam, dom := seedOU(b, "bench")
	users := make([]testenv.SeedUser, n)
	lines := make([]string, n)
	for i := range users {
		cn := fmt.Sprintf("b%05d", i)
		users[i] = testenv.SeedUser{CN: cn, SAM: sam(cn), SIP: "sip:" + cn + dom, Enabled: new(true), HomeServer: true}
		lines[i] = users[i].SIP
	}
	dns := testenv.AddUsers(b, ou, users)
	file := writeLines(b, lines)

	type row struct {
		name    string
		workers int
		run     func(b *testing.B, workers int) int // returns users changed
	}
	product := func(backup bool) func(*testing.B, int) int {
		return func(b *testing.B, workers int) int {
			cfg := testConfig(e, file, b.TempDir())
			cfg.Common.JSON, cfg.Common.Workers = false, workers
			cfg.Common.Stdout, cfg.Common.Stderr = io.Discard, io.Discard
			cfg.noBackup = !backup
			cfg.LDAP.Conns = benchConns(workers)
			if code := Run(context.Background(), cfg); code != result.ExitOK {
				b.Fatalf("exit %d", code)
			}
			return n
		}
	}
	plain := func(b *testing.B, workers int) int { return plainDisable(b, e, lines, workers) }
	var rows []row
	for _, w := range []int{1, 4} {
		rows = append(rows, row{"plain go-ldap loop", w, plain}, row{"disableaccount, no backup", w, product(false)},
			row{"disableaccount, with backup", w, product(true)})
	}
	// The machine and the DC are shared: rows are interleaved over rounds,
	// and the best round of each row is compared (the least disturbed one).
	rounds := 3
	if v, err := strconv.Atoi(os.Getenv("LMBENCH_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	rates := make([][]float64, len(rows))
	for range b.N {
		for range rounds {
			for i, r := range rows {
				reenable(b, e, dns)
				start := time.Now()
				if got := r.run(b, r.workers); got != n {
					b.Fatalf("%s: %d users changed; want %d", r.name, got, n)
				}
				rates[i] = append(rates[i], float64(n)/time.Since(start).Seconds())
			}
		}
	}
	b.StopTimer()
	best := func(i int) float64 { return slices.Max(rates[i]) }
	fmt.Printf("\n| disable, %d users, Samba AD, best of %d | workers | users/s | lower median | vs plain loop | vs Cisco (13/s) |\n", n, len(rates[0]))
	fmt.Printf("|---|---|---|---|---|---|\n")
	for i, r := range rows {
		plainBest := best(i - i%3) // the plain row of the same workers
		med := slices.Clone(rates[i])
		slices.Sort(med)
		fmt.Printf("| %s | %d | %.0f | %.0f | %.0f %% | %.0f× |\n", r.name, r.workers, best(i), med[(len(med)-1)/2],
			100*best(i)/plainBest, best(i)/13)
		b.ReportMetric(best(i), strings.ReplaceAll(fmt.Sprintf("users/s:%s/w%d", r.name, r.workers), " ", "_"))
	}
}

// plainDisable is the plain loop: LDAPS connections bound once, one
// OR-filter search per 200 users, then the users' modify requests by
// `workers` goroutines over the same number of connections as the product.
var permissiveModify = ldap.NewControlString(ldap.ControlTypeMicrosoftPermissiveModify, false, "")

func plainDisable(b *testing.B, e testenv.ADEnv, uris []string, workers int) int {
	conns := make([]*ldap.Conn, benchConns(workers))
	for i := range conns {
		c, err := ldap.DialURL(e.URL, ldap.DialWithTLSConfig(&tls.Config{RootCAs: e.TLSConfig(b).RootCAs, ServerName: "127.0.0.1"}))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		if err := c.Bind(e.BindDN, e.Password); err != nil {
			b.Fatal(err)
		}
		conns[i] = c
	}
	changed := 0
	var mu sync.Mutex
	attrs := []string{"msRTCSIP-PrimaryUserAddress", "displayName", "msRTCSIP-UserEnabled",
		"msRTCSIP-PrimaryHomeServer", "msRTCSIP-TargetHomeServer"}
	type lookup struct {
		res *ldap.SearchResult
		err error
	}
	// As the product: the next chunk's search runs while this one is changed.
	fetch := func(chunk []string) <-chan lookup {
		ch := make(chan lookup, 1)
		go func() {
			req := ldap.NewSearchRequest(e.Base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
				adclient.SIPFilter(chunk), attrs, nil)
			res, err := conns[0].SearchWithPaging(req, 1000)
			ch <- lookup{res, err}
		}()
		return ch
	}
	chunks := adclient.Chunks(uris, adclient.FilterChunk)
	next := fetch(chunks[0])
	for i := range chunks {
		l := <-next
		if l.err != nil {
			b.Fatal(l.err)
		}
		if i+1 < len(chunks) {
			next = fetch(chunks[i+1])
		}
		entries := make(chan *ldap.Entry)
		var wg sync.WaitGroup
		for w := range workers {
			c := conns[w%len(conns)]
			wg.Go(func() {
				for en := range entries {
					// The product's request, control included: the same statements.
					m := ldap.NewModifyRequest(en.DN, []ldap.Control{permissiveModify})
					m.Replace("msRTCSIP-UserEnabled", []string{"FALSE"})
					m.Replace("msRTCSIP-PrimaryHomeServer", nil)
					if err := c.Modify(m); err != nil {
						b.Error(err)
						continue
					}
					mu.Lock()
					changed++
					mu.Unlock()
				}
			})
		}
		for _, en := range l.res.Entries {
			entries <- en
		}
		close(entries)
		wg.Wait()
	}
	return changed
}

// benchConns is the product's pool size, or LMBENCH_CONNS to compare others.
func benchConns(workers int) int {
	if v, err := strconv.Atoi(os.Getenv("LMBENCH_CONNS")); err == nil && v > 0 {
		return v
	}
	return run.LDAPConns(workers)
}

// reenable puts the users back as SIP-enabled and homed, between rows.
func reenable(b testing.TB, e testenv.ADEnv, dns []string) {
	conns := []*ldap.Conn{e.Dial(b), e.Dial(b), e.Dial(b)}
	next := make(chan string)
	var wg sync.WaitGroup
	for w := range 6 {
		c := conns[w%len(conns)]
		wg.Go(func() {
			for dn := range next {
				m := ldap.NewModifyRequest(dn, nil)
				m.Replace("msRTCSIP-UserEnabled", []string{"TRUE"})
				m.Replace("msRTCSIP-PrimaryHomeServer", []string{e.PoolDN()})
				if err := c.Modify(m); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for _, dn := range dns {
		next <- dn
	}
	close(next)
	wg.Wait()
}
