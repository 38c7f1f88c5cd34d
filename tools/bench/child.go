package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/tools/internal/lab"
)

// The plain loops run in a child process of their own, like the product, so that their time
// includes the same start-up and their peak RSS is theirs alone. The child gets its settings,
// the test passwords included, in its environment: never on a command line.
const childEnv = "LMBENCH_CHILD"

const (
	modePlainDisable = "plain-disable"
	modePlainDelete  = "plain-delete"
	modePlainRead    = "plain-read"
)

type childConfig struct {
	Mode     string
	File     string // the users' SIP URIs
	Workers  int
	LDAPURL  string
	LDAPHost string // TLS server name
	CAFile   string
	BindDN   string
	Password string
	Base     string
	DSN      string // go-mssqldb connection string (rtcsim)
}

// child runs a plain loop in a child process and measures it.
func (e *env) child(ctx context.Context, c childConfig) (lab.Run, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return lab.Run{}, err
	}
	cmd := exec.CommandContext(ctx, e.self)
	cmd.Env = append(os.Environ(), childEnv+"="+string(b))
	run, err := lab.Measure(cmd, lab.Options{PeakRSS: true})
	if err != nil {
		return run, err
	}
	if run.Exit != 0 {
		return run, fmt.Errorf("%s: exit %d: %s", c.Mode, run.Exit, lab.Tail(run.Stderr, 8))
	}
	return run, nil
}

// childMain is the child side: it runs one loop and prints a --json-like summary line.
func childMain() int {
	var c childConfig
	if err := json.Unmarshal([]byte(os.Getenv(childEnv)), &c); err != nil {
		fmt.Fprintln(os.Stderr, "bench child:", err)
		return 2
	}
	b, err := os.ReadFile(c.File)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench child:", err)
		return 2
	}
	uris := strings.Fields(string(b))
	ctx := context.Background()
	var processed, contacts int
	switch c.Mode {
	case modePlainDisable:
		var p *ldapPool
		if p, err = dialPool(c.LDAPURL, c.LDAPHost, c.CAFile, c.BindDN, c.Password, min(max(c.Workers/2, 1), 4)); err == nil {
			processed, err = plainDisable(ctx, p, c.Base, uris, c.Workers)
		}
	case modePlainDelete:
		processed, err = plainDelete(ctx, c.DSN, uris, c.Workers)
	case modePlainRead:
		processed, contacts, err = plainRead(ctx, c.DSN, uris, c.Workers)
	default:
		err = fmt.Errorf("unknown mode %q", c.Mode)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench child %s: %v\n", c.Mode, err)
		return 1
	}
	fmt.Printf(`{"summary":{"processed":%d,"contacts":{"total":%d}}}`+"\n", processed, contacts)
	return 0
}
