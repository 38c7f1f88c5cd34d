package main

import (
	"context"
	"fmt"
)

func bench(ctx context.Context, o options) ([]*row, error) {
	e, err := setup(o)
	if err != nil {
		return nil, err
	}
	defer e.cleanup()

	plainLDAP := &row{name: "plain go-ldap loop", measures: "OR-filter lookups of 200, one modify per user", unit: perUser, cisco: true}
	plainSQL := &row{name: "plain database/sql loop", measures: "lookup, then one transaction per user: the Lync 2013 plan", unit: perUser, cisco: true}
	plainRead := &row{name: "plain rtcsim contacts read", measures: "users resolved, groups, contacts and group links read in IN-lists", unit: perContact, cisco: true}
	disableDry := &row{name: "disableaccount --dry-run", measures: "lookups and the plan; no modify, no backup", unit: perUser, plain: plainLDAP, cisco: true}
	disableShm := &row{name: "disableaccount, backup on tmpfs", measures: "the real run; its backup's fsync costs nothing", unit: perUser, plain: plainLDAP, cisco: true}
	disable := &row{name: "disableaccount", measures: "the real run, backup synced to disk before each modify", unit: perUser, plain: plainLDAP, cisco: true}
	deleteDry := &row{name: "deleteaccount --dry-run", measures: "lookups and row counts; no transaction, no backup", unit: perUser, plain: plainSQL, cisco: true}
	deleteTrial := &row{name: "deleteaccount --trial", measures: "every transaction run, measured and rolled back; no backup", unit: perUser, plain: plainSQL, cisco: true}
	deleteShm := &row{name: "deleteaccount, backup on tmpfs", measures: "the real run; its backup's fsync costs nothing", unit: perUser, plain: plainSQL, cisco: true}
	del := &row{name: "deleteaccount", measures: "the real run, backup synced to disk before each commit", unit: perUser, plain: plainSQL, cisco: true}
	export := &row{name: "exportcontacts (rtcsim)", measures: "users resolved in AD, contacts read from rtcsim, CSV written", unit: perContact, plain: plainRead, cisco: true}
	verifyRow := &row{name: "verify --report", measures: "every user's state from AD and rtcsim (all tables), HTML report written", unit: perUser}
	rows := []*row{plainLDAP, plainSQL, plainRead, disableDry, disableShm, disable, deleteDry, deleteTrial, deleteShm, del, export, verifyRow}
	var zipRows []*row
	for _, n := range o.zipSizes {
		zr := &row{name: fmt.Sprintf("exportcontacts --from-export (%s users)", group(fmt.Sprint(n))),
			measures: "Export-CsUserData zip streamed, CSV written", unit: perContact, cisco: true}
		zipRows = append(zipRows, zr)
		rows = append(rows, zr)
	}
	skip := func(rs []*row, why string) {
		for _, r := range rs {
			if r.status == "" {
				r.status = why
			}
		}
	}
	if e.shm == "" {
		skip([]*row{disableShm, deleteShm}, "no /dev/shm")
	}
	if !o.want("ldap") {
		skip([]*row{plainLDAP, disableDry, disableShm, disable}, "not run (-only)")
	}
	if !o.want("sql") {
		skip([]*row{plainSQL, deleteDry, deleteTrial, deleteShm, del}, "not run (-only)")
	}
	if !o.want("export") {
		skip([]*row{plainRead, export}, "not run (-only)")
	}
	if !o.want("zip") {
		skip(zipRows, "not run (-only)")
	}
	if !o.want("verify") {
		skip([]*row{verifyRow}, "not run (-only)")
	}
	if e.rtcsim == "" {
		skip([]*row{plainSQL, plainRead, deleteDry, deleteTrial, deleteShm, del, export, verifyRow}, "no cmd/rtcsim yet")
	}

	type step struct {
		r  *row
		fn func(context.Context, *row) error
	}
	steps := []step{
		// the export reads the users while they are still Lync-enabled in AD
		{plainRead, e.runPlainRead},
		{export, e.runExportRTC},
		{verifyRow, e.runVerify},
		{plainLDAP, e.runPlainDisable},
		{disableDry, func(ctx context.Context, r *row) error { return e.runDisable(ctx, r, dryRun) }},
		{disableShm, func(ctx context.Context, r *row) error { return e.runDisable(ctx, r, backupOnTmpfs) }},
		{disable, func(ctx context.Context, r *row) error { return e.runDisable(ctx, r, backupOnDisk) }},
		{plainSQL, e.runPlainDelete},
		{deleteDry, func(ctx context.Context, r *row) error { return e.runDelete(ctx, r, dryRun) }},
		{deleteTrial, func(ctx context.Context, r *row) error { return e.runDelete(ctx, r, trial) }},
		{deleteShm, func(ctx context.Context, r *row) error { return e.runDelete(ctx, r, backupOnTmpfs) }},
		{del, func(ctx context.Context, r *row) error { return e.runDelete(ctx, r, backupOnDisk) }},
	}
	for i, zr := range zipRows {
		n := o.zipSizes[i]
		steps = append(steps, step{zr, func(ctx context.Context, r *row) error { return e.runExportZip(ctx, r, n) }})
	}
	// rounds interleave the rows, so that a noisy minute on a shared machine does not land on one
	// row only; each row keeps its fastest round and its highest peak RSS
	for round := 1; round <= o.repeat; round++ {
		for _, st := range steps {
			r := st.r
			if r.status != "" {
				continue
			}
			if err := ctx.Err(); err != nil {
				return rows, err
			}
			progress("%s (round %d of %d) …", r.name, round, o.repeat)
			m := &row{name: r.name, unit: r.unit}
			if err := st.fn(ctx, m); err != nil {
				r.status = "FAILED: " + firstLine(err.Error())
				progress("%s: %v", r.name, err)
				continue
			}
			if m.status != "" {
				r.status = m.status
				progress("%s: %s", r.name, r.status)
				continue
			}
			progress("%s: %.2f s, peak RSS %s", r.name, m.wall.Seconds(), mib(m.rssKB))
			if r.wall == 0 || m.wall < r.wall {
				r.wall, r.users, r.contacts, r.trips = m.wall, m.users, m.contacts, m.trips
			}
			r.rssKB = max(r.rssKB, m.rssKB)
		}
	}
	return rows, nil
}
