// Command bench is `make bench` (SPEC 8): it provisions N users (default 2,000, 50 contacts each)
// in the Samba AD DC and in an rtcsim subprocess, runs each lyncmigrate command as a child
// process beside the plain loops (the same wire work with the libraries alone), and prints one
// markdown table: users/s, contacts/s, ratio to the plain loop and to Cisco's figures, peak RSS.
//
//	go run ./tools/bench [-n 2000] [-contacts 50] [-zip 25000,100000] [-workers 4] [-dir DIR] [-keep]
//
// Needs root (Samba). Tooling only: never imported by the product.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

type options struct {
	users    int
	contacts int
	zipSizes []int
	workers  int
	repeat   int
	dir      string
	keep     bool
	only     string
	schema   string // rtcsim's schema for the SQL rows
}

func main() {
	if lab.IsLauncher() {
		os.Exit(lab.Launch())
	}
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	var o options
	var zips string
	flag.IntVar(&o.users, "n", envInt("N", 2000), "users to provision in AD and rtcsim (env N)")
	flag.IntVar(&o.contacts, "contacts", 50, "contacts per user")
	flag.StringVar(&zips, "zip", "25000,100000", "users of the generated Export-CsUserData zips (two sizes show whether memory is flat)")
	flag.IntVar(&o.workers, "workers", 4, "--workers of every run (the product's default)")
	flag.IntVar(&o.repeat, "repeat", envInt("REPEAT", 1), "rounds over all rows; each row shows its fastest (env REPEAT)")
	flag.StringVar(&o.dir, "dir", "/tmp/lyncmigrate-bench", "work folder (binaries, databases, zips, logs)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work folder's logs and outputs and the AD OU")
	flag.StringVar(&o.only, "only", "", "comma-separated row groups to run: ldap, sql, export, zip, verify (default all)")
	flag.StringVar(&o.schema, "schema", envString("SCHEMA", "lync2013"), "rtcsim schema of the SQL rows: lync2013, lync2013-evidence, … (env SCHEMA)")
	flag.Parse()
	for f := range strings.SplitSeq(zips, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= o.contacts {
			fmt.Fprintf(os.Stderr, "bench: -zip %q: want numbers of users above -contacts\n", zips)
			os.Exit(2)
		}
		o.zipSizes = append(o.zipSizes, n)
	}
	if o.users < 2 || o.contacts < 1 || o.contacts >= o.users || o.repeat < 1 || o.workers < 1 {
		fmt.Fprintln(os.Stderr, "bench: want -n ≥ 2, 1 ≤ -contacts < -n, -repeat ≥ 1 and -workers ≥ 1")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rows, err := bench(ctx, o)
	if len(rows) > 0 {
		fmt.Printf("\n%d users × %d contacts, --workers %d, rtcsim schema %s, fastest of %d round(s)\n\n", o.users, o.contacts, o.workers, o.schema, o.repeat)
		writeTable(os.Stdout, rows)
		notes(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	for _, r := range rows {
		if strings.HasPrefix(r.status, "FAILED") {
			os.Exit(1)
		}
	}
}

func envString(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func (o options) want(group string) bool {
	if o.only == "" {
		return true
	}
	for g := range strings.SplitSeq(o.only, ",") {
		if strings.TrimSpace(g) == group {
			return true
		}
	}
	return false
}

// progress goes to stderr: the table is the only thing on stdout.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
