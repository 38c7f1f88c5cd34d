package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"

	_ "github.com/microsoft/go-mssqldb" // the "sqlserver" driver

	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// rtcPassword is rtcsim's sa password in the bench (a throw-away server on loopback).
const rtcPassword = "Bench-rtcsim-1"

// withRTC starts an rtcsim on a fresh copy of the seeded database, runs fn, and stops it.
func (e *env) withRTC(r *row, fn func(*lab.RTC) error) error {
	db := filepath.Join(e.o.dir, "rtc-"+slug(r.name)+".sqlite")
	if err := copyDB(e.golden, db); err != nil {
		return err
	}
	defer func() {
		for _, s := range []string{"", "-wal", "-shm"} {
			os.Remove(db + s)
		}
	}()
	rtc, err := lab.StartRTC(lab.RTCOptions{Binary: e.rtcsim, Schema: e.o.schema, DB: db, Password: rtcPassword, LogDir: e.o.dir})
	if err != nil {
		return err
	}
	defer rtc.Stop()
	return fn(rtc)
}

func (e *env) sqlArgs(rtc *lab.RTC) []string {
	return []string{"--sql-server", rtc.Addr, "--sql-auth", "sql", "--sql-user", rtc.User}
}

func sqlEnv(rtc *lab.RTC) []string { return []string{"LYNCMIGRATE_SQL_PASSWORD=" + rtc.Password} }

// roundTrips runs fn and returns rtcsim's requests per user meanwhile: the
// SQL round trips of the measured child, connecting included.
func (e *env) roundTrips(rtc *lab.RTC, fn func() error) (float64, error) {
	start, err := rtc.Stats()
	if err != nil {
		return 0, err
	}
	if err := fn(); err != nil {
		return 0, err
	}
	end, err := rtc.Stats()
	if err != nil {
		return 0, err
	}
	return float64(end.Sub(start).Requests) / float64(len(e.users)), nil
}

func (e *env) runPlainDelete(ctx context.Context, r *row) error {
	return e.withRTC(r, func(rtc *lab.RTC) error {
		var run lab.Run
		trips, err := e.roundTrips(rtc, func() (err error) {
			run, err = e.child(ctx, childConfig{Mode: modePlainDelete, File: e.usersFile, Workers: e.o.workers, DSN: rtc.DSN()})
			return err
		})
		if err != nil {
			return err
		}
		if err := expectOutcomes(run, len(e.users)); err != nil {
			return err
		}
		if err := checkDeleted(rtc, len(e.users)); err != nil {
			return err
		}
		record(r, run, len(e.users), 0)
		r.trips = trips
		return nil
	})
}

func (e *env) runDelete(ctx context.Context, r *row, m mode) error {
	base := ""
	if m == backupOnTmpfs {
		base = e.shm
	}
	dir, err := e.runDir(r, base)
	if err != nil {
		return err
	}
	return e.withRTC(r, func(rtc *lab.RTC) error {
		args := append([]string{"deleteaccount", "-f", e.usersFile, "--max-users", fmt.Sprint(len(e.users))}, e.sqlArgs(rtc)...)
		switch m {
		case dryRun:
			args = append(args, "--dry-run")
		case trial:
			args = append(args, "--trial")
		}
		var (
			run lab.Run
			ok  bool
		)
		trips, err := e.roundTrips(rtc, func() (err error) {
			run, ok, err = e.product(ctx, r, dir, sqlEnv(rtc), args...)
			return err
		})
		if err != nil || !ok {
			return err
		}
		if err := expectOutcomes(run, len(e.users)); err != nil {
			return err
		}
		want := len(e.users)
		if m == dryRun || m == trial {
			want = 0
		}
		if err := checkDeleted(rtc, want); err != nil {
			return err
		}
		record(r, run, len(e.users), 0)
		r.trips = trips
		return nil
	})
}

// checkDeleted checks that want of the users lost their homed data (all or none: contact
// lists, policies, directory rows) and that every Resource row stayed.
func checkDeleted(rtc *lab.RTC, want int) error {
	db, err := sql.Open("sqlserver", rtc.DSN())
	if err != nil {
		return err
	}
	defer db.Close()
	var resources, owners, policies, dirs int
	err = db.QueryRow(`SELECT (SELECT COUNT(*) FROM Resource), (SELECT COUNT(DISTINCT OwnerId) FROM Contact),
		(SELECT COUNT(*) FROM UserPolicy), (SELECT COUNT(*) FROM ResourceDirectory)`).Scan(&resources, &owners, &policies, &dirs)
	if err != nil {
		return fmt.Errorf("check rtcsim: %w", err)
	}
	left := resources - want
	if owners != left || policies != left || dirs != left {
		return fmt.Errorf("check rtcsim: %d Resource rows; users with contacts %d, with a policy %d, in ResourceDirectory %d; want %d each",
			resources, owners, policies, dirs, left)
	}
	return nil
}

