package main

import (
	"context"
	"fmt"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// runPlainDisable measures the plain go-ldap loop (a child process, like the product) and
// checks that it disabled every user; then puts them back.
func (e *env) runPlainDisable(ctx context.Context, r *row) error {
	run, err := e.child(ctx, childConfig{Mode: modePlainDisable, File: e.usersFile, Workers: e.o.workers,
		LDAPURL: e.ad.URL, LDAPHost: e.ad.Server(), CAFile: e.ad.CAFile, BindDN: e.ad.BindDN, Password: e.ad.Password, Base: e.ad.Base})
	if err != nil {
		return err
	}
	if err := expectOutcomes(run, len(e.users)); err != nil {
		return err
	}
	if err := e.checkDisabled(len(e.users)); err != nil {
		return err
	}
	record(r, run, len(e.users), 0)
	return e.reenable()
}

// runDisable runs disableaccount in the given mode and checks its outcome in AD.
func (e *env) runDisable(ctx context.Context, r *row, m mode) error {
	base := ""
	if m == backupOnTmpfs {
		base = e.shm
	}
	dir, err := e.runDir(r, base)
	if err != nil {
		return err
	}
	args := append([]string{"disableaccount", "-f", e.usersFile, "--max-users", fmt.Sprint(len(e.users))}, e.ldapArgs()...)
	if m == dryRun {
		args = append(args, "--dry-run")
	}
	run, ok, err := e.product(ctx, r, dir, e.ldapEnv(), args...)
	if err != nil || !ok {
		return err
	}
	if err := expectOutcomes(run, len(e.users)); err != nil {
		return err
	}
	want := len(e.users)
	if m == dryRun {
		want = 0
	}
	if err := e.checkDisabled(want); err != nil {
		return err
	}
	record(r, run, len(e.users), 0)
	if m == dryRun {
		return nil
	}
	return e.reenable()
}

// checkDisabled counts the bench users that AD says are disabled (msRTCSIP-UserEnabled FALSE
// and no home server): a benchmark of a run that did not do its work is worthless.
func (e *env) checkDisabled(want int) error {
	c, err := e.ad.Dial()
	if err != nil {
		return err
	}
	defer c.Close()
	req := ldap.NewSearchRequest(e.ouDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(&(objectClass=user)(msRTCSIP-UserEnabled=FALSE)(!(msRTCSIP-PrimaryHomeServer=*)))", []string{"cn"}, nil)
	res, err := c.SearchWithPaging(req, 1000)
	if err != nil {
		return fmt.Errorf("check AD: %w", err)
	}
	if len(res.Entries) != want {
		return fmt.Errorf("check AD: %d users disabled, want %d", len(res.Entries), want)
	}
	return nil
}

func (e *env) reenable() error {
	t0 := time.Now()
	if err := e.ad.Reenable(e.ouDN, e.users); err != nil {
		return err
	}
	progress("  users re-enabled in %.1f s", time.Since(t0).Seconds())
	return nil
}
