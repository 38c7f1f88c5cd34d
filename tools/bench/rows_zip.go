package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/exportgen"
)

// zipPath is the generated Export-CsUserData zip of users × contacts; it is kept in the work
// folder between runs (the generator is deterministic), so only the first bench pays for it.
func (e *env) zipPath(users int) (string, error) {
	p := filepath.Join(e.o.dir, fmt.Sprintf("export-%dx%d.zip", users, e.o.contacts))
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	t0 := time.Now()
	tmp := p + ".tmp"
	if _, err := exportgen.WriteZip(tmp, users, e.o.contacts); err != nil {
		os.Remove(tmp)
		return "", err
	}
	progress("  generated %s in %.1f s", p, time.Since(t0).Seconds())
	return p, os.Rename(tmp, p)
}

// runExportZip exports every user of a generated zip offline (no AD: the log WARNs so).
func (e *env) runExportZip(ctx context.Context, r *row, users int) error {
	zip, err := e.zipPath(users)
	if err != nil {
		return err
	}
	dir, err := e.runDir(r, "")
	if err != nil {
		return err
	}
	// the CSV of 100,000 users is hundreds of MB: never kept
	defer os.RemoveAll(dir)
	run, ok, err := e.product(ctx, r, dir, nil, "exportcontacts", "-f", "ALL", "--from-export", zip)
	if err != nil || !ok {
		return err
	}
	contacts := users * e.o.contacts
	if err := expectExport(run, dir, users, contacts, exportgen.CSVRows(users, e.o.contacts)); err != nil {
		return err
	}
	record(r, run, users, contacts)
	return nil
}
