package exportcontacts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/lyncmigrate/lyncmigrate/internal/adclient"
	"github.com/lyncmigrate/lyncmigrate/internal/input"
	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// errStopRead ends the read of an export file early (Ctrl-C): the lists not yet
// read are not attempted.
var errStopRead = errors.New("read stopped")

// runOffline exports from an Export-CsUserData zip or a DBImpExp XML file
// (--from-export). The file is streamed once; the owners come out in file order.
func (j *job) runOffline(ctx context.Context, list *input.List) (err error) {
	file, err := j.exportFile()
	if err != nil {
		return err
	}
	var ts []target
	if !list.All {
		if ts, err = j.resolve(ctx, list); err != nil {
			return err
		}
		if len(ts) == 0 {
			j.log.Warnf("No user left to export")
			return nil
		}
	}
	if ctx.Err() != nil {
		return nil // interrupted while resolving: the rest is not attempted
	}
	if err := j.sourceReady(); err != nil {
		return err
	}
	defer func() { err = errors.Join(err, j.closeFiles(err)) }()
	j.log.Infof("Reading contact lists from %s", j.cfg.FromExport)
	if list.All {
		// Owners are reported as they are read, never Expected: the session's list
		// of expected users would grow with the file (SPEC 3.8: flat memory). After
		// a Ctrl-C the owners not read yet are not counted: nobody named them.
		return j.offlineAll(ctx, file)
	}
	return j.offlineList(ctx, file, ts)
}

// checkExportFile refuses, before any connection, an export file that is not
// there (an input error: exit 2, with the log).
func (j *job) checkExportFile() error {
	if j.cfg.FromExport == "" || j.cfg.FromExport == "-" {
		return nil
	}
	fi, err := os.Stat(j.cfg.FromExport)
	switch {
	case err != nil:
		return result.Usage(fmt.Errorf("--from-export: %w", err))
	case fi.IsDir():
		return result.Usage(fmt.Errorf("--from-export %s: a folder; give the Export-CsUserData zip or the DBImpExp XML file", j.cfg.FromExport))
	}
	return nil
}

// exportFile is the file to read: --from-export, or standard input (-) copied to a
// private temporary file, since a zip is read from its end.
func (j *job) exportFile() (string, error) {
	if j.cfg.FromExport != "-" {
		return j.cfg.FromExport, nil
	}
	if j.cfg.Common.Stdin == nil {
		return "", result.Usage(errors.New("--from-export -: no standard input to read"))
	}
	f, err := os.CreateTemp("", "lyncmigrate-export-*") // 0600
	if err != nil {
		return "", result.Fatal(fmt.Errorf("--from-export -: %w", err))
	}
	j.cleanups = append(j.cleanups, func() { _ = os.Remove(f.Name()) })
	_, err = io.Copy(f, j.cfg.Common.Stdin)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", result.Fatal(fmt.Errorf("--from-export -: read standard input: %w", err))
	}
	return f.Name(), nil
}

// readError makes a failed read of the export file fatal: the users not reached
// are not attempted.
func readError(err error) error {
	if errors.Is(err, errStopRead) {
		return nil
	}
	return result.Fatal(err)
}

// offlineList exports the users of the input file: each list of the export file
// whose owner was asked for is processed as it is read; the asked-for users the
// file does not hold are not_found.
func (j *job) offlineList(ctx context.Context, file string, ts []target) error {
	wanted := make(map[string]int, len(ts))
	for i, t := range ts {
		wanted[t.key()] = i
	}
	done := make([]bool, len(ts))
	others := 0
	err := readLists(ctx, file, func(cl *contactList) error {
		i, ok := wanted[ownerKey(cl.Owner)]
		switch {
		case !ok:
			others++
			return nil
		case done[i]:
			j.log.Warnf("A second contact list of %s in %s ignored: the first one was exported", ts[i].uri, j.cfg.FromExport)
			return nil
		}
		done[i] = true
		return j.emitUser(j.process(ts[i], cl))
	})
	if err != nil {
		return readError(err)
	}
	if ctx.Err() != nil {
		return nil
	}
	if others > 0 {
		j.log.Infof("%d other contact lists in %s were not asked for (-f)", others, j.cfg.FromExport)
	}
	for i, t := range ts {
		if !done[i] {
			j.report(t, result.NotFound, "no contact list for this user in "+j.cfg.FromExport)
		}
	}
	return nil
}

// offlineAll exports every owner of the file (-f ALL with --from-export). With
// --ldap-server the owners are checked in AD in batches as they are read.
func (j *job) offlineAll(ctx context.Context, file string) error {
	batch := adclient.FilterChunk
	if j.ad == nil {
		batch = 1
	}
	var ts []target
	var lists []*contactList
	flush := func() error {
		defer func() { ts, lists = ts[:0], lists[:0] }()
		if len(ts) == 0 {
			return nil
		}
		var found map[string][]adclient.Entry
		if j.ad != nil {
			var err error
			// The batch in hand finishes after a Ctrl-C, as users in flight do.
			if found, err = j.lookupAD(context.WithoutCancel(ctx), ts); err != nil {
				return err
			}
		}
		for i, t := range ts {
			if j.ad != nil {
				if o, why := adVerdict(found[t.uri]); o != result.Processed {
					j.report(t, o, why)
					continue
				}
			}
			if err := j.emitUser(j.process(t, lists[i])); err != nil {
				return err
			}
		}
		return nil
	}
	take := func(t target, cl *contactList) error {
		ts, lists = append(ts, t), append(lists, cl)
		if len(ts) >= batch {
			return flush()
		}
		return nil
	}
	first := map[string]int32{} // owner key -> position of the owner's first list in the file
	var pos int32
	err := readLists(ctx, file, func(cl *contactList) error {
		pos++
		owner := ownerAddress(cl.Owner)
		t := target{uri: "sip:" + owner}
		if !strings.Contains(owner, "@") {
			j.report(t, result.Error, fmt.Sprintf("a contact list in %s has no valid owner address (%q)", j.cfg.FromExport, cl.Owner))
			return nil
		}
		k := strings.ToLower(owner)
		if p, ok := first[k]; ok {
			j.log.Warnf("Duplicate user %s (a second contact list in the export file) ignored: first from contact list %d of the file", t.uri, p)
			j.sess.AddDuplicates(1)
			return nil
		}
		first[k] = pos
		return take(t, cl)
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return readError(err)
	}
	return nil
}

// readLists streams the lists of the export file to fn, in file order, from a
// reader goroutine of its own: XML parsing and the mapping and writing then use
// two cores. After a Ctrl-C the reader stops; the lists already read are still
// handed to fn. An error from fn stops the reader and is returned.
func readLists(ctx context.Context, file string, fn func(*contactList) error) error {
	ch := make(chan *contactList, 64)
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		defer close(ch)
		defer func() {
			if r := recover(); r != nil { // a reader bug must not lose the log's summary
				readErr <- &run.PanicError{Value: r, Stack: debug.Stack()}
			}
		}()
		readErr <- readExport(file, func(cl *contactList) error {
			if ctx.Err() != nil {
				return errStopRead
			}
			select {
			case ch <- cl:
				return nil
			case <-stop:
				return errStopRead
			}
		})
	}()
	var fnErr error
	for cl := range ch {
		if fnErr != nil {
			continue // let the reader see stop
		}
		if fnErr = fn(cl); fnErr != nil {
			close(stop)
		}
	}
	if err := <-readErr; fnErr == nil {
		return err
	}
	return fnErr
}
