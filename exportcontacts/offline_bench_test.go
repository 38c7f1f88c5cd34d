package exportcontacts

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

const mib = 1 << 20

// readMeasured reads a generated zip, sampling the heap every `every` owners; it returns
// the contacts read, the sampled peak HeapInuse and the live heap after a GC at the last owner.
func readMeasured(tb testing.TB, path string, users, every int) (contacts int, peak, live uint64) {
	tb.Helper()
	var ms runtime.MemStats
	seen := 0
	err := readExport(path, func(cl *contactList) error {
		if cl.Err != nil {
			return cl.Err
		}
		seen++
		contacts += len(cl.Contacts)
		if seen%every == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		if seen == users {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			live = ms.HeapAlloc
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if seen != users {
		tb.Fatalf("read %d owners, want %d", seen, users)
	}
	return contacts, peak, live
}

// The zip reader keeps one HomedResource in memory: 8× the users must not grow the heap.
func TestReadExportZipMemoryFlat(t *testing.T) {
	const contacts = 20
	var lives, peaks [2]uint64
	for i, users := range []int{500, 4000} {
		p := filepath.Join(t.TempDir(), "big.zip")
		want := writeLargeZip(t, p, users, contacts)
		runtime.GC()
		n, peak, live := readMeasured(t, p, users, 100)
		if n != want {
			t.Fatalf("%d users: read %d contacts, want %d", users, n, want)
		}
		lives[i], peaks[i] = live, peak
		t.Logf("%d users × %d contacts: live heap at the end %.2f MiB, sampled peak HeapInuse %.2f MiB", users, contacts, float64(live)/mib, float64(peak)/mib)
	}
	// Holding on to the 80,000 contacts of the larger file would take well over 5 MiB.
	if lives[1] > lives[0]+mib {
		t.Errorf("live heap grew from %.2f MiB to %.2f MiB with 8× the users", float64(lives[0])/mib, float64(lives[1])/mib)
	}
	if peaks[1] > peaks[0]+8*mib {
		t.Errorf("peak heap grew from %.2f MiB to %.2f MiB with 8× the users", float64(peaks[0])/mib, float64(peaks[1])/mib)
	}
}

func envInt(tb testing.TB, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		tb.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}

// peakRSS is the process's peak resident set (VmHWM) in MiB, 0 where /proc is missing.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.Atoi(f[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// cpuSeconds is the process's user+system CPU time (Linux /proc; 0 elsewhere). On the
// shared 2-core test machine wall-clock rates mostly measure the neighbours: contacts per
// CPU-second is the figure that compares between runs.
func cpuSeconds() float64 {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	// Fields after the ")" closing the command name: state is field 3, utime 14, stime 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100 // USER_HZ is 100 on Linux
}

// BenchmarkReadExportZip reads a generated Export-CsUserData zip of LMBENCH_ZIP_USERS
// users (default 20,000) × LMBENCH_ZIP_CONTACTS contacts (default 50). SPEC 8 target:
// ≥ 200,000 contacts/s, and under 150 MB for 100,000 users, flat in N.
//
//	go test -run '^$' -bench ReadExportZip -benchtime 1x ./exportcontacts/
//	LMBENCH_ZIP_USERS=100000 go test -run '^$' -bench ReadExportZip -benchtime 1x ./exportcontacts/
func BenchmarkReadExportZip(b *testing.B) {
	users := envInt(b, "LMBENCH_ZIP_USERS", 20000)
	contacts := envInt(b, "LMBENCH_ZIP_CONTACTS", 50)
	p := filepath.Join(b.TempDir(), "bench.zip")
	total := writeLargeZip(b, p, users, contacts)
	fi, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	var peak uint64
	cpu0 := cpuSeconds()
	for b.Loop() {
		n, pk, _ := readMeasured(b, p, users, 1000)
		if n != total {
			b.Fatalf("read %d contacts, want %d", n, total)
		}
		peak = max(peak, pk)
	}
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(total)*float64(b.N)/cpu, "contacts/cpu-s")
	}
	b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
	b.ReportMetric(float64(peak)/mib, "peak-heap-MiB")
	b.ReportMetric(float64(fi.Size())/mib, "zip-MiB")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(rss, "peak-RSS-MiB")
	}
}

// BenchmarkExportZipPipeline is the Run's offline core without its log: read, map, BAT
// rules, contacts + rejects CSV and user list, stats.
func BenchmarkExportZipPipeline(b *testing.B) {
	users := envInt(b, "LMBENCH_ZIP_USERS", 20000)
	contacts := envInt(b, "LMBENCH_ZIP_CONTACTS", 50)
	dir := b.TempDir()
	p := filepath.Join(dir, "bench.zip")
	total := writeLargeZip(b, p, users, contacts)
	run := 0
	cpu0 := cpuSeconds()
	for b.Loop() {
		run++
		out := filepath.Join(dir, strconv.Itoa(run))
		if err := os.Mkdir(out, 0o700); err != nil {
			b.Fatal(err)
		}
		cw, err := createContactsCSV(createFile(b, filepath.Join(out, "ExportedContacts.csv")), csvOptions{})
		if err != nil {
			b.Fatal(err)
		}
		rejects := filepath.Join(out, "ExportedContactsRejected.csv")
		rw := newRejectsCSV(rejects, opener(b, rejects), csvOptions{})
		uw := createUserList(createFile(b, filepath.Join(out, "UserList.txt")))
		var st contactStats
		n := 0
		err = readExport(p, func(cl *contactList) error {
			n += len(cl.Contacts)
			log := discard()
			rows := mapRows(cl, mapOptions{}, log)
			ok, rej := splitRows(rows, log)
			for _, r := range ok {
				if err := cw.Write(r); err != nil {
					return err
				}
			}
			for _, r := range rej {
				if err := rw.Write(r); err != nil {
					return err
				}
			}
			st.Add(distinctContacts(ok))
			return uw.Write(cl.Owner)
		})
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range []interface{ Close() error }{cw, rw, uw} {
			if err := c.Close(); err != nil {
				b.Fatal(err)
			}
		}
		if n != total {
			b.Fatalf("read %d contacts, want %d", n, total)
		}
		if err := os.RemoveAll(out); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(total)*float64(b.N)/cpu, "contacts/cpu-s")
	}
	b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(rss, "peak-RSS-MiB")
	}
}
