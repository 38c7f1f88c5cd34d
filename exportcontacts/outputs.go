package exportcontacts

import (
	"errors"

	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// outputs are the files of a NORMAL run, written by one goroutine.
type outputs struct {
	contacts *ContactsWriter
	rejects  *RejectsWriter
	users    *UserListWriter
}

// openOutputs creates the contacts CSV and the user list at the names the session
// reserved (next to the log, or in --out-dir); the rejects file is created at its
// first row.
func openOutputs(s *run.Session, opts CSVOptions) (*outputs, error) {
	cw, err := CreateContactsCSV(s.Path(ContactsPrefix), opts)
	if err != nil {
		return nil, err
	}
	uw, err := CreateUserList(s.Path(UserListPrefix))
	if err != nil {
		_ = cw.Close()
		return nil, err
	}
	return &outputs{contacts: cw, rejects: NewRejectsCSV(s.Path(RejectsPrefix), opts), users: uw}, nil
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
