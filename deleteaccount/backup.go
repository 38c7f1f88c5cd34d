package deleteaccount

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
)

// BackupPrefix names DeleteAccountBackup<ts>.jsonl (SPEC 3.6).
const BackupPrefix = "DeleteAccountBackup"

// Record types of the backup file.
const (
	recBegin     = "begin"     // a user's transaction on a server starts; its rows follow
	recRow       = "row"       // one of the user's rows, read before the plan: every column with its type
	recKept      = "kept"      // before COMMIT: which of the rows did not vanish (not to restore)
	recCommitted = "committed" // after COMMIT: the rows are gone
	recAborted   = "aborted"   // the transaction was rolled back after all: nothing to undo
)

// backupRecord is one JSON line. Every record carries the transaction number
// (txn) that ties a user's begin, rows and committed records together:
// workers write concurrently, so records of several users interleave.
type backupRecord struct {
	Type       string   `json:"type"`
	Txn        int64    `json:"txn"`
	User       string   `json:"user,omitempty"`
	Server     string   `json:"server"`
	Database   string   `json:"database"`
	Version    string   `json:"version"`
	ResourceID int64    `json:"resource_id,omitempty"`
	Time       string   `json:"time,omitempty"`
	Table      string   `json:"table,omitempty"`
	Columns    []string `json:"columns,omitempty"`
	Types      []string `json:"types,omitempty"` // INFORMATION_SCHEMA DATA_TYPE of each column: how --undo reads the values back
	Values     []any    `json:"values,omitempty"`
	Kept       []int    `json:"kept,omitempty"` // kept: positions (from 0) of the transaction's rows that did not vanish
	Reason     string   `json:"reason,omitempty"`
}

// txnHeader is what every record of one transaction repeats.
type txnHeader struct {
	User       string
	Server     string
	Database   string
	Version    string
	ResourceID int64
}

func (h txnHeader) record(typ string, txn int64) backupRecord {
	return backupRecord{Type: typ, Txn: txn, User: h.User, Server: h.Server, Database: h.Database,
		Version: h.Version, ResourceID: h.ResourceID}
}

// backupRow is one row read before the delete.
type backupRow struct {
	Table   string
	Columns []string
	Types   []string
	Values  []any
}

// key identifies a row by its table and values, to tell which rows of a
// user vanished: two rows with equal keys are interchangeable copies.
func (r backupRow) key() string {
	b := append([]byte(r.Table), 0)
	for _, v := range r.Values {
		b, _ = appendJSONValue(b, v) // the values came from the driver: JSON-able
		b = append(b, 0)
	}
	return string(b)
}

// backupWriter appends to the backup file. Each call writes whole lines
// (committed also syncs them to disk); after a failed write every later call
// fails too, so that a torn line is never followed by records that look
// valid. Safe for concurrent use; concurrent syncs share the disk flush.
type backupWriter struct {
	mu   sync.Mutex
	f    *os.File
	next int64
	err  error
	now  func() time.Time

	// Group commit: workers that need a sync while another one runs wait
	// for it, and the next sync covers all of them.
	cond    *sync.Cond
	written int64 // write calls so far
	synced  int64 // writes covered by a finished sync
	syncing bool
}

// openBackup opens the reserved (already created, 0600) backup file.
func openBackup(path string, now func() time.Time) (*backupWriter, error) {
	f, err := openBackupFile(path)
	if err != nil {
		return nil, fmt.Errorf("backup file: %w", err)
	}
	w := &backupWriter{f: f, now: now}
	w.cond = sync.NewCond(&w.mu)
	return w, nil
}

// openBackupFile opens the backup for appending; tests replace it to make
// writes fail.
var openBackupFile = func(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
}

// begin writes a transaction's begin record and its rows and syncs them to
// disk before the transaction starts (SPEC 3.6: synced before the commit).
// Workers that sync at the same time share one disk flush.
func (w *backupWriter) begin(h txnHeader, rows []backupRow) (int64, error) {
	txn, buf, err := w.appendBegin(nil, h, rows)
	if err != nil {
		return txn, err
	}
	return txn, w.writeBytes(buf, true)
}

// beginMany is begin for many transactions (a chunk's users) with one
// write and one sync; txns[i] is the number of hs[i]'s transaction.
func (w *backupWriter) beginMany(hs []txnHeader, rows [][]backupRow) (txns []int64, err error) {
	var buf []byte
	txns = make([]int64, len(hs))
	for i, h := range hs {
		if txns[i], buf, err = w.appendBegin(buf, h, rows[i]); err != nil {
			return nil, err
		}
	}
	return txns, w.writeBytes(buf, true)
}

// appendBegin numbers a transaction and appends its begin record and rows.
func (w *backupWriter) appendBegin(buf []byte, h txnHeader, rows []backupRow) (int64, []byte, error) {
	w.mu.Lock()
	w.next++
	txn := w.next
	w.mu.Unlock()
	b := h.record(recBegin, txn)
	b.Time = w.now().UTC().Format(time.RFC3339Nano)
	buf, err := appendRecord(buf, b)
	if err != nil {
		return txn, buf, err
	}
	buf, err = appendRows(buf, h, txn, rows)
	return txn, buf, err
}

