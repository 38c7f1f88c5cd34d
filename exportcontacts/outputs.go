package exportcontacts

import (
	"errors"
	"fmt"
	"os"

	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// outputs are the files of a NORMAL run, written by one goroutine.
type outputs struct {
	contacts *contactsWriter
	rejects  *rejectsWriter
	users    *userListWriter
}

// newOutputs opens the contacts CSV and the user list the session reserved (next to
// the log, or in --out-dir); the rejects file is opened at its first row.
func newOutputs(s *run.Session, opts csvOptions) (*outputs, error) {
	cf, err := s.Open(ContactsPrefix)
	if err != nil {
		return nil, fmt.Errorf("contacts file: %w", err)
	}
	cw, err := createContactsCSV(cf, opts)
	if err != nil {
		return nil, err
	}
	uf, err := s.Open(UserListPrefix)
	if err != nil {
		_ = cw.Close()
		return nil, fmt.Errorf("user list: %w", err)
	}
	rejects := newRejectsCSV(s.Path(RejectsPrefix), func() (*os.File, error) { return s.Open(RejectsPrefix) }, opts)
	return &outputs{contacts: cw, rejects: rejects, users: createUserList(uf)}, nil
}

// write appends one processed owner: its rows, its rejected rows, then its line
// of the user list.
func (o *outputs) write(u *userOut) error {
	for _, r := range u.rows {
		if err := o.contacts.Write(r); err != nil {
			return err
		}
	}
	for _, rj := range u.rejected {
		if err := o.rejects.Write(rj); err != nil {
			return err
		}
	}
	return o.users.Write(u.rec.User)
}

// close flushes, syncs and closes every file, reporting every failure.
func (o *outputs) close() error {
	return errors.Join(o.contacts.Close(), o.rejects.Close(), o.users.Close())
}
