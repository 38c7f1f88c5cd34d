package disableaccount

import (
	"fmt"
	"os"
	"sync"
)

// backup appends records to the run's backup file and makes each durable
// before its modify is sent (SPEC 3.6). Concurrent workers share fsyncs: a
// sync covers every record written before it (group commit), so that N
// workers do not queue N syncs.
type backup struct {
	path   string
	header string // written with the first record: a run that changes no one leaves an empty file, which Finish removes

	mu      sync.Mutex // guards f, headed and written
	f       *os.File
	headed  bool   // the header is in the file
	written uint64 // records written

	syncMu sync.Mutex // one fsync at a time
	synced uint64     // records known durable (under syncMu)
}

// newBackup appends to f, the reserved backup file (run.Session.Open).
func newBackup(f *os.File, header string) *backup {
	return &backup{path: f.Name(), header: header, f: f}
}

// Append writes r and returns once it is on disk. An error means the user
// must not be changed.
func (b *backup) Append(r ldifRecord) error {
	text := formatRecord(r)
	b.mu.Lock()
	if b.f == nil {
		b.mu.Unlock()
		return fmt.Errorf("backup file %s: closed", b.path)
	}
	if !b.headed {
		text = b.header + text
	}
	_, err := b.f.WriteString(text)
	b.headed = b.headed || err == nil
	b.written++
	mine, f := b.written, b.f
	b.mu.Unlock()
	if err != nil {
		return fmt.Errorf("write backup file %s: %w", b.path, err)
	}
	b.syncMu.Lock()
	defer b.syncMu.Unlock()
	if b.synced >= mine {
		return nil // another worker's sync covered this record
	}
	b.mu.Lock()
	upto := b.written
	b.mu.Unlock()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync backup file %s: %w", b.path, err)
	}
	b.synced = upto
	return nil
}

// Records is the number of records appended.
func (b *backup) Records() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.written
}

func (b *backup) Close() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.f == nil {
		return nil
	}
	err := b.f.Sync()
	if cerr := b.f.Close(); err == nil {
		err = cerr
	}
	b.f = nil
	return err
}
