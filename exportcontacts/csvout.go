package exportcontacts

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
)

// File name prefixes of the export's outputs (SPEC 4); the Run adds "<ts>.csv"/"<ts>.txt"
// through the shared run-file reservation so that they share the log's timestamp.
const (
	ContactsPrefix = "ExportedContacts"
	RejectsPrefix  = "ExportedContactsRejected"
	UserListPrefix = "UserList"
)

// contactsHeader is the BAT column header (SPEC 4), fixed.
var contactsHeader = []string{"User ID", "User Domain", "Contact ID", "Contact Domain", "Nickname", "Group Name"}

// csvOptions are the flags that shape the CSV files.
type csvOptions struct {
	NoHeader    bool // --no-header (contacts file only: the rejects file is a report)
	StateColumn bool // --state-column: a 7th column State, "0"
}

// outFile is a text file for personal data — a file of the run, reserved by the session
// (0600, a name no other run takes: run.Session.Open) — buffered, UTF-8 without BOM,
// CRLF line ends (SPEC 3.3, 3.6). Not safe for concurrent use: the Run writes from one
// goroutine.
type outFile struct {
	path   string
	f      *os.File
	w      *bufio.Writer // 64 KiB: few write calls for a CSV of hundreds of MB
	csv    *csv.Writer   // over w
	closed bool
}

func newOut(f *os.File) *outFile {
	w := bufio.NewWriterSize(f, 64<<10)
	c := csv.NewWriter(w)
	c.UseCRLF = true
	return &outFile{path: f.Name(), f: f, w: w, csv: c}
}

// record writes one CSV record through encoding/csv (RFC 4180): a field is quoted
// when it holds a comma, a quote or a line break, or starts with white space (a
// reader that trims unquoted fields keeps it then); a line break inside a field
// is written CRLF, and a CR alone is dropped — only a rejected row can hold one,
// since checkRow refuses control characters.
func (o *outFile) record(fields ...string) error {
	if err := o.csv.Write(fields); err != nil {
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	return nil
}

// close flushes, syncs (the files are the migration's record) and closes; idempotent.
func (o *outFile) close() error {
	if o == nil || o.closed {
		return nil
	}
	o.closed = true
	o.csv.Flush()
	err := o.csv.Error()
	if err == nil {
		err = o.w.Flush()
	}
	if err == nil {
		err = o.f.Sync()
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", o.path, err)
	}
	return nil
}

func columns(opts csvOptions, extra ...string) []string {
	h := append([]string(nil), contactsHeader...)
	if opts.StateColumn {
		h = append(h, "State")
	}
	return append(h, extra...)
}

func rowFields(r batRow, opts csvOptions, extra ...string) []string {
	f := []string{r.UserID, r.UserDomain, r.ContactID, r.ContactDomain, r.Nickname, r.GroupName}
	if opts.StateColumn {
		st := r.State
		if st == "" {
			st = "0" // the only State value export writes (IM&P 12.5 SU4+)
		}
		f = append(f, st)
	}
	return append(f, extra...)
}

// contactsWriter writes ExportedContacts<ts>.csv.
type contactsWriter struct {
	out  *outFile
	opts csvOptions
	rows int
}

// createContactsCSV writes the contacts file to f and its header unless NoHeader.
func createContactsCSV(f *os.File, opts csvOptions) (*contactsWriter, error) {
	out := newOut(f)
	w := &contactsWriter{out: out, opts: opts}
	if !opts.NoHeader {
		if err := out.record(columns(opts)...); err != nil {
			_ = out.close()
			return nil, err
		}
	}
	return w, nil
}

// Write appends one row.
func (w *contactsWriter) Write(r batRow) error {
	if err := w.out.record(rowFields(r, w.opts)...); err != nil {
		return err
	}
	w.rows++
	return nil
}

// Rows is the number of rows written (header excluded).
func (w *contactsWriter) Rows() int { return w.rows }

// Close flushes and closes the file; idempotent.
func (w *contactsWriter) Close() error { return w.out.close() }

// rejectsWriter writes ExportedContactsRejected<ts>.csv: the contacts columns plus Reason,
// always with a header. The file is opened at the first rejected row, so that a clean
// run leaves no rejects file behind (the session removes a reserved file never opened).
type rejectsWriter struct {
	path string
	open func() (*os.File, error)
	opts csvOptions
	out  *outFile
	rows int
}

// newRejectsCSV prepares the rejects file at path; open opens it at the first row.
func newRejectsCSV(path string, open func() (*os.File, error), opts csvOptions) *rejectsWriter {
	return &rejectsWriter{path: path, open: open, opts: opts}
}

// Write appends one rejected row, opening the file on first use.
func (w *rejectsWriter) Write(rj rejectedRow) error {
	if w.out == nil {
		f, err := w.open()
		if err != nil {
			return fmt.Errorf("open %s: %w", w.path, err)
		}
		out := newOut(f)
		w.out = out
		if err := out.record(columns(w.opts, "Reason")...); err != nil {
			return err
		}
	}
	if err := w.out.record(rowFields(rj.Row, w.opts, rj.Reason)...); err != nil {
		return err
	}
	w.rows++
	return nil
}

// Rows is the number of rejected rows written.
func (w *rejectsWriter) Rows() int { return w.rows }

// Path is the rejects file's name, whether or not it was created.
func (w *rejectsWriter) Path() string { return w.path }

// Close flushes and closes the file if it was created; idempotent.
func (w *rejectsWriter) Close() error { return w.out.close() }

// userListWriter writes UserList<ts>.txt: one "sip:user@domain" per processed user, the
// input of disableaccount and deleteaccount.
type userListWriter struct {
	out   *outFile
	users int
}

// createUserList writes the user list to f.
func createUserList(f *os.File) *userListWriter {
	return &userListWriter{out: newOut(f)}
}

// Write appends one user; a "sip:" prefix in any case is normalised to "sip:".
func (w *userListWriter) Write(owner string) error {
	if _, err := w.out.w.WriteString("sip:" + stripSIP(owner) + "\r\n"); err != nil {
		return fmt.Errorf("write %s: %w", w.out.path, err)
	}
	w.users++
	return nil
}

// Users is the number of users written.
func (w *userListWriter) Users() int { return w.users }

// Close flushes and closes the file; idempotent.
func (w *userListWriter) Close() error { return w.out.close() }
