// Command rtcsim runs the project's simulated Lync/OCS rtc database (a TDS
// server over SQLite) for the demo, the benchmark and end-to-end tests. It is
// a test tool: the product never links it.
//
//	rtcsim --listen 127.0.0.1:14330 --schema lync2013 --seed sample --db rtc.sqlite
//	       [--user sa] [--instance RTC --browser 127.0.0.1:1434] [--populate 2000 --contacts 50]
//	       [--stats FILE] [--statement-log FILE]
//
// --schema takes a short name (ocs2007, lync2010, lync2013, lync2013-evidence,
// lync2013-evidence-unsafe: testdata/rtc/<name>.sql, built in) or a .sql file;
// --seed a bare name of testdata/rtc (sample, evidence-sample) or a file.
//
// --stats FILE: the server's counters as one JSON object (rtcsim.StatsRecord:
// seq, time, connections, requests — every round trip: SQL batches, RPCs,
// transaction requests —, batches, rpcs, transaction_requests, errors,
// write_requests, rows_written), written atomically when the process gets
// SIGUSR1 (not on Windows) and when it stops; seq grows with every write.
// --statement-log FILE: every request appended as a JSON line (rtcsim.Statement:
// time, spid, kind, verb, text, params, write, rows, written, error).
//
// The password comes from RTCSIM_PASSWORD (or --password, test setups only).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

type seeds []string

func (s *seeds) String() string     { return strings.Join(*s, ",") }
func (s *seeds) Set(v string) error { *s = append(*s, v); return nil }

// run is main without the process: it serves until ctx ends and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rtcsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		listen   = fs.String("listen", "127.0.0.1:14330", "TCP address for TDS clients")
		schema   = fs.String("schema", "lync2013", "schema: "+strings.Join(rtcsim.SchemaNames, ", ")+", or a .sql file")
		dbPath   = fs.String("db", "", "SQLite file (created with the schema if missing); default: a temporary file")
		fresh    = fs.Bool("fresh", false, "delete the --db file first")
		user     = fs.String("user", "sa", "SQL login to accept")
		password = fs.String("password", "", "its password (prefer RTCSIM_PASSWORD)")
		database = fs.String("database", "rtc", "database name")
		instance = fs.String("instance", "RTC", "instance name in the SQL Browser answer")
		browser  = fs.String("browser", "", "UDP address for the SQL Browser (e.g. 127.0.0.1:1434); empty: none")
		populate = fs.Int("populate", 0, "generate this many users (user<N>@bench.example.com)")
		contacts = fs.Int("contacts", 50, "contacts per generated user")
		busy     = fs.Duration("busy-timeout", 10*time.Second, "wait for a SQLite lock before reporting error 1205")
		verbose  = fs.Bool("verbose", false, "log every request on stderr")
		stats    = fs.String("stats", "", "write the counters to this JSON file on SIGUSR1 and at shutdown")
		stmtLog  = fs.String("statement-log", "", "append every request to this file as a JSON line")
		seedList seeds
	)
	fs.Var(&seedList, "seed", "T-SQL seed: a bare name of testdata/rtc (sample, evidence-sample) or a file (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "rtcsim: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	// Registered before the address is printed: a SIGUSR1 sent once a client
	// can connect waits in the channel instead of killing the process.
	dump := make(chan os.Signal, 1)
	notifyStats(dump)
	defer signal.Stop(dump)
	pw := getenv("RTCSIM_PASSWORD")
	if *password != "" {
		pw = *password
	}
	if pw == "" {
		fmt.Fprintln(stderr, "rtcsim: set RTCSIM_PASSWORD (or --password) to the password clients log in with")
		return 2
	}
	path := *dbPath
	if path == "" {
		dir, err := os.MkdirTemp("", "rtcsim")
		if err != nil {
			fmt.Fprintln(stderr, "rtcsim:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "rtc.sqlite")
	} else if *fresh {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				fmt.Fprintln(stderr, "rtcsim:", err)
				return 1
			}
		}
	}
	opts := rtcsim.Options{Schema: *schema, DBPath: path, User: *user, Password: pw, Database: *database, Instance: *instance, BusyTimeout: *busy}
	if *verbose {
		opts.Logf = rtcsim.StdLogf(stderr)
	}
	if *stmtLog != "" {
		f, err := os.OpenFile(*stmtLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintln(stderr, "rtcsim:", err)
			return 1
		}
		defer f.Close()
		opts.StatementLog = f
	}
	srv, err := rtcsim.Open(opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer srv.Close()
	for _, seed := range seedList {
		text, err := rtcsim.RTCFileText(seed)
		if err == nil {
			err = srv.Seed(ctx, seed, text)
		}
		if err != nil {
			fmt.Fprintln(stderr, "rtcsim: seed", seed+":", err)
			return 1
		}
	}
	if *populate > 0 {
		start := time.Now()
		if err := srv.Populate(ctx, rtcsim.Population{Users: *populate, Contacts: *contacts}); err != nil {
			fmt.Fprintln(stderr, "rtcsim:", err)
			return 1
		}
		fmt.Fprintf(stderr, "rtcsim: generated %d users x %d contacts in %v\n", *populate, *contacts, time.Since(start).Round(time.Millisecond))
	}
	addr, err := srv.Listen(*listen)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if *browser != "" {
		c, err := srv.ServeBrowser(*browser, addr)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		defer c.Close()
	}
	fmt.Fprintf(stdout, "rtcsim listening on %s (schema %s, database %s, db %s)\n", addr, *schema, *database, path)
	if *browser != "" {
		fmt.Fprintf(stdout, "rtcsim browser on udp %s: instance %s\n", *browser, *instance)
	}
	if *stats != "" {
		defer func() { // the final counts, at shutdown
			if err := writeStats(srv, *stats); err != nil {
				fmt.Fprintln(stderr, "rtcsim:", err)
			}
		}()
	}
	for ctx.Err() == nil {
		select {
		case <-dump:
			if *stats != "" {
				if err := writeStats(srv, *stats); err != nil {
					fmt.Fprintln(stderr, "rtcsim:", err)
				}
			}
		case <-ctx.Done():
		}
	}
	fmt.Fprintln(stdout, "rtcsim stopping")
	return 0
}

// writeStats replaces path with the server's counters (a temporary file
// renamed over it: a reader never sees half a record).
func writeStats(srv *rtcsim.Server, path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := srv.WriteStats(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
