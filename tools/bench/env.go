package main

import (
	"os"
	"path/filepath"
	"time"

	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
	"github.com/lyncmigrate/lyncmigrate/internal/testad"
	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// benchOU is the bench's own OU (other packages seed theirs on the same DC).
const benchOU = "LyncmigrateBench"

// env is one bench run's servers, binaries and data.
type env struct {
	o         options
	root      string
	self      string // this program, re-run as a child for the plain loops
	lync      string // the built lyncmigrate
	rtcsim    string // the built rtcsim ("" when cmd/rtcsim does not exist yet)
	ad        lab.AD
	ouDN      string
	users     []lab.User
	usersFile string // the users' SIP URIs, one per line
	golden    string // the seeded rtcsim database each SQL row starts from a copy of
	runs      string // one folder per row: logs, backups, CSVs
	shm       string // a tmpfs folder for the "backup on tmpfs" rows ("" without /dev/shm)
	unlock    func()
}

func setup(o options) (*env, error) {
	e := &env{o: o}
	var err error
	if e.root, err = lyncmigrate.Root(); err != nil {
		return nil, err
	}
	if e.self, err = os.Executable(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return nil, err
	}
	// one bench at a time: they share the folder, the OU and the users
	if e.unlock, err = testad.Lock(filepath.Join(o.dir, ".lock"), func(s string) { progress("%s", s) }); err != nil {
		return nil, err
	}
	bin := filepath.Join(o.dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return nil, e.fail(err)
	}
	e.runs = filepath.Join(o.dir, "runs")
	if err := os.RemoveAll(e.runs); err != nil {
		return nil, e.fail(err)
	}
	progress("building lyncmigrate and rtcsim into %s", bin)
	if e.lync, err = lab.Build(e.root, "./cmd/lyncmigrate", bin, "lyncmigrate"); err != nil {
		return nil, e.fail(err)
	}
	if _, err := os.Stat(filepath.Join(e.root, "cmd", "rtcsim", "main.go")); err == nil {
		if e.rtcsim, err = lab.Build(e.root, "./cmd/rtcsim", bin, "rtcsim"); err != nil {
			return nil, e.fail(err)
		}
	}
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if e.shm, err = os.MkdirTemp("/dev/shm", "lyncmigrate-bench-"); err != nil {
			e.shm = ""
		}
	}

	progress("Samba AD DC …")
	if e.ad, err = lab.FindAD(); err != nil {
		return nil, e.fail(err)
	}
	if e.ad.Log != "" {
		progress("%s", e.ad.Log)
		progress("started the shared DC in %s; it stops once the last process using it has ended (make ad-up keeps one)", e.ad.Dir)
	}
	e.users = benchUsers(o.users)
	e.usersFile = filepath.Join(o.dir, "users.txt")
	if err := writeLines(e.usersFile, sipsOf(e.users)); err != nil {
		return nil, e.fail(err)
	}
	t0 := time.Now()
	if e.ouDN, err = e.ad.SeedOU(benchOU); err != nil {
		return nil, e.fail(err)
	}
	if err := e.ad.AddUsers(e.ouDN, e.users); err != nil {
		return nil, e.fail(err)
	}
	progress("%d users added under %s in %.1f s", len(e.users), e.ouDN, time.Since(t0).Seconds())
	// Samba answers modifies slowly for a while after a bulk add: one unmeasured pass of
	// modifies over the users, so that the first measured row does not pay for it
	t0 = time.Now()
	if err := e.ad.Reenable(e.ouDN, e.users); err != nil {
		return nil, e.fail(err)
	}
	progress("warm-up: a modify per user in %.1f s", time.Since(t0).Seconds())
	if e.rtcsim != "" {
		t0 = time.Now()
		e.golden = filepath.Join(o.dir, "rtc-golden.sqlite")
		if err := seedRTC(e.golden, o.schema, e.users, o.contacts); err != nil {
			return nil, e.fail(err)
		}
		progress("rtcsim database (%s) of %d users × %d contacts in %.1f s", o.schema, len(e.users), o.contacts, time.Since(t0).Seconds())
	}
	return e, nil
}

// fail cleans up what setup made so far and returns err.
func (e *env) fail(err error) error {
	e.cleanup()
	return err
}

func (e *env) cleanup() {
	if e.unlock != nil {
		defer e.unlock()
	}
	if e.shm != "" {
		os.RemoveAll(e.shm)
	}
	if !e.o.keep {
		if e.ouDN != "" {
			if err := e.ad.DeleteOU(benchOU); err != nil {
				progress("cleanup: %v", err)
			}
		}
		os.RemoveAll(e.runs)
	}
}