func appendRows(buf []byte, h txnHeader, txn int64, rows []backupRow) ([]byte, error) {
	enc := rowEncoder{h: h, txn: txn}
	for _, r := range rows {
		var err error
		if buf, err = enc.append(buf, r); err != nil {
			return buf, fmt.Errorf("backup: %w", err)
		}
		buf = append(buf, '\r', '\n')
	}
	return buf, nil
}

// settle makes a transaction's backup say exactly which rows vanished,
// before its COMMIT (SPEC 6.1). vanished says, for each of the transaction's
// rows already on disk (txn 0: none, not begun), whether it vanished; more
// are the rows that vanished and are not on disk. Those are written and
// synced (with a begin record first if there is none); rows on disk that
// did not vanish are named by a kept record, not
// synced: if a crash loses it, --undo finds those rows present and skips
// them. Returns the transaction number.
func (w *backupWriter) settle(txn int64, h txnHeader, vanished []bool, more []backupRow) (int64, error) {
	switch {
	case txn == 0:
		var err error
		if txn, err = w.begin(h, more); err != nil {
			return 0, err
		}
	case len(more) > 0:
		buf, err := appendRows(nil, h, txn, more)
		if err != nil {
			return txn, err
		}
		if err := w.writeBytes(buf, true); err != nil {
			return txn, err
		}
	}
	var kept []int
	for i, v := range vanished {
		if !v {
			kept = append(kept, i)
		}
	}
	if len(kept) == 0 {
		return txn, nil
	}
	r := h.record(recKept, txn)
	r.User, r.ResourceID = "", 0
	r.Kept = kept
	return txn, w.write([]backupRecord{r}, false)
}

// committed follows a COMMIT. Not synced on its own: the next begin's sync
// or close takes it to disk; if a crash loses it, --undo treats the
// transaction as cut short and restores whichever of its rows are missing.
func (w *backupWriter) committed(txn int64, h txnHeader) error {
	return w.write([]backupRecord{h.record(recCommitted, txn)}, false)
}

// aborted marks a transaction rolled back, so that --undo leaves it alone.
// Not synced: if it is lost, --undo finds the rows still there and skips
// them.
func (w *backupWriter) aborted(txn int64, h txnHeader, reason string) error {
	r := h.record(recAborted, txn)
	r.Reason = reason
	return w.write([]backupRecord{r}, false)
}

func (w *backupWriter) write(recs []backupRecord, sync bool) error {
	var buf []byte
	for _, r := range recs {
		var err error
		if buf, err = appendRecord(buf, r); err != nil {
			return err
		}
	}
	return w.writeBytes(buf, sync)
}

// appendRecord appends one record and its CRLF (like every text file of a
// run, SPEC 3.3).
func appendRecord(buf []byte, r backupRecord) ([]byte, error) {
	line, err := json.Marshal(r)
	if err != nil {
		return buf, fmt.Errorf("backup: %w", err)
	}
	buf = append(buf, line...)
	return append(buf, '\r', '\n'), nil
}

// writeBytes appends whole lines; with sync, it returns once they (and
// everything before them) are on disk.
func (w *backupWriter) writeBytes(buf []byte, sync bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if _, err := w.f.Write(buf); err != nil {
		w.err = fmt.Errorf("backup %s: %w", w.f.Name(), err)
		return w.err
	}
	w.written++
	if !sync {
		return nil
	}
	mine := w.written
	for w.syncing && w.synced < mine && w.err == nil {
		w.cond.Wait()
	}
	if w.err != nil || w.synced >= mine {
		return w.err
	}
	w.syncing = true
	upto := w.written
	w.mu.Unlock()
	err := w.f.Sync() // outside the lock: other workers keep writing
	w.mu.Lock()
	w.syncing = false
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("backup %s: sync: %w", w.f.Name(), err)
	}
	if err == nil {
		w.synced = upto
	}
	w.cond.Broadcast()
	return w.err
}

// close syncs the records not synced yet (committed, aborted) and closes
// the file.
func (w *backupWriter) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.syncing {
		w.cond.Wait()
	}
	if err := w.f.Sync(); err != nil && w.err == nil {
		w.err = fmt.Errorf("backup %s: sync: %w", w.f.Name(), err)
	}
	if err := w.f.Close(); err != nil && w.err == nil {
		return err
	}
	return w.err
}

// isDecimal reports the types go-mssqldb returns as []byte holding digits:
// they are kept as text in the backup, not base64.
func isDecimal(dataType string) bool {
	switch strings.ToLower(dataType) {
	case "decimal", "numeric", "money", "smallmoney":
		return true
	}
	return false
}

// backupValue makes a scanned value fit for JSON and for --undo: decimals as
// text; other []byte are copied (database/sql may reuse the buffer) and
// become base64; uniqueidentifiers their usual text; times are RFC 3339.
func backupValue(v any, dataType string) any {
	if b, ok := v.([]byte); ok {
		if isDecimal(dataType) {
			return string(b)
		}
		if strings.EqualFold(dataType, "uniqueidentifier") {
			// the canonical text form: readable, and re-inserted as a
			// string, which every server converts (binary may not be)
			if u, ok := rtcclient.UniqueIdentifier(b); ok {
				return u
			}
		}
		return append([]byte(nil), b...)
	}
	return v
}
