package run

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

// File is a file of the run beside the log: a backup, a CSV, a user list.
// Start reserves it with the log's stamp (created empty, 0600) and holds the
// name for the whole run: a job never gives a reserved name back, it writes
// to it through Open (or Path) and leaves the rest to Finish, which removes
// what the run did not use:
//   - a record (Output false: a backup) stays when anything was written to
//     it, whatever the end of the run, and goes when it is empty;
//   - an output (Output true: what the next step reads, export's CSV and user
//     list) stays once the job has opened it, even empty (a run without a
//     processed user still leaves an empty user list), and goes when it was
//     never opened, or after a panic, when what it holds is unknown.
type File struct {
	Prefix string // the name is <Prefix><ts><Ext>: "DisableAccountBackup"
	Ext    string // ".ldif"
	Dir    string // "" means the log folder
	Output bool
}

// reserved is one File of a running session.
type reserved struct {
	File
	path   string
	f      *os.File // set by Open; closed by Finish if the job left it open
	opened bool
}

// Path is the reserved path of the file of the set with this prefix
// ("DisableAccountBackup"), or "" if none was asked for.
func (s *Session) Path(prefix string) string {
	if r := s.files[prefix]; r != nil {
		return r.path
	}
	return ""
}

// Open opens the reserved file with this prefix for writing (appending to
// what is there: nothing, the first time). Only the first Open of a file
// succeeds. The job closes the file; Finish closes it if the job did not
// (after a panic), then settles it (see File).
func (s *Session) Open(prefix string) (*os.File, error) {
	s.filesMu.Lock()
	defer s.filesMu.Unlock()
	r := s.files[prefix]
	switch {
	case r == nil:
		return nil, fmt.Errorf("open %s: not a file of this run", prefix)
	case r.opened:
		return nil, fmt.Errorf("open %s: already open", r.path)
	}
	f, err := os.OpenFile(r.path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	r.f, r.opened = f, true
	return f, nil
}

// settleFiles, at Finish, closes the files the job left open and removes the
// ones the run did not use (see File). Problems are WARNed: the run's own
// outcome stands.
func (s *Session) settleFiles(panicked bool) {
	s.filesMu.Lock()
	defer s.filesMu.Unlock()
	for _, r := range s.fileOrder {
		if r.f != nil {
			if err := r.f.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
				s.log.Warnf("close %s: %v", r.path, err)
			}
			r.f = nil
		}
		why := ""
		switch {
		case r.Output && !r.opened:
			why = "nothing was written to it"
		case r.Output && panicked:
			why = "the run stopped on an internal error: what it holds is unknown"
		case !r.Output:
			fi, err := os.Stat(r.path)
			if err != nil || fi.Size() > 0 {
				continue // gone already, or it holds a record
			}
			why = "nothing was written to it"
		default:
			continue
		}
		if err := os.Remove(r.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			s.log.Warnf("remove %s: %v", r.path, err)
			continue
		}
		if r.Output && r.opened {
			s.log.Warnf("%s removed: %s", r.path, why)
		} else {
			s.log.Debugf("%s removed: %s", r.path, why)
		}
	}
}

// files of a session: filled by Start, then read-only but for Open's marks.
type fileSet struct {
	filesMu   sync.Mutex
	files     map[string]*reserved // Prefix -> file
	fileOrder []*reserved
}
