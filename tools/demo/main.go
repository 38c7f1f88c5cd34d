// Command demo is `make demo` (the README's first command): on a Debian machine, as root, it
// starts a throw-away Samba AD DC (scripts/samba-ad.sh, unless one runs) and an rtcsim seeded
// with the 50 people of testdata/demo — 20 migrating, 30 staying on Lync with migrating people
// on their lists — runs the runbook (exportcontacts, disableaccount --dry-run, disableaccount,
// deleteaccount --dry-run, deleteaccount with the AD gate), prints where every log and output
// went and one user before and after, checks the end state on both servers itself, and exits
// non-zero when it does not hold. The servers it started are stopped on every path.
// With -windows (make e2e-windows, through scripts/wine/run.sh) the steps run lyncmigrate.exe
// under Wine, and the checks of wine.go are added.
//
//	go run ./tools/demo [-out build/demo] [-skip deleteaccount] [-windows]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	lyncmigrate "github.com/lyncmigrate/lyncmigrate"
)

func main() {
	root, err := lyncmigrate.Root()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(2)
	}
	o := options{root: root, w: os.Stdout, ou: "LyncmigrateDemo", prefix: "dm-", domain: "demo.example.com"}
	flag.StringVar(&o.out, "out", filepath.Join(root, "build", "demo"), "output folder (emptied first): logs, CSVs, backups, the rtcsim database")
	flag.StringVar(&o.skip, "skip", "", "leave out one step (e.g. deleteaccount), to see the end-state check fail")
	flag.BoolVar(&o.keepOU, "keep-ou", false, "leave the demo's OU in AD (when the DC outlives the demo)")
	flag.BoolVar(&o.windows, "windows", false, "run lyncmigrate.exe under Wine, outputs beside the exe (make e2e-windows, through scripts/wine/run.sh); -out defaults to build/demo-windows")
	flag.Parse()
	if o.windows && !isFlagSet("out") {
		o.out = filepath.Join(root, "build", "demo-windows")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := demo(ctx, o); err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "\ndemo FAILED:", err)
		os.Exit(1)
	}
	fmt.Println("\ndemo OK")
}

func isFlagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