func (e *env) runPlainRead(ctx context.Context, r *row) error {
	return e.withRTC(r, func(rtc *lab.RTC) error {
		run, err := e.child(ctx, childConfig{Mode: modePlainRead, File: e.usersFile, Workers: e.o.workers, DSN: rtc.DSN()})
		if err != nil {
			return err
		}
		want := len(e.users) * e.o.contacts
		if run.Summary == nil || run.Summary.Processed != len(e.users) || run.Summary.Contacts == nil || run.Summary.Contacts.Total != want {
			return fmt.Errorf("plain read: %+v, want %d users and %d contacts", run.Summary, len(e.users), want)
		}
		record(r, run, len(e.users), want)
		return nil
	})
}

func (e *env) runExportRTC(ctx context.Context, r *row) error {
	dir, err := e.runDir(r, "")
	if err != nil {
		return err
	}
	return e.withRTC(r, func(rtc *lab.RTC) error {
		args := append([]string{"exportcontacts", "-f", e.usersFile}, e.ldapArgs()...)
		args = append(args, e.sqlArgs(rtc)...)
		run, ok, err := e.product(ctx, r, dir, append(e.ldapEnv(), sqlEnv(rtc)...), args...)
		if err != nil || !ok {
			return err
		}
		contacts := len(e.users) * e.o.contacts
		if err := expectExport(run, dir, len(e.users), contacts, exportRows(len(e.users), e.o.contacts)); err != nil {
			return err
		}
		record(r, run, len(e.users), contacts)
		return nil
	})
}

// runVerify runs verify with its HTML report over every user, reading AD and rtcsim. The users
// are still SIP-enabled in AD (the disable rows put them back), so each is not_disabled and the
// run ends with exit 1; verify reads AD and every table for every user whatever the state, so
// the work is that of a check after a real migration.
func (e *env) runVerify(ctx context.Context, r *row) error {
	dir, err := e.runDir(r, "")
	if err != nil {
		return err
	}
	return e.withRTC(r, func(rtc *lab.RTC) error {
		args := append([]string{"verify", "-f", e.usersFile, "--report", filepath.Join(dir, "verify.html")}, e.ldapArgs()...)
		args = append(args, e.sqlArgs(rtc)...)
		run, ok, err := e.productExit(ctx, r, dir, append(e.ldapEnv(), sqlEnv(rtc)...), 1, args...)
		if err != nil || !ok {
			return err
		}
		if n := run.Summary.States["not_disabled"]; n != len(e.users) || run.Summary.Errors != len(e.users) {
			return fmt.Errorf("verify: %d users not_disabled (states %v), want %d", n, run.Summary.States, len(e.users))
		}
		if fi, err := os.Stat(filepath.Join(dir, "verify.html")); err != nil || fi.Size() == 0 {
			return fmt.Errorf("verify wrote no report: %v", err)
		}
		record(r, run, len(e.users), 0)
		return nil
	})
}

// expectExport checks an export: every user processed, the contact total, and the CSV's rows
// (one per contact and group, header excluded).
func expectExport(run lab.Run, dir string, users, contacts, rows int) error {
	if err := expectOutcomes(run, users); err != nil {
		return err
	}
	if c := run.Summary.Contacts; c == nil || c.Total != contacts {
		return fmt.Errorf("summary contacts %+v, want a total of %d", run.Summary.Contacts, contacts)
	}
	csvs, _ := filepath.Glob(filepath.Join(dir, "ExportedContacts2*.csv"))
	if len(csvs) != 1 {
		return fmt.Errorf("%d ExportedContacts CSV files in %s, want 1", len(csvs), dir)
	}
	n, err := countLines(csvs[0])
	if err != nil {
		return err
	}
	if n-1 != rows {
		return fmt.Errorf("%s: %d rows, want %d", csvs[0], n-1, rows)
	}
	return nil
}

func countLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	n := 0
	for {
		k, err := f.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
